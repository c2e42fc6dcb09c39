import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import {
  EMPTY_ROOT,
  HEADS_TSV_HEADER,
  MAX_BLOCKS,
  MerkleTree,
  RootAccumulator,
  checkSealConsistency,
  createEngine,
  createHistoryTree,
  createInMemoryEventStore,
  createProver,
  createSealCheck,
  decodeSeal,
  decodeSealIndex,
  hashEvent,
  headsDigest,
  headsTsv,
  keyIdOf,
  leafHash,
  nodeHash,
  parseHeadsTsv,
  rawPublicKey,
  readKey,
  rootFromInclusionPath,
  sealHistory,
  sealTree,
  sortedHeads,
  splitPoint,
  streamHeads,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionProof,
  verifySealSignature,
  type Hashable,
  type InclusionProof,
  type Seal,
  type SealIndex,
} from '@duban/engine';
import { runQuarterScenario } from '@duban/testing';

const right = <E, A>(e: Either<E, A>): A => {
  if (isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const hex = (b: Buffer) => b.toString('hex');
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** MTH exactly as RFC 9162 §2.1.1 states it: the reference the fast structures are held to. */
const mth = (leaves: readonly Buffer[]): Buffer => {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const leavesOf = (n: number, salt = 0) =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${salt}:${i}`)));

describe('Merkle tree (RFC 9162 §2.1)', () => {
  // The Certificate Transparency reference leaves and tree heads (RFC 6962 test data).
  const CT = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ];
  const CT_ROOTS = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  const ct = CT.map((h) => leafHash(Buffer.from(h, 'hex')));

  it('gives the reference tree heads, streamed and in memory', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 1; n <= 8; n++) {
      const acc = new RootAccumulator();
      for (const l of ct.slice(0, n)) acc.push(l);
      expect(hex(acc.root())).toBe(CT_ROOTS[n - 1]);
      expect(hex(MerkleTree.fromLeafHashes(Buffer.concat(ct.slice(0, n))).root())).toBe(CT_ROOTS[n - 1]);
    }
  });

  it('gives the reference audit paths', () => {
    const tree = MerkleTree.fromLeafHashes(Buffer.concat(ct));
    expect(tree.inclusionPath(0).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(tree.inclusionPath(5).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('agrees with the RFC recursion for every size, and every path and proof verifies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), (n, a, b) => {
        const leaves = leavesOf(n);
        const tree = MerkleTree.fromLeafHashes(Buffer.concat(leaves));
        const root = mth(leaves);
        expect(tree.root().equals(root)).toBe(true);
        const i = a % n;
        expect(verifyInclusion(i, n, leaves[i]!, tree.inclusionPath(i), root)).toBe(true);
        const m = 1 + (b % n);
        expect(tree.subtreeRoot(0, m).equals(mth(leaves.slice(0, m)))).toBe(true);
        expect(verifyConsistency(m, n, tree.consistencyProof(m), mth(leaves.slice(0, m)), root)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a path or proof with any hash changed, one too many or too few, or the wrong place (the size and root come signed together, in the seal)', () => {
    for (const n of [1, 2, 3, 5, 8, 13, 64, 100]) {
      const leaves = leavesOf(n, n);
      const tree = MerkleTree.fromLeafHashes(Buffer.concat(leaves));
      const root = tree.root();
      for (let i = 0; i < n; i++) {
        const path = tree.inclusionPath(i);
        path.forEach((_, j) => {
          const bad = path.map((h, k) => (k === j ? leafHash(h) : h));
          expect(verifyInclusion(i, n, leaves[i]!, bad, root)).toBe(false);
        });
        expect(verifyInclusion(i, n, leaves[i]!, [...path, root], root)).toBe(false);
        if (path.length > 0) expect(verifyInclusion(i, n, leaves[i]!, path.slice(1), root)).toBe(false);
        if (n > 1) expect(verifyInclusion((i + 1) % n, n, leaves[i]!, path, root)).toBe(false);
        expect(rootFromInclusionPath(n, n, leaves[0]!, [])).toBeUndefined();
      }
      for (let m = 1; m < n; m++) {
        const proof = tree.consistencyProof(m);
        const old = tree.subtreeRoot(0, m);
        expect(verifyConsistency(m, n, proof, old, root)).toBe(true);
        proof.forEach((_, j) => {
          const bad = proof.map((h, k) => (k === j ? leafHash(h) : h));
          expect(verifyConsistency(m, n, bad, old, root)).toBe(false);
        });
        expect(verifyConsistency(m, n, proof.slice(1), old, root)).toBe(false);
        // A tree that is not an extension: the old tree's last leaf replaced.
        const forked = MerkleTree.fromLeafHashes(
          Buffer.concat(leaves.map((l, k) => (k === m - 1 ? leafHash(Buffer.from('forged')) : l))),
        );
        expect(verifyConsistency(m, n, forked.consistencyProof(m), old, forked.root())).toBe(false);
      }
      expect(verifyConsistency(n, n, [], root, root)).toBe(true);
      expect(verifyConsistency(n, n, [], root, leafHash(root))).toBe(false);
    }
  });

  it('keeps leaves apart from inner nodes (0x00 / 0x01)', () => {
    const [a, b] = leavesOf(2);
    // A leaf whose data is two hashes is not the node over them.
    expect(leafHash(Buffer.concat([a!, b!])).equals(nodeHash(a!, b!))).toBe(false);
  });
});

const keys = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey };
};

/** An event as stored, loosely typed: the tests edit it as an insider edits JSON. */
interface Raw {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const quarter = async (): Promise<Raw[]> => {
  const engine = createEngine({ store: createInMemoryEventStore() });
  await runQuarterScenario(engine);
  const all: Raw[] = [];
  for await (const e of engine.store.readAll())
    all.push({ type: e.type, data: e.data as Record<string, unknown>, metadata: { ...e.metadata } });
  return all;
};

/** An insider's re-hash: every event of the stream from `from` on gets a fresh hash and link. */
const rehash = (events: Raw[], streamId: string, from = 0): Raw[] => {
  let prev: string | undefined;
  return events.map((e) => {
    if (e.metadata.streamId !== streamId) return e;
    const rev = e.metadata.revision as number;
    if (rev < from) {
      prev = e.metadata.hash as string;
      return e;
    }
    const copy = clone(e);
    if (prev !== undefined) copy.metadata.prevHash = prev;
    copy.metadata.hash = hashEvent(copy);
    prev = copy.metadata.hash as string;
    return copy;
  });
};

describe('keys', () => {
  const pair = keys();
  const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ format: 'pem', type }) as string;

  it('reads Ed25519 keys as PEM and as JWK, and names a key by the SHA-256 of its 32 raw bytes', () => {
    const fromPem = right(readKey(pem(pair.publicKey, 'spki'), 'public', 'office.pub.pem'));
    const fromJwk = right(
      readKey(JSON.stringify(pair.publicKey.export({ format: 'jwk' })), 'public', 'pub.jwk'),
    );
    const priv = right(
      readKey(JSON.stringify(pair.privateKey.export({ format: 'jwk' })), 'private', 'k.jwk'),
    );
    expect(rawPublicKey(fromPem)).toHaveLength(32);
    expect(keyIdOf(fromPem)).toBe(createHash('sha256').update(rawPublicKey(fromJwk)).digest('hex'));
    expect(keyIdOf(priv)).toBe(keyIdOf(fromPem));
  });

  it('refuses a key of the wrong kind or algorithm, and text that is no key, naming the file', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const cases: Array<[string, 'private' | 'public', string, string]> = [
      [pem(pair.privateKey, 'pkcs8'), 'public', 'KeyNotPublic', 'a.pem: is a private key'],
      [pem(pair.publicKey, 'spki'), 'private', 'KeyNotPrivate', 'b.pem: is a public key'],
      [pem(rsa.publicKey, 'spki'), 'public', 'KeyNotEd25519', 'c.pem: is a rsa key'],
      ['{"kty":"EC","crv":"P-256","x":"a","y":"b"}', 'public', 'KeyNotEd25519', 'd.jwk: is a EC/P-256 key'],
      ['hello', 'public', 'KeyUnreadable', 'e.txt: is neither a PEM key'],
      [
        '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
        'public',
        'KeyUnreadable',
        'f.pem: cannot be read as a key',
      ],
      ['{"kty":', 'public', 'KeyUnreadable', 'g.jwk: is not a JWK'],
    ];
    const files = ['a.pem', 'b.pem', 'c.pem', 'd.jwk', 'e.txt', 'f.pem', 'g.jwk'];
    cases.forEach(([text, role, code, message], i) => {
      const r = readKey(text, role, files[i]!);
      expect(isLeft(r) && r.left.code).toBe(code);
      expect(isLeft(r) && r.left.message).toContain(message);
    });
  });
});

describe('seals', () => {
  const pair = keys();
  const office = { office: 'changzhi', at: '2022-04-01T10:00:00.000Z', privateKey: pair.privateKey };
  let events: Raw[];
  let seal: Seal;
  let index: SealIndex;
  beforeAll(async () => {
    events = await quarter();
    ({ seal, index } = right(await sealHistory(events, office)));
  });

  it('signs the size, root, heads digest, time and office; the signature verifies with the public key only', () => {
    expect(seal).toMatchObject({ format: 'duban-seal/1', office: 'changzhi', size: events.length });
    expect(seal.root).toBe(
      hex(mth(events.map((e) => leafHash(Buffer.from(e.metadata.hash as string, 'hex'))))),
    );
    expect(seal.key).toBe(keyIdOf(pair.publicKey));
    expect(verifySealSignature(seal, [pair.publicKey]).ok).toBe(true);
    expect(verifySealSignature(seal, [keys().publicKey])).toMatchObject({ ok: false, reason: 'unknown-key' });
    for (const altered of [
      { ...seal, size: seal.size - 1 },
      { ...seal, at: '2022-04-02T10:00:00.000Z' },
      { ...seal, office: 'taiyuan' },
    ])
      expect(verifySealSignature(altered, [pair.publicKey])).toMatchObject({
        ok: false,
        reason: 'bad-signature',
      });
    // The private key is in neither the seal nor its index.
    const d = pair.privateKey.export({ format: 'jwk' }).d!;
    expect(JSON.stringify({ seal, index })).not.toContain(d);
    expect(JSON.stringify({ seal, index })).not.toContain(Buffer.from(d, 'base64url').toString('hex'));
  });

  it('keeps heads as a digest in the seal and the full list in the index, the same TSV verify --heads prints', async () => {
    const heads = sortedHeads(await streamHeads(events));
    expect(seal.heads).toEqual(headsDigest(heads));
    expect(index.heads).toEqual(heads.map((h) => [h.streamId, h.revision, h.hash]));
    const tsv = headsTsv(heads);
    expect(tsv.split('\n')[0]).toBe(HEADS_TSV_HEADER);
    expect(right(parseHeadsTsv(tsv, 'h.tsv'))).toEqual(
      Object.fromEntries(heads.map((h) => [h.streamId, { revision: h.revision, hash: h.hash }])),
    );
  });

  it('refuses to seal a broken history or an empty one', async () => {
    const broken = clone(events);
    (broken[3]!.data as { deployment?: string }).deployment = 'changed';
    const r = await sealHistory(broken, office);
    expect(isLeft(r) && r.left).toMatchObject({
      code: 'HistoryUnsealable',
      message: expect.stringContaining('the history is broken'),
    });
    const empty = await sealHistory([], office);
    expect(isLeft(empty) && empty.left.code).toBe('HistoryUnsealable');
  });

  it('reads a seal strictly: every field checked, unknown fields refused', () => {
    expect(right(decodeSeal(clone(seal), 's.json'))).toEqual(seal);
    const bad = decodeSeal(
      { ...seal, size: -1, root: 'xyz', extra: 1, heads: { ...seal.heads, more: 2 } },
      's.json',
    );
    expect(isLeft(bad) && bad.left.problems).toEqual(
      expect.arrayContaining([
        { where: 'size', message: expect.stringContaining('whole number') },
        { where: 'root', message: expect.stringContaining('SHA-256') },
        { where: 'extra', message: expect.stringContaining('unknown field') },
        { where: 'heads.more', message: expect.stringContaining('unknown field') },
      ]),
    );
  });

  it('checks the index against the seal: blocks give back the root, heads the heads root', () => {
    expect(isRight(decodeSealIndex(clone(index), seal, 'i.json'))).toBe(true);
    const blocks = clone(index) as unknown as { blocks: string[] };
    blocks.blocks[2] = hex(leafHash(Buffer.from('x')));
    const b = decodeSealIndex(blocks, seal, 'i.json');
    expect(isLeft(b) && b.left.problems).toEqual([
      { where: 'blocks', message: "the block roots do not give back the seal's root" },
    ]);
    const heads = clone(index) as unknown as { heads: [string, number, string][] };
    heads.heads[0]![1] += 1;
    const h = decodeSealIndex(heads, seal, 'i.json');
    expect(isLeft(h) && h.left.problems).toEqual([
      { where: 'heads', message: "the heads do not give back the seal's heads.root" },
    ]);
    const unsorted = clone(index) as unknown as { heads: unknown[] };
    unsorted.heads.reverse();
    expect(isLeft(decodeSealIndex(unsorted, seal, 'i.json'))).toBe(true);
  });

  it('keeps at most MAX_BLOCKS block roots, doubling the block size, and they always give back the root', () => {
    for (const n of [1, 5, MAX_BLOCKS, MAX_BLOCKS + 1, 2 * MAX_BLOCKS + 3, 5 * MAX_BLOCKS + 7]) {
      const tree = createHistoryTree();
      const fake = (i: number) => ({
        type: 'X',
        data: {},
        metadata: {
          streamId: `task-${i % 7}`,
          revision: Math.floor(i / 7),
          hash: hex(createHash('sha256').update(String(i)).digest()),
        },
      });
      for (let i = 0; i < n; i++) tree.push(fake(i));
      const sealed = right(sealTree(tree, office));
      expect(sealed.index.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      expect(sealed.index.blocks.length).toBe(Math.ceil(n / sealed.index.blockSize));
      expect(isRight(decodeSealIndex(sealed.index, sealed.seal, 'i'))).toBe(true);
    }
  });

  describe('a history checked against its seal', () => {
    const check = (history: Array<Raw | undefined>, withIndex = true) => {
      const c = createSealCheck(seal, withIndex ? { index } : {});
      history.forEach((e, i) => c.push(e, i + 1));
      return c.finish();
    };
    const at = (streamId: string, revision: number) =>
      events.findIndex((e) => e.metadata.streamId === streamId && e.metadata.revision === revision);

    it('is as sealed', () => {
      expect(check(events)).toMatchObject({
        ok: true,
        rootMatches: true,
        findings: [],
        events: events.length,
      });
    });

    it('names a stream re-hashed after a change, at the revision sealed, and the first event that differs', () => {
      const i = at('task-T2', 3);
      const tampered = clone(events);
      (tampered[i]!.data as { reason?: string }).reason = 'forged';
      const v = check(rehash(tampered, 'task-T2', 3));
      expect(v.ok).toBe(false);
      expect(v.findings[0]).toMatchObject({ kind: 'block', position: i, line: i + 1 });
      expect(v.findings).toContainEqual(
        expect.objectContaining({ kind: 'rewritten', streamId: 'task-T2', revision: 7 }),
      );
      // Without the index: the root differs, nothing more can be said.
      expect(check(rehash(tampered, 'task-T2', 3), false)).toMatchObject({
        ok: false,
        rootMatches: false,
        findings: [],
      });
    });

    it('names a dropped tail, a deleted stream, an inserted event and an unsealed stream', () => {
      const t3 = events.filter((e) => e.metadata.streamId === 'task-T3');
      const cut = events.filter(
        (e) => !(e.metadata.streamId === 'task-T3' && (e.metadata.revision as number) >= t3.length - 3),
      );
      expect(check(cut).findings).toContainEqual(
        expect.objectContaining({ kind: 'truncated', streamId: 'task-T3', revision: t3.length - 3 }),
      );
      // (the history is also shorter than the seal)
      expect(check(cut).findings).toContainEqual(expect.objectContaining({ kind: 'short' }));

      // A forged event appended to T1 past its head, but placed where its time puts it: inside the sealed range.
      const t1 = events.filter((e) => e.metadata.streamId === 'task-T1');
      const forged = clone(t1.at(-1)!);
      forged.metadata.revision = t1.length;
      forged.metadata.prevHash = t1.at(-1)!.metadata.hash;
      forged.metadata.hash = hashEvent(forged);
      const k = at('task-T1', t1.length - 1) + 1;
      const inserted = check([...events.slice(0, k), forged, ...events.slice(k)]);
      expect(inserted.findings[0]).toMatchObject({ kind: 'block', position: k });
      expect(inserted.findings).toContainEqual(
        expect.objectContaining({ kind: 'inserted', streamId: 'task-T1', position: k, line: k + 1 }),
      );

      const deleted = events.filter((e) => e.metadata.streamId !== 'task-T1');
      expect(check(deleted).findings).toContainEqual(
        expect.objectContaining({ kind: 'deleted', streamId: 'task-T1' }),
      );

      const fabricated = rehash(
        events
          .filter((e) => e.metadata.streamId === 'task-T1')
          .map((e) => ({
            ...clone(e),
            metadata: { ...clone(e).metadata, streamId: 'task-T9' },
            data: { ...(clone(e).data as object), taskId: 'T9' },
          })),
        'task-T9',
      );
      const withFake = [...fabricated, ...events];
      const v = check(withFake);
      expect(v.findings[0]).toMatchObject({ kind: 'block', position: 0 });
      expect(v.findings).toContainEqual(
        expect.objectContaining({ kind: 'unsealed', streamId: 'task-T9', position: 0 }),
      );
    });

    it('catches events reordered across streams, where every chain still verifies', () => {
      const i = events.findIndex((e, k) => k > 0 && e.metadata.streamId !== events[k - 1]!.metadata.streamId);
      const swapped = [...events];
      [swapped[i - 1], swapped[i]] = [swapped[i]!, swapped[i - 1]!];
      const v = check(swapped);
      expect(v.ok).toBe(false);
      expect(v.findings[0]).toMatchObject({ kind: 'block', position: i - 1 });
    });

    it('checks that what follows the seal is appended, and lists what is dated before the seal', () => {
      const t1 = events.filter((e) => e.metadata.streamId === 'task-T1');
      const last = t1.at(-1)!;
      const next = clone(last);
      next.metadata.revision = (last.metadata.revision as number) + 1;
      next.metadata.prevHash = last.metadata.hash;
      next.metadata.hash = hashEvent(next);
      const v = check([...events, next]);
      expect(v).toMatchObject({ ok: true, appended: { count: 1, streams: 1, backdatedCount: 1 } });
      expect(v.appended.backdated[0]).toMatchObject({ streamId: 'task-T1', position: events.length });
      // A replayed old event after the seal is not an append.
      const replayed = check([...events, clone(t1[2]!)]);
      expect(replayed.ok).toBe(false);
      expect(replayed.findings).toEqual([
        expect.objectContaining({ kind: 'not-appended', streamId: 'task-T1', revision: 2 }),
      ]);
    });
  });

  describe('inclusion proofs', () => {
    const prove = (
      history: Raw[],
      subject: { task: string } | { unit: string },
      streams: string[],
      select?: (e: Hashable) => boolean,
    ) => {
      const prover = createProver(seal, { subject, streams, ...(select ? { select } : {}) });
      for (const e of history) prover.push(e);
      return prover.prove();
    };
    let proof: InclusionProof;
    beforeAll(() => {
      proof = right(prove(events, { task: 'T2' }, ['task-T2']));
    });

    it("prove one task's events whole, complete to its sealed head, with the seal alone", () => {
      const t2 = events.filter((e) => e.metadata.streamId === 'task-T2');
      expect(proof.streams).toHaveLength(1);
      expect(proof.streams[0]!.events.map((e) => e.event)).toEqual(t2);
      const v = verifyInclusionProof(clone(proof), [pair.publicKey]);
      expect(v).toMatchObject({
        ok: true,
        problems: [],
        streams: [{ streamId: 'task-T2', events: t2.length, absent: false }],
      });
    });

    it("proves a unit's tasks and shows its own stream absent when it has none", () => {
      const unit = 'bureau-of-commerce';
      const p = right(
        prove(
          events,
          { unit },
          [`unit-${unit}`],
          (e) =>
            e.type === 'TaskAssigned' &&
            ((e.data as { leadUnit: string }).leadUnit === unit ||
              (e.data as { coUnits: string[] }).coUnits.includes(unit)),
        ),
      );
      expect(p.streams.map((s) => s.streamId)).toEqual(['task-T1', 'task-T3', `unit-${unit}`]);
      expect(p.streams[2]!.absent).toBeDefined();
      expect(verifyInclusionProof(p, [pair.publicKey])).toMatchObject({ ok: true });
    });

    it('refuses a proof of a history that is not the sealed one', () => {
      const tampered = rehash(
        events.map((e, i) => (i === 5 ? { ...clone(e), data: { ...(e.data as object), summary: 'x' } } : e)),
        events[5]!.metadata.streamId as string,
      );
      const r = prove(tampered, { task: 'T2' }, ['task-T2']);
      expect(isLeft(r) && r.left.message).toContain("do not hash to the seal's root");
    });

    // A proof is edited as the parsed JSON an insider would edit.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form edits of parsed JSON are the point
    type Edited = Record<string, any>;
    const tamperings: Array<[string, (p: Edited) => void, string]> = [
      [
        'an event changed',
        (p) => {
          p.streams[0].events[2].event.data.reason = 'x';
        },
        'the event was changed',
      ],
      [
        'an event changed and re-hashed',
        (p) => {
          const e = p.streams[0].events[2].event;
          e.data.reason = 'x';
          e.metadata.hash = hashEvent(e);
        },
        'does not link',
      ],
      [
        'an event left out',
        (p) => {
          p.streams[0].events.splice(3, 1);
        },
        'without a gap',
      ],
      [
        'the last event left out',
        (p) => {
          p.streams[0].events.pop();
        },
        'events of the stream are left out',
      ],
      [
        'a position moved',
        (p) => {
          p.streams[0].events[1].position += 1;
        },
        "audit path does not lead to the seal's root",
      ],
      [
        'a path hash changed',
        (p) => {
          p.streams[0].events[0].path[0] = '0'.repeat(64);
        },
        'audit path does not lead',
      ],
      [
        'the head changed',
        (p) => {
          p.streams[0].head.revision += 1;
        },
        'among the sealed heads',
      ],
      [
        'the seal re-sized',
        (p) => {
          p.seal.size += 1;
        },
        'the signature does not verify',
      ],
      [
        'another subject',
        (p) => {
          p.subject = { task: 'T1' };
        },
        'does not carry its stream task-T1',
      ],
      [
        'an unknown field',
        (p) => {
          p.extra = 1;
        },
        'unknown field',
      ],
    ];
    it.each(tamperings)('refuses a proof with %s', (_name, tamper, message) => {
      const p = clone(proof) as Edited;
      tamper(p);
      const v = verifyInclusionProof(p, [pair.publicKey]);
      expect(v.ok).toBe(false);
      expect(v.problems.map((x) => x.message).join('\n')).toContain(message);
    });

    it('refuses a proof checked with another key', () => {
      expect(verifyInclusionProof(proof, [keys().publicKey]).problems[0]).toMatchObject({
        where: 'seal.signature',
        message: expect.stringContaining('not with the key given'),
      });
    });
  });

  it('proves that a later seal extends an earlier one, and that a rewritten one does not', async () => {
    const early = right(await sealHistory(events.slice(0, 20), office)).seal;
    const tree = createHistoryTree({ keepLeaves: true });
    for (const e of events) tree.push(e);
    const c = checkSealConsistency(seal, early, tree.tree());
    expect(c).toMatchObject({
      ok: true,
      older: early,
      newer: seal,
      message: expect.stringContaining('extends'),
    });
    expect(c.proof.length).toBeGreaterThan(0);
    const rewritten = rehash(
      events.map((e, i) =>
        i === 4 ? { ...clone(e), data: { ...(e.data as object), summary: 'rewritten' } } : e,
      ),
      events[4]!.metadata.streamId as string,
    );
    const forked = right(await sealHistory(rewritten, office)).seal;
    const rtree = createHistoryTree({ keepLeaves: true });
    for (const e of rewritten) rtree.push(e);
    expect(checkSealConsistency(early, forked, rtree.tree())).toMatchObject({
      ok: false,
      message: expect.stringContaining('does not extend'),
    });
    const twin = right(await sealHistory(rewritten.slice(0, 20), office)).seal;
    expect(checkSealConsistency(early, twin, rtree.tree())).toMatchObject({
      ok: false,
      message: expect.stringContaining('two different histories'),
    });
  });
});
