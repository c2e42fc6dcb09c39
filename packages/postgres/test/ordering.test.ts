import { Client } from 'pg';
import { comparePositions, type ProposedEvent, type RecordedEvent } from '@duban/engine';
import { createPostgresEventStore, type PostgresEventStore } from '../src';
import { describePostgres } from './support/database';
import { collect, logRecorder, prefix, proposed, rightOf, within } from './support/helpers';

/** append_events' batch argument, as the adapter builds it. */
const batchJson = (events: readonly ProposedEvent[]): string =>
  JSON.stringify(events.map((e) => ({ i: e.eventId, t: e.type, d: e.data, m: e.metadata })));

type Delivered = Pick<RecordedEvent, 'eventId' | 'position'>;

/**
 * What a store ordered by a bigserial alone does: a reader resumes after the highest sequence number it
 * has seen. It reads the same table; only the ordering rule differs.
 */
const naiveSubscriber = (client: Client, p: string): AsyncIterator<Delivered> => {
  let after = 0n;
  let buffer: Delivered[] = [];
  return {
    next: async () => {
      while (buffer.length === 0) {
        const { rows } = await client.query<{ sequence: string; event_id: string }>(
          `SELECT sequence::text AS sequence, event_id::text AS event_id FROM duban.events
           WHERE sequence > $1 AND stream_id ^@ $2 ORDER BY sequence`,
          [after.toString(), p],
        );
        buffer = rows.map((r) => ({
          eventId: r.event_id,
          position: { commit: 0n, prepare: BigInt(r.sequence) },
        }));
        if (rows.length > 0) after = BigInt(rows[rows.length - 1]!.sequence);
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return { done: false, value: buffer.shift()! };
    },
  };
};

describePostgres('the global order under out-of-order commits', (database) => {
  let store: PostgresEventStore;
  const logs = logRecorder();
  let writerA: Client;

  beforeAll(async () => {
    store = createPostgresEventStore(database().url, { log: logs.log });
    await store.migrate();
    writerA = new Client(database().url);
    await writerA.connect();
  });
  afterAll(async () => {
    await writerA.end();
    await store.close();
  });

  /**
   * Writer A opens a transaction and appends; writer B appends and commits; a subscriber reads what it
   * can (B, on a naive store); then A commits, and a marker C is appended. Returns what the subscriber
   * delivered up to C.
   */
  const lateCommit = async (subscribe: (p: string) => AsyncIterator<Delivered>) => {
    const p = prefix();
    const [a, b, c] = [proposed(1, 'A'), proposed(2, 'B'), proposed(3, 'C')];
    await writerA.query('BEGIN');
    await writerA.query(`SELECT * FROM duban.append_events($1, 'no-stream', NULL, $2::json)`, [
      `${p}a`,
      batchJson([a]),
    ]);
    rightOf(await store.appendToStream(`${p}b`, [b], { expectedRevision: 'no-stream' }));
    const events = subscribe(p);
    const first = events.next();
    // The subscriber either delivers B at once (naive) or says it is holding B back behind A.
    const heldBack = logs.next('held-back');
    const what = await within(
      Promise.race([first.then(() => 'delivered' as const), heldBack.then(() => 'held back' as const)]),
      10_000,
      'the subscriber neither delivered B nor held it back',
    );
    await writerA.query('COMMIT');
    rightOf(await store.appendToStream(`${p}c`, [c], { expectedRevision: 'no-stream' }));
    const delivered: Delivered[] = [];
    let next = first;
    for (;;) {
      const step = await within(next, 10_000, `the event after ${delivered.length} delivered`);
      delivered.push(step.value!);
      if (step.value!.eventId === c.eventId) break;
      next = events.next();
    }
    return { what, ids: delivered.map((e) => e.eventId), delivered, a, b, c, p };
  };

  it('a naive bigserial reader loses the event that commits late (the scenario catches it)', async () => {
    const reader = new Client(database().url);
    await reader.connect();
    try {
      const { what, ids, a, b, c } = await lateCommit((p) => naiveSubscriber(reader, p));
      expect(what).toBe('delivered');
      expect(ids).toEqual([b.eventId, c.eventId]); // A committed behind the reader's position: lost
      expect(ids).not.toContain(a.eventId);
    } finally {
      await reader.end();
    }
  });

  it("the adapter's subscriber holds B back until A commits, then delivers A, B, C once each, positions rising", async () => {
    let subscription: ReturnType<PostgresEventStore['subscribeToAll']> | undefined;
    const { what, ids, delivered, a, b, c, p } = await lateCommit((q) => {
      subscription = store.subscribeToAll({ streamPrefixes: [q] });
      return subscription[Symbol.asyncIterator]();
    });
    await subscription!.close();
    expect(what).toBe('held back');
    expect(ids).toEqual([a.eventId, b.eventId, c.eventId]);
    for (let k = 1; k < delivered.length; k++)
      expect(comparePositions(delivered[k - 1]!.position, delivered[k]!.position)).toBe(-1);
    // Resuming from any delivered position gives exactly what followed it.
    const resumed = store.subscribeToAll({ fromPosition: delivered[0]!.position, streamPrefixes: [p] });
    const events = resumed[Symbol.asyncIterator]();
    try {
      const next = [await events.next(), await events.next()].map((r) => r.value!.eventId);
      expect(next).toEqual([b.eventId, c.eventId]);
    } finally {
      await resumed.close();
    }
    // And readAll agrees with the subscription.
    expect((await collect(store.readAll({ streamPrefixes: [p] }))).map((e) => e.eventId)).toEqual(ids);
  });

  it('an unrelated long transaction delays nothing for ever: reads and subscriptions see later appends', async () => {
    const p = prefix();
    const other = new Client(database().url);
    await other.connect();
    try {
      // A transaction that has written (it holds a transaction id) and stays open: the oldest running.
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      const x = proposed(1, 'X');
      const written = rightOf(await store.appendToStream(`${p}x`, [x], { expectedRevision: 'no-stream' }));
      // readAll includes what was committed before it: it waits for the appends in flight, not for that one.
      const read = await collect(store.readAll({ streamPrefixes: [p] }));
      expect(read.map((e) => e.eventId)).toEqual([x.eventId]);
      expect(read[0]!.position).toEqual(written.position);
      const subscription = store.subscribeToAll({ streamPrefixes: [p] });
      try {
        const first = await within(subscription[Symbol.asyncIterator]().next(), 10_000, 'X delivered');
        expect(first.value?.eventId).toBe(x.eventId);
      } finally {
        await subscription.close();
      }
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('refuses to append inside a transaction that has already written (its id would predate the append)', async () => {
    const client = new Client(database().url);
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      await expect(
        client.query(`SELECT * FROM duban.append_events($1, 'any', NULL, $2::json)`, [
          `${prefix()}s`,
          batchJson([proposed()]),
        ]),
      ).rejects.toThrow('transaction of its own');
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
