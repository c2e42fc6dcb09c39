import { inspect } from 'node:util';
import { isLeft, isRight } from 'fp-ts/Either';
import { Client } from 'pg';
import { createEngine } from '@duban/engine';
import { taskFixture } from '@duban/testing';
import { createPostgresEventStore, PostgresStoreError, type PostgresEventStore } from '../src';
import { describePostgres, testServerUrl, withDatabase } from './support/database';
import { batch, collect, leftOf, logRecorder, prefix, rightOf } from './support/helpers';

/** The backend of an append that waits on a lock (another transaction's uncommitted row). */
const blockedAppend = async (admin: Client): Promise<number> => {
  for (let tries = 0; tries < 500; tries++) {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%append_events%'`,
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no append was seen waiting on a lock');
};

/**
 * Holds an uncommitted event at (stream, revision): an append that reaches that revision inserts its
 * earlier events, then waits on this transaction in the middle of its own.
 */
const holdRevision = async (client: Client, streamId: string, revision: number): Promise<void> => {
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO duban.events (transaction_id, sequence, stream_id, revision, event_id, type, data, metadata)
     VALUES (pg_current_xact_id(), nextval('duban.event_sequence'), $1, $2, gen_random_uuid(), 'Blocker', '{}', '{}')`,
    [streamId, revision],
  );
};

describePostgres('faults', (database) => {
  let store: PostgresEventStore;
  let admin: Client;
  let blocker: Client;

  beforeAll(async () => {
    store = createPostgresEventStore(database().url);
    await store.migrate();
    admin = new Client(database().url);
    blocker = new Client(database().url);
    await admin.connect();
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await admin.end();
    await store.close();
  });

  it('a backend killed in the middle of an append writes nothing of it, and a retry writes it once', async () => {
    const s = `${prefix()}s`;
    await holdRevision(blocker, s, 2);
    const events = batch(3);
    const pending = store.appendToStream(s, events, { expectedRevision: 'no-stream' });
    const pid = await blockedAppend(admin); // it has inserted revisions 0 and 1, and waits at 2
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = leftOf(await pending);
    expect(error.code).toBe('StoreUnavailable');
    expect(error.message).toContain(`append to ${s}`);
    expect(error.message).toContain('57P01'); // terminating connection due to administrator command
    await blocker.query('ROLLBACK');
    expect(await collect(store.readStream(s))).toEqual([]); // all or nothing: nothing

    const written = rightOf(await store.appendToStream(s, events, { expectedRevision: 'no-stream' }));
    expect(written.nextExpectedRevision).toBe(2n);
    expect(rightOf(await store.appendToStream(s, events, { expectedRevision: 'no-stream' }))).toEqual(
      written,
    );
    expect((await collect(store.readStream(s))).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it("the engine's retry of a command whose append was killed commits it exactly once", async () => {
    const engine = createEngine({ store });
    const f = taskFixture({ taskId: `K-${prefix()}` });
    const assign = f.assign();
    const execute = () =>
      engine.execute(
        { type: assign.type, data: assign.data },
        { actor: assign.actor, at: assign.at, commandId: `assign-${f.taskId}` },
      );
    await holdRevision(blocker, `task-${f.taskId}`, 0);
    const pending = execute();
    await admin.query('SELECT pg_terminate_backend($1)', [await blockedAppend(admin)]);
    const failed = await pending;
    expect(isLeft(failed) && failed.left).toMatchObject({ kind: 'StoreError', code: 'StoreUnavailable' });
    await blocker.query('ROLLBACK');

    const retried = await execute();
    expect(isRight(retried) && retried.right).toMatchObject({ replayed: false, streamRevision: 0 });
    const again = await execute();
    expect(isRight(again) && again.right).toMatchObject({ replayed: true, streamRevision: 0 });
    const stream = await engine.readStream(`task-${f.taskId}`);
    expect(stream.map((e) => [e.type, e.metadata.commandId])).toEqual([
      ['TaskAssigned', `assign-${f.taskId}`],
    ]);
  });

  it('an exhausted pool is a typed error after acquireTimeoutMs, not a hang, and recovers', async () => {
    const small = createPostgresEventStore(database().url, { poolSize: 2, acquireTimeoutMs: 300 });
    const held = [await small.pool.connect(), await small.pool.connect()];
    try {
      const error = leftOf(await small.appendToStream(`${prefix()}s`, batch(1)));
      expect(error.code).toBe('StoreUnavailable');
      expect(error.message).toContain('all 2 connections of the pool stayed busy for 300 ms');
      const read = collect(small.readAll());
      await expect(read).rejects.toBeInstanceOf(PostgresStoreError);
      await expect(read).rejects.toMatchObject({ code: 'PoolExhausted' });
    } finally {
      for (const client of held) client.release();
    }
    expect(isRight(await small.appendToStream(`${prefix()}s`, batch(1)))).toBe(true);
    await small.close();
  });

  it('reports a schema that was never migrated, naming migrate()', async () => {
    const bare = createPostgresEventStore(database().url, { schema: 'not_migrated' });
    try {
      const error = leftOf(await bare.appendToStream(`${prefix()}s`, batch(1)));
      expect(error).toMatchObject({ code: 'StoreUnavailable' });
      expect(error.message).toContain('schema "not_migrated"');
      expect(error.message).toContain('migrate()');
      await expect(collect(bare.readAll())).rejects.toMatchObject({ code: 'SchemaNotMigrated' });
    } finally {
      await bare.close();
    }
  });

  it('refuses a schema whose positions are ahead of the server (a logical dump restored elsewhere)', async () => {
    const restored = createPostgresEventStore(database().url, { schema: 'restored' });
    try {
      await restored.migrate();
      // As if copied from a cluster whose transaction ids had gone further than this one's.
      await admin.query(
        `INSERT INTO restored.events (transaction_id, sequence, stream_id, revision, event_id, type, data, metadata)
         VALUES ('99999999999'::xid8, 1, 'task-old', 0, gen_random_uuid(), 'Old', '{}', '{}')`,
      );
      const fresh = createPostgresEventStore(database().url, { schema: 'restored' });
      try {
        const error = leftOf(await fresh.appendToStream(`${prefix()}s`, batch(1)));
        expect(error.message).toContain('99999999999');
        expect(error.message).toContain('pg_resetwal');
        await expect(collect(fresh.readAll())).rejects.toMatchObject({ code: 'PositionsAhead' });
      } finally {
        await fresh.close();
      }
    } finally {
      await restored.close();
    }
  });

  describe('the password of the connection string', () => {
    const password = 'Sup3r-secret-Pa55';

    it('never appears in errors nor log lines when the server refuses it', async () => {
      const url = new URL(withDatabase(testServerUrl(), database().name));
      url.password = password;
      const logs = logRecorder();
      const wrong = createPostgresEventStore(url.toString(), {
        log: logs.log,
        reconnectTimeoutMs: 300,
        pollIntervalMs: 50,
      });
      try {
        const seen: string[] = [];
        const error = leftOf(await wrong.appendToStream(`${prefix()}s`, batch(1)));
        expect(error.code).toBe('StoreUnavailable');
        expect(error.message).toContain('28P01'); // password authentication failed
        expect(error.message).toContain('127.0.0.1');
        seen.push(error.message, inspect(error, { depth: 6 }));
        const migrating = await wrong.migrate().catch((e: unknown) => e);
        expect(migrating).toBeInstanceOf(PostgresStoreError);
        seen.push(inspect(migrating, { depth: 6 }));
        const reading = await collect(wrong.readAll()).catch((e: unknown) => e);
        expect(reading).toBeInstanceOf(PostgresStoreError);
        seen.push(inspect(reading, { depth: 6 }));
        // A subscription retries, logging each failure, then gives up with the error.
        const subscription = wrong.subscribeToAll();
        const ended = await subscription[Symbol.asyncIterator]()
          .next()
          .catch((e: unknown) => e);
        expect(ended).toBeInstanceOf(PostgresStoreError);
        seen.push(inspect(ended, { depth: 6 }));
        expect(logs.entries.length).toBeGreaterThan(0);
        seen.push(...logs.entries.map((e) => JSON.stringify(e)));
        for (const text of seen) expect(text).not.toContain(password);
      } finally {
        await wrong.close();
      }
    });

    it("never appears when the server accepts it and something else fails (the run's real password)", async () => {
      const real = new URL(database().url).password;
      expect(real.length).toBeGreaterThan(8);
      const logs = logRecorder();
      const small = createPostgresEventStore(database().url, {
        poolSize: 1,
        acquireTimeoutMs: 200,
        log: logs.log,
      });
      const held = await small.pool.connect();
      try {
        const error = leftOf(await small.appendToStream(`${prefix()}s`, batch(1)));
        expect(error.message).toContain('127.0.0.1');
        expect(inspect(error, { depth: 6 })).not.toContain(real);
      } finally {
        held.release();
      }
      // Connections killed under the store: the pool and the LISTEN connection report it.
      const subscription = small.subscribeToAll({ streamPrefixes: [prefix()] });
      const pending = subscription[Symbol.asyncIterator]().next();
      const lost = logs.next('listener-lost');
      await logs.next('listener-connected');
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE 'duban%'`,
      );
      await lost;
      await subscription.close();
      expect(await pending).toMatchObject({ done: true });
      await small.close();
      expect(logs.entries.map((e) => e.event)).toContain('listener-lost');
      for (const entry of logs.entries) expect(JSON.stringify(entry)).not.toContain(real);
    });
  });
});
