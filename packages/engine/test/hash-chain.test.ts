import {
  createChainVerifier,
  hashEvent,
  streamHeads,
  verifyAll,
  verifyStream,
  type Envelope,
} from '@duban/engine';
import { createEngine, createInMemoryEventStore } from '@duban/engine';
import { runQuarterScenario } from '@duban/testing';

const quarterScenario = async (engine = createEngine({ store: createInMemoryEventStore() })) => ({
  engine,
  ...(await runQuarterScenario(engine)),
});

const history = async () => {
  const { engine } = await quarterScenario();
  const all: Envelope[] = [];
  for await (const e of engine.readAll()) all.push(e);
  const t1 = all.filter((e) => e.metadata.streamId === 'task-T1');
  return { all, t1 };
};

const clone = <T>(x: T): T =>
  JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));

describe('hash chain (tamper evidence)', () => {
  it('verifies an untouched history, stream by stream and all together', async () => {
    const { all, t1 } = await history();
    expect(verifyStream(t1)).toMatchObject({ ok: true, streams: 1, events: t1.length, breaks: [] });
    expect(await verifyAll(all)).toMatchObject({ ok: true, streams: 3, events: all.length });
  });

  it('hashes the canonical form: key order does not matter, content does', async () => {
    const { t1 } = await history();
    const e = t1[1]!;
    const reordered = { metadata: e.metadata, data: e.data, type: e.type };
    expect(hashEvent(reordered)).toBe(e.metadata.hash);
    expect(hashEvent({ ...e, data: { ...(e.data as object), unitId: 'bureau-of-finance' } })).not.toBe(
      e.metadata.hash,
    );
  });

  it('finds a changed byte in the data and names stream and revision', async () => {
    const { t1 } = await history();
    const tampered = clone(t1);
    (tampered[3]!.data as { summary: string }).summary += '.';
    expect(verifyStream(tampered).firstBreak).toMatchObject({
      streamId: 'task-T1',
      revision: 3,
      problem: 'changed',
    });
  });

  it('finds a changed actor or time in the envelope', async () => {
    const { t1 } = await history();
    const tampered = clone(t1);
    (tampered[2]!.metadata as { at: string }).at = '2022-03-01T10:00:00.000+08:00';
    expect(verifyStream(tampered).firstBreak).toMatchObject({ revision: 2, problem: 'changed' });
  });

  it('finds an event changed and re-hashed, by the broken link after it', async () => {
    const { t1 } = await history();
    const tampered = clone(t1);
    (tampered[4]!.data as { summary: string }).summary = 'forged';
    (tampered[4]!.metadata as { hash: string }).hash = hashEvent(tampered[4]!);
    expect(verifyStream(tampered).firstBreak).toMatchObject({ revision: 4, problem: 'changed' });
  });

  it('finds a dropped event', async () => {
    const { t1 } = await history();
    const dropped = [...t1.slice(0, 2), ...t1.slice(3)];
    expect(verifyStream(dropped).firstBreak).toMatchObject({ revision: 2, problem: 'missing' });
  });

  it('finds a dropped tail or a rewritten chain only against recorded heads', async () => {
    const { t1 } = await history();
    const heads = await streamHeads(t1);
    // An unkeyed chain alone cannot see a dropped tail...
    expect(verifyStream(t1.slice(0, -1)).ok).toBe(true);
    // ...the head recorded earlier can.
    expect(verifyStream(t1.slice(0, -1), heads).firstBreak).toMatchObject({
      revision: t1.length - 1,
      problem: 'missing',
    });
    // A wholesale rewrite from some revision on, re-hashed and re-linked, is caught the same way.
    const rewritten = clone(t1);
    (rewritten[3]!.data as { summary: string }).summary = 'rewritten';
    for (let i = 3; i < rewritten.length; i++) {
      (rewritten[i]!.metadata as { prevHash: string }).prevHash = rewritten[i - 1]!.metadata.hash;
      (rewritten[i]!.metadata as { hash: string }).hash = hashEvent(rewritten[i]!);
    }
    expect(verifyStream(rewritten).ok).toBe(true);
    expect(verifyStream(rewritten, heads).firstBreak).toMatchObject({
      revision: t1.length - 1,
      problem: 'changed',
    });
    expect(verifyStream(t1, heads).ok).toBe(true);
  });

  it('checks a recorded head where the stream passes it: a rewritten stream that then grew is caught', async () => {
    const { t1 } = await history();
    const heads = await streamHeads(t1.slice(0, 4)); // recorded when T1 had 4 events
    const rewritten = clone(t1);
    (rewritten[2]!.data as { summary?: string; deployment?: string }).deployment = 'rewritten';
    for (let i = 2; i < rewritten.length; i++) {
      (rewritten[i]!.metadata as { prevHash: string }).prevHash = rewritten[i - 1]!.metadata.hash;
      (rewritten[i]!.metadata as { hash: string }).hash = hashEvent(rewritten[i]!);
    }
    expect(verifyStream(rewritten).ok).toBe(true);
    expect(verifyStream(rewritten, heads).firstBreak).toMatchObject({
      revision: 3,
      problem: 'changed',
      index: 3,
      detail: expect.stringContaining('the stream was rewritten: revision 3 hashes to'),
    });
    // The same history, untouched, grew past its recorded heads: intact.
    expect(verifyStream(t1, heads).ok).toBe(true);
  });

  it('finds reordered events', async () => {
    const { t1 } = await history();
    const swapped = [t1[0]!, t1[2]!, t1[1]!, ...t1.slice(3)];
    expect(verifyStream(swapped).firstBreak).toMatchObject({ revision: 1, problem: 'reordered' });
  });

  it('names the highest revision seen past the gap when the missing one turns up', async () => {
    const { t1 } = await history();
    expect(t1.length).toBeGreaterThan(4);
    const late = [t1[0]!, t1[2]!, t1[4]!, t1[3]!, t1[1]!];
    expect(verifyStream(late).firstBreak).toMatchObject({
      revision: 1,
      problem: 'reordered',
      detail: 'revision 1 appears after revision 4',
    });
  });

  it('links only to the hash exactly as computed (lower-case hex)', async () => {
    const { t1 } = await history();
    const upper = clone(t1.slice(0, 2));
    (upper[1]!.metadata as { prevHash: string }).prevHash = upper[0]!.metadata.hash.toUpperCase();
    (upper[1]!.metadata as { hash: string }).hash = hashEvent(upper[1]!);
    expect(verifyStream(upper).firstBreak).toMatchObject({ revision: 0, problem: 'changed' });
  });

  it('keeps the head of every stream of a history with thousands of them', async () => {
    const { t1 } = await history();
    // The same stream under 3000 names: each copy is a stream of its own, checked to its end.
    const many = Array.from({ length: 3000 }, (_, n) =>
      t1.map((e) => {
        const m = { ...e.metadata, streamId: `task-copy-${n}` };
        const copy = { type: e.type, data: e.data, metadata: m };
        return copy;
      }),
    );
    const rehashed = many.map((stream) => {
      let prev = '0'.repeat(64);
      return stream.map((e) => {
        const metadata = { ...e.metadata, prevHash: prev };
        const hashed = { ...e, metadata: { ...metadata, hash: hashEvent({ ...e, metadata }) } };
        prev = hashed.metadata.hash;
        return hashed;
      });
    });
    const interleaved = rehashed[0]!.flatMap((_, r) => rehashed.map((s) => s[r]!));
    const heads = await streamHeads(interleaved);
    expect(await verifyAll(interleaved, heads)).toMatchObject({ ok: true, streams: 3000 });
    const cut = interleaved.filter(
      (e) => !(e.metadata.streamId === 'task-copy-2999' && e.metadata.revision > 0),
    );
    expect((await verifyAll(cut, heads)).breaks).toEqual([
      expect.objectContaining({ streamId: 'task-copy-2999', revision: 1, problem: 'missing' }),
    ]);
  });

  it('finds an inserted event, even one with a self-consistent hash', async () => {
    const { t1 } = await history();
    const forged = clone(t1[2]!);
    (forged.data as { summary: string }).summary = 'an extra report';
    (forged.metadata as { hash: string }).hash = hashEvent(forged);
    const inserted = [...t1.slice(0, 3), forged, ...t1.slice(3)];
    expect(verifyStream(inserted).firstBreak).toMatchObject({ revision: 2, problem: 'inserted', index: 3 });
  });

  it('reports the first break of each stream in $all order', async () => {
    const { all } = await history();
    const tampered = clone(all);
    const i = tampered.findIndex((e) => e.metadata.streamId === 'task-T3' && e.metadata.revision === 1);
    (tampered[i]!.data as { deployment?: string }).deployment = 'changed';
    const report = await verifyAll(tampered);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([
      expect.objectContaining({ streamId: 'task-T3', revision: 1, problem: 'changed', index: i }),
    ]);
  });

  it('returns each break from push, once, and reports the same however often asked', async () => {
    const { t1 } = await history();
    const heads = await streamHeads(t1);
    const tampered = clone(t1.slice(0, -1));
    (tampered[2]!.data as { summary: string }).summary = 'x';
    const v = createChainVerifier({ heads });
    const returned = tampered.map((e) => v.push(e));
    expect(returned.filter(Boolean)).toEqual([expect.objectContaining({ revision: 2, problem: 'changed' })]);
    expect(v.report()).toEqual(v.report());
    expect(v.report().breaks).toHaveLength(1);
  });

  it('verifies what the store holds, not the upcast form (engine.verify)', async () => {
    const { engine } = await quarterScenario();
    const report = await engine.verify();
    expect(report).toMatchObject({ ok: true, streams: 3 });
  });

  it('calls a line without an envelope malformed', () => {
    const v = createChainVerifier();
    v.push({ type: 'TaskUrged', data: {}, metadata: { streamId: 'task-X' } });
    expect(v.report().firstBreak).toMatchObject({ streamId: 'task-X', problem: 'malformed' });
  });
});
