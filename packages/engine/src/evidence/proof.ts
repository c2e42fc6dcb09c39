import type { KeyObject } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { idRecord } from '@duban/domain';
import { GENESIS_HASH } from '../envelope/envelope';
import { hashEvent, type Hashable } from '../envelope/hash-chain';
import { evidenceError, type EvidenceError } from './errors';
import { compareStreamIds, headLeaf, sortedHeads, type Head } from './heads';
import { HASH_BYTES, MerkleTree, RootAccumulator, verifyInclusion } from './merkle';
import { decodeSeal, eventLeaf, verifySealSignature, type Seal } from './seal';

/**
 * Inclusion proofs: a few streams of a sealed history — one task, or a unit's tasks and its own stream
 * — with everything needed to check them against the seal and nothing of the rest of the history:
 * each event whole, its place in the global order and its audit path (RFC 9162 §2.1.3), and each
 * stream's head with its audit path in the tree of heads, which shows the stream is complete as of the
 * seal (no later revision was left out). A stream the seal does not know is shown absent by its two
 * neighbours in the sorted heads. The signed seal travels with the proof.
 */
export const PROOF_FORMAT = 'duban-proof/1';

export interface HeadProof {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
  /** Its place among the sorted heads. */
  readonly index: number;
  readonly path: readonly string[];
}

export interface ProvenEvent {
  /** 0-based place in the sealed global order. */
  readonly position: number;
  readonly path: readonly string[];
  readonly event: {
    readonly type: string;
    readonly data: unknown;
    readonly metadata: Record<string, unknown>;
  };
}

export interface StreamProof {
  readonly streamId: string;
  /** The stream's head as sealed (present streams). */
  readonly head?: Omit<HeadProof, 'streamId'>;
  /** For a stream the seal does not know: the heads just before and after where it would sort. */
  readonly absent?: { readonly before?: HeadProof; readonly after?: HeadProof };
  readonly events: readonly ProvenEvent[];
}

export type ProofSubject = { readonly task: string } | { readonly unit: string };

export interface InclusionProof {
  readonly format: typeof PROOF_FORMAT;
  readonly seal: Seal;
  readonly subject: ProofSubject;
  readonly streams: readonly StreamProof[];
}

const hex = (b: Buffer) => b.toString('hex');

export interface Prover {
  /** Every record of the history, in global order (undefined for a line that is not an event). */
  push(event: Hashable | undefined): void;
  /** The proof, once the whole history was pushed; refused when it is not the sealed history. */
  prove(): Either<EvidenceError, InclusionProof>;
}

export interface ProverOptions {
  readonly subject: ProofSubject;
  /** Streams always in the proof: proven present, or proven absent. */
  readonly streams: readonly string[];
  /** More streams, chosen by their first event (a unit's tasks: the assignment names the unit). */
  readonly select?: (first: Hashable) => boolean;
}

export const createProver = (seal: Seal, options: ProverOptions): Prover => {
  const wanted = new Set(options.streams);
  const chosen = new Map<string, ProvenEvent[]>();
  const decided = new Set<string>();
  const heads = idRecord<{ revision: number; hash: string }>();
  // Grown as events arrive: a seal's size is not trusted to size an allocation.
  let leaves = Buffer.allocUnsafe(64 * HASH_BYTES);
  const root = new RootAccumulator();
  let position = 0;
  return {
    push(event) {
      const p = position++;
      if (p >= seal.size) return; // the proof is as of the seal
      const leaf = eventLeaf(event);
      if ((p + 1) * HASH_BYTES > leaves.length) {
        const bigger = Buffer.allocUnsafe(leaves.length * 2);
        leaves.copy(bigger, 0, 0, p * HASH_BYTES);
        leaves = bigger;
      }
      leaf.copy(leaves, p * HASH_BYTES);
      root.push(leaf);
      const m = event?.metadata as { streamId?: unknown; revision?: unknown; hash?: unknown } | undefined;
      if (
        !event ||
        typeof m?.streamId !== 'string' ||
        typeof m.revision !== 'number' ||
        typeof m.hash !== 'string'
      )
        return;
      const streamId = m.streamId;
      heads[streamId] = { revision: m.revision, hash: m.hash };
      if (!decided.has(streamId)) {
        decided.add(streamId);
        if (wanted.has(streamId) || options.select?.(event)) chosen.set(streamId, []);
      }
      chosen.get(streamId)?.push({
        position: p,
        path: [],
        event: { type: event.type, data: event.data, metadata: { ...event.metadata } },
      });
    },
    prove() {
      if (position < seal.size)
        return left(
          evidenceError(
            'HistoryUnsealable',
            `the history holds ${position} events; the seal covers ${seal.size}: it is not the sealed history`,
          ),
        );
      if (hex(root.root()) !== seal.root)
        return left(
          evidenceError(
            'HistoryUnsealable',
            `the first ${seal.size} events do not hash to the seal's root: this is not the sealed history (duban verify --seal names the difference)`,
          ),
        );
      const tree = MerkleTree.fromLeafHashes(leaves.subarray(0, seal.size * HASH_BYTES));
      const sorted = sortedHeads(heads);
      const headsTree = MerkleTree.fromLeafHashes(Buffer.concat(sorted.map(headLeaf)));
      const headProof = (i: number): HeadProof => ({
        ...sorted[i]!,
        index: i,
        path: headsTree.inclusionPath(i).map(hex),
      });
      const streams: StreamProof[] = [];
      for (const streamId of [...new Set([...wanted, ...chosen.keys()])].sort(compareStreamIds)) {
        const events = chosen.get(streamId);
        if (events && events.length > 0) {
          const i = sorted.findIndex((h) => h.streamId === streamId);
          const { streamId: _s, ...head } = headProof(i);
          streams.push({
            streamId,
            head,
            events: events.map((e) => ({ ...e, path: tree.inclusionPath(e.position).map(hex) })),
          });
        } else {
          // Where it would sort: the heads either side of it.
          const after = sorted.findIndex((h) => compareStreamIds(h.streamId, streamId) > 0);
          const a = after === -1 ? sorted.length : after;
          streams.push({
            streamId,
            absent: {
              ...(a > 0 ? { before: headProof(a - 1) } : {}),
              ...(a < sorted.length ? { after: headProof(a) } : {}),
            },
            events: [],
          });
        }
      }
      return right({ format: PROOF_FORMAT, seal, subject: options.subject, streams });
    },
  };
};

export interface ProvenStream {
  readonly streamId: string;
  /** Events proven (0 for a stream proven absent). */
  readonly events: number;
  readonly absent: boolean;
  readonly firstPosition?: number;
  readonly lastPosition?: number;
}

export interface ProofVerdict {
  readonly ok: boolean;
  readonly problems: readonly { readonly where: string; readonly message: string }[];
  readonly seal?: Seal;
  readonly subject?: ProofSubject;
  readonly streams: readonly ProvenStream[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isPath = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 64 && v.every((h) => typeof h === 'string' && HEX64.test(h));
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks a proof (parsed JSON) with the office's public key(s), alone: the seal's signature; every
 * event's hash recomputed from its content, its chain link, its audit path to the seal's root; every
 * stream complete from revision 0 to its sealed head, the head's audit path to the seal's heads root;
 * an absent stream's neighbours adjacent and either side of it; the subject's streams present.
 */
export const verifyInclusionProof = (proof: unknown, keys: readonly KeyObject[]): ProofVerdict => {
  const problems: { where: string; message: string }[] = [];
  const streams: ProvenStream[] = [];
  const problem = (where: string, message: string) => problems.push({ where, message });
  const done = (seal?: Seal, subject?: ProofSubject): ProofVerdict => ({
    ok: problems.length === 0,
    problems,
    ...(seal ? { seal } : {}),
    ...(subject ? { subject } : {}),
    streams,
  });

  if (!isObject(proof)) {
    problem('(proof)', 'must be a JSON object');
    return done();
  }
  for (const key of Object.keys(proof))
    if (!['format', 'seal', 'subject', 'streams'].includes(key)) problem(key, 'unknown field');
  if (proof.format !== PROOF_FORMAT) problem('format', `must be "${PROOF_FORMAT}"`);
  const decoded = decodeSeal(proof.seal, 'seal');
  if (isLeft(decoded)) {
    for (const p of decoded.left.problems) problem(`seal.${p.where}`, p.message);
    return done();
  }
  const seal = decoded.right;
  const signature = verifySealSignature(seal, keys);
  if (!signature.ok) problem('seal.signature', signature.message);

  const subject = proof.subject;
  const subjectOk =
    isObject(subject) &&
    Object.keys(subject).length === 1 &&
    ((typeof subject.task === 'string' && subject.task !== '') ||
      (typeof subject.unit === 'string' && subject.unit !== ''));
  if (!subjectOk) problem('subject', 'must be {"task": ID} or {"unit": ID}');
  if (!Array.isArray(proof.streams)) {
    problem('streams', 'must be a list');
    return done(seal);
  }
  const root = Buffer.from(seal.root, 'hex');
  const headsRoot = Buffer.from(seal.heads.root, 'hex');
  const positions = new Set<number>();

  const checkHead = (h: unknown, where: string): Head | undefined => {
    if (
      !isObject(h) ||
      typeof h.streamId !== 'string' ||
      !isIndex(h.revision) ||
      typeof h.hash !== 'string' ||
      !HEX64.test(h.hash) ||
      !isIndex(h.index) ||
      !isPath(h.path)
    ) {
      problem(where, 'must be {streamId, revision, hash, index, path}');
      return undefined;
    }
    const head = { streamId: h.streamId, revision: h.revision, hash: h.hash };
    if (
      !verifyInclusion(
        h.index,
        seal.heads.streams,
        headLeaf(head),
        h.path.map((x) => Buffer.from(x, 'hex')),
        headsRoot,
      )
    )
      problem(
        where,
        `the head of ${h.streamId} (revision ${h.revision}) is not at place ${h.index} among the sealed heads: its audit path does not lead to the seal's heads root`,
      );
    return head;
  };

  const seen = new Set<string>();
  proof.streams.forEach((s: unknown, si: number) => {
    const where = `streams[${si}]`;
    if (!isObject(s) || typeof s.streamId !== 'string' || !Array.isArray(s.events)) {
      problem(where, 'must be {streamId, events, head or absent}');
      return;
    }
    const streamId = s.streamId;
    if (seen.has(streamId)) problem(where, `${streamId} is listed twice`);
    seen.add(streamId);
    if (s.absent !== undefined) {
      if (s.events.length > 0 || s.head !== undefined)
        problem(where, `${streamId} is said to be absent, yet carries events or a head`);
      const absent = s.absent;
      if (!isObject(absent)) {
        problem(`${where}.absent`, 'must be {before, after}');
        return;
      }
      const before =
        absent.before === undefined ? undefined : checkHead(absent.before, `${where}.absent.before`);
      const after = absent.after === undefined ? undefined : checkHead(absent.after, `${where}.absent.after`);
      const bi = (absent.before as { index?: number } | undefined)?.index;
      const ai = (absent.after as { index?: number } | undefined)?.index;
      const adjacent =
        (before === undefined ? ai === 0 : true) &&
        (after === undefined ? bi === seal.heads.streams - 1 : true) &&
        (before === undefined || after === undefined || ai === (bi ?? -2) + 1) &&
        (before !== undefined || after !== undefined);
      if (!adjacent)
        problem(
          `${where}.absent`,
          `the heads given are not neighbours in the sorted heads, so they do not show ${streamId} absent`,
        );
      if (before && compareStreamIds(before.streamId, streamId) >= 0)
        problem(`${where}.absent.before`, `${before.streamId} does not sort before ${streamId}`);
      if (after && compareStreamIds(streamId, after.streamId) >= 0)
        problem(`${where}.absent.after`, `${after.streamId} does not sort after ${streamId}`);
      streams.push({ streamId, events: 0, absent: true });
      return;
    }
    if (s.events.length === 0) problem(where, `${streamId}: no events and not shown absent`);
    let prevHash = GENESIS_HASH;
    let lastPosition = -1;
    let firstPosition: number | undefined;
    s.events.forEach((e: unknown, i: number) => {
      const at = `${where}.events[${i}]`;
      if (!isObject(e) || !isIndex(e.position) || !isPath(e.path) || !isObject(e.event)) {
        problem(at, 'must be {position, path, event}');
        return;
      }
      const event = e.event;
      const m = event.metadata;
      if (typeof event.type !== 'string' || !isObject(m) || !('data' in event)) {
        problem(`${at}.event`, 'must be an envelope {type, data, metadata}');
        return;
      }
      if (m.streamId !== streamId)
        problem(`${at}.event.metadata.streamId`, `is ${JSON.stringify(m.streamId)}, not ${streamId}`);
      if (m.revision !== i)
        problem(
          `${at}.event.metadata.revision`,
          `is ${JSON.stringify(m.revision)}; the stream's events must run from revision 0 without a gap, so this one is ${i}`,
        );
      const hash = hashEvent(event as unknown as Hashable);
      if (m.hash !== hash)
        problem(
          `${at}.event`,
          `its content hashes to ${hash.slice(0, 12)}…, not to its metadata.hash: the event was changed`,
        );
      if (m.prevHash !== prevHash)
        problem(`${at}.event.metadata.prevHash`, `does not link to the event before it`);
      prevHash = typeof m.hash === 'string' ? m.hash : '';
      if (e.position >= seal.size)
        problem(`${at}.position`, `${e.position} is past the seal's ${seal.size} events`);
      if (e.position <= lastPosition)
        problem(
          `${at}.position`,
          `${e.position} does not come after the stream's previous event (${lastPosition})`,
        );
      if (positions.has(e.position))
        problem(`${at}.position`, `${e.position} is claimed by another event of the proof`);
      positions.add(e.position);
      lastPosition = e.position;
      firstPosition ??= e.position;
      if (
        !verifyInclusion(
          e.position,
          seal.size,
          eventLeaf(event as unknown as Hashable),
          e.path.map((x) => Buffer.from(x, 'hex')),
          root,
        )
      )
        problem(
          `${at}.path`,
          `${streamId} revision ${String(m.revision)} is not event ${e.position} of the sealed history: its audit path does not lead to the seal's root`,
        );
    });
    const head = isObject(s.head) ? checkHead({ ...s.head, streamId }, `${where}.head`) : undefined;
    if (!head) {
      if (s.head === undefined) problem(where, `${streamId}: no head, so nothing shows the stream complete`);
    } else {
      const last = s.events.at(-1) as
        { event?: { metadata?: { revision?: unknown; hash?: unknown } } } | undefined;
      if (head.revision !== s.events.length - 1 || last?.event?.metadata?.hash !== head.hash)
        problem(
          `${where}.head`,
          `${streamId} was sealed at revision ${head.revision}; the proof carries revisions 0–${s.events.length - 1}: events of the stream are left out`,
        );
    }
    streams.push({
      streamId,
      events: s.events.length,
      absent: false,
      ...(firstPosition === undefined ? {} : { firstPosition, lastPosition }),
    });
  });

  if (subjectOk) {
    const subj = subject as ProofSubject;
    if ('task' in subj) {
      const s = streams.find((x) => x.streamId === `task-${subj.task}`);
      if (!s || s.absent)
        problem(
          'subject',
          `the proof is for task ${subj.task}, but does not carry its stream task-${subj.task}`,
        );
    } else {
      if (!streams.some((x) => x.streamId === `unit-${subj.unit}`))
        problem(
          'subject',
          `the proof is for unit ${subj.unit}, but neither carries its stream unit-${subj.unit} nor shows it absent`,
        );
      // Every other stream must be a task the unit leads or co-operates on (its assignment says so).
      (
        proof.streams as Array<{
          streamId?: unknown;
          events?: Array<{ event?: { type?: unknown; data?: unknown } }>;
        }>
      ).forEach((s, si) => {
        if (s.streamId === `unit-${subj.unit}` || !Array.isArray(s.events) || s.events.length === 0) return;
        const first = s.events[0]?.event;
        const data = first?.data as { leadUnit?: unknown; coUnits?: unknown } | undefined;
        const named =
          first?.type === 'TaskAssigned' &&
          (data?.leadUnit === subj.unit ||
            (Array.isArray(data?.coUnits) && data.coUnits.includes(subj.unit)));
        if (!named)
          problem(`streams[${si}]`, `${String(s.streamId)} is not a task assigned to unit ${subj.unit}`);
      });
    }
  }
  return done(seal, subjectOk ? (subject as ProofSubject) : undefined);
};
