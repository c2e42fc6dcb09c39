import { isLeft, isRight } from 'fp-ts/Either';
import {
  createEngine,
  createHistoryChecker,
  createInMemoryEventStore,
  exportHistory,
  historyRecords,
  importHistory,
  type EventStore,
  type ImportError,
  type RecordedEvent,
} from '@duban/engine';
import { createFaultyStore, runQuarterScenario, taskFixture } from '@duban/testing';

/** Every line of an async iterable of lines, joined. */
const text = async (lines: AsyncIterable<string>): Promise<string> => {
  let out = '';
  for await (const l of lines) out += l;
  return out;
};

const linesOf = (ndjson: string): string[] => ndjson.split('\n').filter(Boolean);

/** The quarter scenario's history (three tasks, interleaved streams), as exportHistory writes it. */
const scenario = async (): Promise<{ store: EventStore; ndjson: string; lines: string[] }> => {
  const store = createInMemoryEventStore();
  await runQuarterScenario(createEngine({ store }));
  const ndjson = await text(exportHistory(store));
  return { store, ndjson, lines: linesOf(ndjson) };
};

const eventsIn = async (store: EventStore): Promise<number> => {
  let n = 0;
  for await (const _ of store.readAll()) n += 1;
  return n;
};

const importError = (r: Awaited<ReturnType<typeof importHistory>>): ImportError => {
  if (isRight(r)) throw new Error(`expected the import to fail, it wrote ${r.right.written} events`);
  return r.left;
};

describe('exportHistory and importHistory: a history as NDJSON, in and out of any store', () => {
  it('round-trips byte for byte: export, import into another store, export again', async () => {
    const { ndjson, lines } = await scenario();
    expect(lines.length).toBeGreaterThan(20);
    const target = createInMemoryEventStore();
    const imported = await importHistory(target, () => lines);
    expect(imported).toEqual({
      _tag: 'Right',
      right: {
        written: lines.length,
        streams: 3,
        events: lines.length,
        already: 0,
        skipped: { streams: 0, unreadable: 0, problems: [] },
      },
    });
    expect(await text(exportHistory(target))).toBe(ndjson);
    // Lines given with their line breaks (as exported) read the same as without.
    const again = createInMemoryEventStore();
    expect(isRight(await importHistory(again, () => exportHistory(target)))).toBe(true);
    expect(await text(exportHistory(again))).toBe(ndjson);
  });

  it('refuses a tampered line with its line number, field and chain break, and writes nothing at all', async () => {
    const { lines } = await scenario();
    const tampered = [...lines];
    const k = 5; // 1-based line 6
    tampered[k] = lines[k]!.replace(/"at":"([^"]+)"/, '"at":"2022-03-02T09:00:00.000+08:00"');
    expect(tampered[k]).not.toBe(lines[k]);
    const target = createInMemoryEventStore();
    const error = importError(await importHistory(target, () => tampered));
    expect(error.code).toBe('InvalidHistory');
    const problems = error.code === 'InvalidHistory' ? error.problems : [];
    expect(problems[0]).toMatchObject({
      kind: 'chain',
      line: k + 1,
      field: 'metadata.hash',
      message: 'changed: content does not match its hash',
      break: { problem: 'changed', detail: 'content does not match its hash' },
    });
    expect(error.message).toContain(`the first at line ${k + 1}`);
    // Nothing before the bad line either: the whole history is checked before the first append.
    expect(await eventsIn(target)).toBe(0);
  });

  it('names unreadable lines and bad fields by line and path', async () => {
    const { lines } = await scenario();
    const bad = [
      lines[0]!,
      '{"type":"TaskAssigned"',
      lines[1]!.replace('{"type":', '{"type":"x","type":'),
      ...lines.slice(2),
    ];
    const error = importError(await importHistory(createInMemoryEventStore(), () => bad));
    const problems = error.code === 'InvalidHistory' ? error.problems : [];
    expect(problems.slice(0, 2)).toEqual([
      expect.objectContaining({
        kind: 'unreadable',
        line: 2,
        field: '(line)',
        message: expect.stringMatching(/^truncated: the JSON ends early/),
      }),
      expect.objectContaining({
        kind: 'unreadable',
        line: 3,
        field: 'type',
        message: expect.stringContaining('twice'),
      }),
    ]);
    expect(importError(await importHistory(createInMemoryEventStore(), () => [])).code).toBe('EmptyHistory');
  });

  it('resumes an import cut short: what the store holds is recognised by its hashes and skipped', async () => {
    const { ndjson, lines } = await scenario();
    const faulty = createFaultyStore(createInMemoryEventStore());
    // A small batch size makes several appends; the third is refused as a store that went away.
    const options = { maxBatchBytes: 4_000 };
    let calls = 0;
    const counting: EventStore = {
      ...faulty.store,
      appendToStream: (...args) => {
        calls += 1;
        if (calls === 3) faulty.inject('append-unavailable');
        return faulty.store.appendToStream(...args);
      },
    };
    const error = importError(await importHistory(counting, () => lines, options));
    expect(error).toMatchObject({ code: 'AppendRefused', cause: { code: 'StoreUnavailable' } });
    const written = error.code === 'AppendRefused' ? error.written : -1;
    expect(written).toBeGreaterThan(0);
    expect(await eventsIn(faulty.store)).toBe(written);

    const resumed = await importHistory(faulty.store, () => lines, options);
    expect(isRight(resumed) && resumed.right).toMatchObject({
      written: lines.length - written,
      already: written,
      events: lines.length,
    });
    expect(await text(exportHistory(faulty.store))).toBe(ndjson);
    // A third run writes nothing: the import is idempotent.
    const third = await importHistory(faulty.store, () => lines);
    expect(isRight(third) && third.right).toMatchObject({ written: 0, already: lines.length });
  });

  it('refuses a store holding other events of a stream, and imports only the valid streams on request', async () => {
    const { lines } = await scenario();
    const other = createInMemoryEventStore();
    // T1 assigned with another deadline: the same stream, other events.
    const t1 = taskFixture({ taskId: 'T1', deadlineInWorkingDays: 9 }).assign();
    await createEngine({ store: other }).execute(
      { type: t1.type, data: t1.data },
      { actor: t1.actor, at: t1.at, commandId: 'other-T1' },
    );
    const error = importError(
      await importHistory(other, () => lines, { labels: { store: 'the archive', source: 'q1.ndjson' } }),
    );
    expect(error.code === 'InvalidHistory' && error.problems).toEqual([
      {
        kind: 'store',
        streamId: 'task-T1',
        field: 'metadata.streamId',
        message: "the archive already holds 1 events of this stream that differ from q1.ndjson's",
      },
    ]);
    const partial = await importHistory(other, () => lines, { skipInvalid: true });
    expect(isRight(partial) && partial.right).toMatchObject({
      streams: 2,
      skipped: { streams: 1, unreadable: 0, problems: [expect.objectContaining({ streamId: 'task-T1' })] },
    });
  });

  it('stops when the history changes between its check and its import', async () => {
    const { lines } = await scenario();
    let reads = 0;
    const target = createInMemoryEventStore();
    const error = importError(
      await importHistory(target, () => (++reads === 1 ? lines : [...lines, lines[lines.length - 1]!])),
    );
    // The second reading holds a line the first did not: the import stops there, naming it.
    expect(error).toMatchObject({
      code: 'HistoryChanged',
      problem: { line: lines.length + 1, chain: 'inserted' },
    });
    const written = error.code === 'HistoryChanged' ? error.written : -1;
    expect(await eventsIn(target)).toBe(written);
    // What was written is a verified prefix: the settled history imports after it.
    const resumed = await importHistory(target, () => lines);
    expect(isRight(resumed) && resumed.right).toMatchObject({ written: lines.length - written });
  });
});

describe('one shape for a chain break', () => {
  it('the engine refusing to decide and a history check report the same ChainBreak', async () => {
    const inner = createInMemoryEventStore();
    const f = taskFixture();
    const engine = createEngine({ store: inner });
    for (const [i, c] of [f.assign(), f.accept()].entries())
      await engine.execute({ type: c.type, data: c.data }, { actor: c.actor, at: c.at, commandId: `c-${i}` });
    const tamper = (e: RecordedEvent): RecordedEvent =>
      e.revision === 0n ? { ...e, data: { ...(e.data as object), title: 'Another title' } } : e;
    const tampered: EventStore = {
      ...inner,
      readStream: (id, o) =>
        (async function* () {
          for await (const e of inner.readStream(id, o)) yield tamper(e);
        })(),
      readAll: (o) =>
        (async function* () {
          for await (const e of inner.readAll(o)) yield tamper(e);
        })(),
    };
    const c = f.urge();
    const refused = await createEngine({ store: tampered, verifyOnLoad: true }).execute(
      { type: c.type, data: c.data },
      { actor: c.actor, at: c.at, commandId: 'c-urge' },
    );
    const engineBreak =
      isLeft(refused) && refused.left.kind === 'IntegrityError' ? refused.left.break : undefined;
    expect(engineBreak).toMatchObject({ streamId: 'task-T-2022-001', revision: 0, problem: 'changed' });

    const checker = createHistoryChecker();
    const found = [];
    for await (const record of historyRecords(exportHistory(tampered)))
      found.push(...checker.check(record).problems);
    expect(found).toHaveLength(1);
    expect(found[0]!.break).toEqual(engineBreak);
    expect(found[0]).toMatchObject({ line: 1, chain: 'changed', field: 'metadata.hash' });
  });
});
