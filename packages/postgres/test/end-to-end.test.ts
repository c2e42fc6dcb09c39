import { isLeft } from 'fp-ts/Either';
import { Client } from 'pg';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  verifyAll,
  type Engine,
  type Envelope,
  type EventStore,
} from '@duban/engine';
import { runQuarterScenario, runSeedWorkflow, SEED_WORKFLOW_EVENTS } from '@duban/testing';
import { createPostgresEventStore, LATEST_VERSION, migrationSql, type PostgresEventStore } from '../src';
import { describePostgres } from './support/database';

const history = async (engine: Engine) => {
  const out: Array<Omit<Envelope, 'position'>> = [];
  for await (const { position: _position, ...e } of engine.readAll()) out.push(e);
  return out;
};

/** `duban export`'s format: one envelope per line, exactly as the engine wrote it. */
const exportLines = async (engine: Engine): Promise<string> => {
  let out = '';
  for await (const e of engine.readAll())
    out += `${JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata })}\n`;
  return out;
};

/** An import as `duban import` does it: each run of one stream's lines, at the revision it must be at. */
const importLines = async (lines: string, store: EventStore): Promise<void> => {
  const envelopes = lines
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Envelope);
  for (let i = 0; i < envelopes.length;) {
    const streamId = envelopes[i]!.metadata.streamId;
    let j = i;
    while (j < envelopes.length && envelopes[j]!.metadata.streamId === streamId) j++;
    const run = envelopes.slice(i, j);
    const first = run[0]!.metadata.revision;
    const result = await store.appendToStream(
      streamId,
      run.map((e) => ({ eventId: e.metadata.eventId, type: e.type, data: e.data, metadata: e.metadata })),
      { expectedRevision: first === 0 ? 'no-stream' : BigInt(first - 1) },
    );
    if (isLeft(result)) throw new Error(result.left.message);
    i = j;
  }
};

describePostgres('the engine on PostgreSQL, end to end', (database) => {
  let store: PostgresEventStore;
  let engine: Engine;
  const reference = createEngine({ store: createInMemoryEventStore() });

  beforeAll(async () => {
    store = createPostgresEventStore(database().url);
    await store.migrate();
    engine = createEngine({ store });
    await runSeedWorkflow(reference);
    await runQuarterScenario(reference);
  });
  afterAll(async () => {
    await store.close();
  });

  it('commits the same history as the in-memory store, byte for byte, and rebuilds the same model', async () => {
    const { types } = await runSeedWorkflow(engine);
    expect(types).toEqual(SEED_WORKFLOW_EVENTS);
    await runQuarterScenario(engine);
    expect(await history(engine)).toEqual(await history(reference));
    expect(await exportLines(engine)).toBe(await exportLines(reference));
    expect((await verifyAll(engine.readAll())).ok).toBe(true);
    expect(JSON.stringify(await rebuild(supervisionProjection, engine.readAll()))).toBe(
      JSON.stringify(await rebuild(supervisionProjection, reference.readAll())),
    );
  });

  it('export from memory, import into PostgreSQL, export again: the same bytes', async () => {
    const other = createPostgresEventStore(database().url, { schema: 'imported' });
    try {
      await other.migrate();
      const exported = await exportLines(reference);
      await importLines(exported, other);
      const again = await exportLines(createEngine({ store: other }));
      expect(Buffer.from(again)).toEqual(Buffer.from(exported));
      expect((await verifyAll(other.readAll({ streamPrefixes: ['task-', 'unit-'] }))).ok).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describePostgres('migrations', (database) => {
  it('apply once, report what they applied, and are safe to run concurrently', async () => {
    const stores = [0, 1, 2].map(() => createPostgresEventStore(database().url, { schema: 'concurrent' }));
    try {
      const results = await Promise.all(stores.map((s) => s.migrate()));
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, LATEST_VERSION]);
      expect(results.every((r) => r.version === LATEST_VERSION)).toBe(true);
      expect((await stores[0]!.migrate()).applied).toEqual([]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('print as SQL that a DBA applies by hand, giving a schema the adapter accepts', async () => {
    const script = migrationSql({ schema: 'by_hand' });
    expect(script).toContain('CREATE TABLE "by_hand".events');
    const client = new Client(database().url);
    await client.connect();
    try {
      await client.query(`BEGIN; ${script} COMMIT;`);
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM by_hand.schema_migrations ORDER BY 1',
      );
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, k) => k + 1));
    } finally {
      await client.end();
    }
    const store = createPostgresEventStore(database().url, { schema: 'by_hand' });
    try {
      expect((await store.migrate()).applied).toEqual([]);
      const written = await store.appendToStream('task-1', [
        { eventId: '5f0c6d3c-3b8f-4f59-9a51-2d1f3f0c7a10', type: 'T', data: {}, metadata: {} },
      ]);
      expect(written).toMatchObject({ _tag: 'Right' });
    } finally {
      await store.close();
    }
  });

  it('refuse a schema name that is not a plain identifier', () => {
    expect(() => createPostgresEventStore(database().url, { schema: 'Robert"; DROP TABLE x; --' })).toThrow(
      'lower-case PostgreSQL identifier',
    );
  });
});
