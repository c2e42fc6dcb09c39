import type { KeyObject } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { SEAL_FORMAT, Seal, decodeWith, idRecord } from '@duban/domain';
import { canonicalJson, createChainVerifier, type Hashable } from '../envelope/hash-chain';
import { evidenceError, type EvidenceError } from './errors';
import { compareStreamIds, headProblems, headsDigest, sortedHeads, type Head } from './heads';
import { keyIdOf, signBytes, verifyBytes } from './keys';
import { HASH_BYTES, leafHash, MerkleTree, nodeHash, RootAccumulator } from './merkle';

export { SEAL_FORMAT, Seal } from '@duban/domain';

/**
 * Seals: the signed head of the Merkle tree over a history's events in global order (docs/auditing.md,
 * "Seals"). A leaf is an event's chain hash — `metadata.hash`, the 32 bytes its 64 hex digits spell —
 * which already covers the event's type, data and whole envelope, so the tree covers every byte that
 * means anything, and the order of the events across streams.
 */

const HEX64 = /^[0-9a-f]{64}$/;

/** The leaf of an event: SHA-256(0x00 || its chain hash as 32 bytes). */
export const eventLeaf = (event: Hashable | undefined): Buffer => {
  const hash = event?.metadata.hash;
  // Anything that is not an event with a well-formed hash gets a leaf no sealed event can have (its
  // data is not 32 bytes long): it can only make a root differ.
  return typeof hash === 'string' && HEX64.test(hash)
    ? leafHash(Buffer.from(hash, 'hex'))
    : leafHash(Buffer.from('not an event with a hash', 'utf8'));
};

/** The fields a seal signs: all of them but `signature`. */
export type SealBody = Omit<Seal, 'signature'>;

/** The bytes signed: the RFC 8785 canonical JSON of the seal without its signature, UTF-8. */
export const sealMessage = (seal: SealBody | Seal): Buffer => {
  const { signature: _s, ...body } = seal as Seal;
  return Buffer.from(canonicalJson(body), 'utf8');
};

export const signSeal = (body: SealBody, privateKey: KeyObject): Seal => ({
  ...body,
  signature: signBytes(sealMessage(body), privateKey).toString('hex'),
});

export type SignatureCheck =
  | { readonly ok: true; readonly key: KeyObject }
  | { readonly ok: false; readonly reason: 'unknown-key' | 'bad-signature'; readonly message: string };

/** Checks a seal's signature with whichever of `keys` it names (its `key` is the key's SHA-256). */
export const verifySealSignature = (seal: Seal, keys: readonly KeyObject[]): SignatureCheck => {
  const key = keys.find((k) => keyIdOf(k) === seal.key);
  if (!key)
    return {
      ok: false,
      reason: 'unknown-key',
      message: `the seal was signed with key ${seal.key.slice(0, 16)}…, not with ${keys.length === 1 ? 'the key given' : `any of the ${keys.length} keys given`} (${keys.map((k) => `${keyIdOf(k).slice(0, 16)}…`).join(', ')})`,
    };
  return verifyBytes(sealMessage(seal), Buffer.from(seal.signature, 'hex'), key)
    ? { ok: true, key }
    : {
        ok: false,
        reason: 'bad-signature',
        message: `the signature does not verify with key ${seal.key.slice(0, 16)}…: the seal was altered after it was signed`,
      };
};

const SEAL_KEYS = ['format', 'office', 'at', 'size', 'root', 'heads', 'key', 'signature'];
const HEADS_KEYS = ['streams', 'root'];

const unknownKeys = (value: unknown, allowed: readonly string[], prefix: string) =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.keys(value)
        .filter((k) => !allowed.includes(k))
        .map((k) => ({ where: `${prefix}${k}`, message: 'unknown field: a seal holds only what it signs' }))
    : [];

/** Reads a seal (parsed JSON): every field checked, unknown fields refused. `where` names the file. */
export const decodeSeal = (value: unknown, where: string): Either<EvidenceError, Seal> => {
  const decoded = decodeWith(Seal, value);
  const problems = [
    ...(isLeft(decoded)
      ? decoded.left.problems.map((p) => ({ where: p.path || '(seal)', message: p.message }))
      : []),
    ...unknownKeys(value, SEAL_KEYS, ''),
    ...unknownKeys((value as { heads?: unknown } | null)?.heads, HEADS_KEYS, 'heads.'),
  ];
  if (problems.length > 0 || isLeft(decoded))
    return left(
      evidenceError(
        'SealMalformed',
        `${where}: not a seal (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
        problems,
      ),
    );
  return right(decoded.right);
};

/**
 * Block roots: the roots of consecutive runs of `blockSize` leaves (the last run may be shorter), kept
 * beside a seal so a verifier can tell where a history first departs from it. `blockSize` is a power
 * of two, so each block is a node of the tree and the blocks alone give back the root. It starts at 1
 * (every leaf) and doubles whenever there would be more than MAX_BLOCKS.
 */
export const MAX_BLOCKS = 4096;

// Two adjacent blocks of one power-of-two size B (the right one possibly shorter) make the node above
// them: the RFC splits 2B, or B + a shorter run, at B.
const mergeBlocks = (left: Buffer, right: Buffer): Buffer => nodeHash(left, right);

class BlockRoots {
  blockSize = 1;
  readonly roots: Buffer[] = [];
  private current = new RootAccumulator();

  push(leaf: Buffer): void {
    this.current.push(leaf);
    if (this.current.size < this.blockSize) return;
    this.roots.push(this.current.root());
    this.current = new RootAccumulator();
    if (this.roots.length === 2 * MAX_BLOCKS) {
      // Every block is complete here: pairs merge into blocks twice the size.
      const merged: Buffer[] = [];
      for (let i = 0; i < this.roots.length; i += 2)
        merged.push(mergeBlocks(this.roots[i]!, this.roots[i + 1]!));
      this.roots.splice(0, this.roots.length, ...merged);
      this.blockSize *= 2;
    }
  }

  finish(): { blockSize: number; roots: Buffer[] } {
    const roots = this.current.size > 0 ? [...this.roots, this.current.root()] : [...this.roots];
    // At most MAX_BLOCKS in the end: the last doubling happens here, partial block included.
    let blockSize = this.blockSize;
    let out = roots;
    while (out.length > MAX_BLOCKS) {
      const merged: Buffer[] = [];
      for (let i = 0; i < out.length; i += 2)
        merged.push(i + 1 < out.length ? mergeBlocks(out[i]!, out[i + 1]!) : out[i]!);
      out = merged;
      blockSize *= 2;
    }
    return { blockSize, roots: out };
  }
}

/**
 * What a history is as a tree: its leaves in global order, each stream's head, block roots; with
 * `keepLeaves`, every leaf (32 bytes each) for audit paths and consistency proofs. Feed it events that
 * were checked (chains verified); `sealHistory` does the checking for you.
 */
export interface HistoryTree {
  push(event: Hashable | undefined): void;
  readonly size: number;
  root(): Buffer;
  heads(): Head[];
  blocks(): { blockSize: number; roots: Buffer[] };
  /** The first `size` leaves (all by default) laid out as a tree (only with `keepLeaves`). */
  tree(size?: number): MerkleTree;
}

export const createHistoryTree = (options: { keepLeaves?: boolean } = {}): HistoryTree => {
  const acc = new RootAccumulator();
  const blocks = new BlockRoots();
  const heads = idRecord<{ revision: number; hash: string }>();
  let leaves = options.keepLeaves ? Buffer.allocUnsafe(64 * HASH_BYTES) : undefined;
  return {
    push(event) {
      const leaf = eventLeaf(event);
      if (leaves) {
        if ((acc.size + 1) * HASH_BYTES > leaves.length) {
          const bigger = Buffer.allocUnsafe(leaves.length * 2);
          leaves.copy(bigger, 0, 0, acc.size * HASH_BYTES);
          leaves = bigger;
        }
        leaf.copy(leaves, acc.size * HASH_BYTES);
      }
      acc.push(leaf);
      blocks.push(leaf);
      const m = event?.metadata as { streamId?: unknown; revision?: unknown; hash?: unknown } | undefined;
      if (m && typeof m.streamId === 'string' && typeof m.revision === 'number' && typeof m.hash === 'string')
        heads[m.streamId] = { revision: m.revision, hash: m.hash };
    },
    get size() {
      return acc.size;
    },
    root: () => acc.root(),
    heads: () => sortedHeads(heads),
    blocks: () => blocks.finish(),
    tree(size = acc.size) {
      if (!leaves) throw new Error('createHistoryTree: the leaves were not kept (keepLeaves)');
      return MerkleTree.fromLeafHashes(leaves.subarray(0, Math.min(size, acc.size) * HASH_BYTES));
    },
  };
};

/**
 * The seal's companion, kept beside it (SEAL.index.json): every stream's head and the block roots.
 * Nothing in it needs a signature of its own: the heads must give back the seal's `heads.root`, the
 * blocks its `root`, or the index is refused. It lets a verifier name what differs (which stream, from
 * which line) instead of only saying that something does.
 */
export const SEAL_INDEX_FORMAT = 'duban-seal-index/1';

export interface SealIndex {
  readonly format: typeof SEAL_INDEX_FORMAT;
  readonly size: number;
  readonly root: string;
  readonly blockSize: number;
  readonly blocks: readonly string[];
  /** `[stream, revision, hash]`, sorted by stream id (UTF-8 bytes). */
  readonly heads: ReadonlyArray<readonly [string, number, string]>;
}

export interface SealOptions {
  /** The office the history is the record of. */
  readonly office: string;
  /** When the seal is made (an instant with a zone). */
  readonly at: string;
  readonly privateKey: KeyObject;
}

/** Signs a tree fed with a whole history: the seal, and its index. */
export const sealTree = (
  tree: HistoryTree,
  options: SealOptions,
): Either<EvidenceError, { seal: Seal; index: SealIndex }> => {
  if (tree.size === 0)
    return left(evidenceError('HistoryUnsealable', 'the history holds no events: there is nothing to seal'));
  const heads = tree.heads();
  const body: SealBody = {
    format: SEAL_FORMAT,
    office: options.office,
    at: options.at,
    size: tree.size,
    root: tree.root().toString('hex'),
    heads: headsDigest(heads),
    key: keyIdOf(options.privateKey),
  };
  // The seal must be one the domain would record: a bad office id or instant is refused here.
  const seal = signSeal(body, options.privateKey);
  const checked = decodeSeal(seal, 'the seal');
  if (isLeft(checked)) return checked;
  const blocks = tree.blocks();
  return right({
    seal,
    index: {
      format: SEAL_INDEX_FORMAT,
      size: seal.size,
      root: seal.root,
      blockSize: blocks.blockSize,
      blocks: blocks.roots.map((b) => b.toString('hex')),
      heads: heads.map((h) => [h.streamId, h.revision, h.hash] as const),
    },
  });
};

/**
 * Seals a history read in global order (`store.readAll` of the domain streams, or an NDJSON export):
 * every chain is verified on the way, and a broken history is refused, not sealed.
 */
export const sealHistory = async (
  events: AsyncIterable<Hashable> | Iterable<Hashable>,
  options: SealOptions,
): Promise<Either<EvidenceError, { seal: Seal; index: SealIndex }>> => {
  const chains = createChainVerifier();
  const tree = createHistoryTree();
  for await (const event of events) {
    chains.push(event);
    tree.push(event);
  }
  const report = chains.report();
  if (!report.ok)
    return left(
      evidenceError(
        'HistoryUnsealable',
        `the history is broken (${report.breaks.length} broken chain${report.breaks.length === 1 ? '' : 's'}): it is not sealed`,
        report.breaks.map((b) => ({
          where: `${b.streamId} revision ${b.revision}`,
          message: `${b.problem}: ${b.detail}`,
        })),
      ),
    );
  return sealTree(tree, options);
};

const INDEX_KEYS = ['format', 'size', 'root', 'blockSize', 'blocks', 'heads'];

/**
 * Reads a seal index (parsed JSON) and checks it against the seal: same size and root, the block roots
 * giving back the root, the heads sorted and giving back `heads.root`. Refused otherwise, with why.
 */
export const decodeSealIndex = (
  value: unknown,
  seal: Seal,
  where: string,
): Either<EvidenceError, SealIndex> => {
  const problems: { where: string; message: string }[] = [];
  const fail = () =>
    left(
      evidenceError(
        'SealIndexMalformed',
        `${where}: not the index of this seal (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
        problems,
      ),
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ where: '(index)', message: 'must be a JSON object' });
    return fail();
  }
  const v = value as Record<string, unknown>;
  problems.push(
    ...Object.keys(v)
      .filter((k) => !INDEX_KEYS.includes(k))
      .map((k) => ({ where: k, message: 'unknown field' })),
  );
  if (v.format !== SEAL_INDEX_FORMAT)
    problems.push({ where: 'format', message: `must be "${SEAL_INDEX_FORMAT}"` });
  if (v.size !== seal.size)
    problems.push({
      where: 'size',
      message: `is ${JSON.stringify(v.size)}; the seal covers ${seal.size} events`,
    });
  if (v.root !== seal.root) problems.push({ where: 'root', message: "is not the seal's root" });
  const blockSize = v.blockSize;
  if (
    typeof blockSize !== 'number' ||
    !Number.isSafeInteger(blockSize) ||
    blockSize < 1 ||
    Math.log2(blockSize) % 1 !== 0
  )
    problems.push({ where: 'blockSize', message: 'must be a power of two' });
  if (!Array.isArray(v.blocks)) problems.push({ where: 'blocks', message: 'must be a list of block roots' });
  if (!Array.isArray(v.heads))
    problems.push({ where: 'heads', message: 'must be a list of [stream, revision, hash]' });
  if (problems.length > 0) return fail();

  const blocks = v.blocks as unknown[];
  const expected = Math.ceil(seal.size / (blockSize as number));
  if (blocks.length !== expected)
    problems.push({
      where: 'blocks',
      message: `holds ${blocks.length} roots; ${seal.size} events in blocks of ${String(blockSize)} make ${expected}`,
    });
  blocks.forEach((b, i) => {
    if (typeof b !== 'string' || !HEX64.test(b))
      problems.push({ where: `blocks[${i}]`, message: 'must be 64 lowercase hexadecimal digits' });
  });
  const heads: Head[] = [];
  (v.heads as unknown[]).forEach((h, i) => {
    if (!Array.isArray(h) || h.length !== 3) {
      problems.push({ where: `heads[${i}]`, message: 'must be [stream, revision, hash]' });
      return;
    }
    const wrong = headProblems(h[0], h[1], h[2]);
    for (const message of wrong) problems.push({ where: `heads[${i}]`, message });
    if (wrong.length === 0) {
      const head = { streamId: h[0] as string, revision: h[1] as number, hash: h[2] as string };
      const before = heads.at(-1);
      if (before && compareStreamIds(before.streamId, head.streamId) >= 0)
        problems.push({
          where: `heads[${i}]`,
          message: `${head.streamId} is out of order or listed twice (the list is sorted by stream id)`,
        });
      heads.push(head);
    }
  });
  if (problems.length > 0) return fail();
  const acc = new RootAccumulator();
  for (const b of blocks as string[]) acc.push(Buffer.from(b, 'hex'));
  if (acc.root().toString('hex') !== seal.root)
    problems.push({ where: 'blocks', message: "the block roots do not give back the seal's root" });
  const digest = headsDigest(heads);
  if (digest.streams !== seal.heads.streams || digest.root !== seal.heads.root)
    problems.push({ where: 'heads', message: "the heads do not give back the seal's heads.root" });
  if (problems.length > 0) return fail();
  return right(v as unknown as SealIndex);
};
