import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { isLeft, type Either } from 'fp-ts/Either';
import {
  createEngine,
  verifyAll,
  type AppendError,
  type AppendResult,
  type EventStore,
  type ProposedEvent,
  type RecordedEvent,
} from '@duban/engine';
import { startEsdbTestServer, type EsdbTestServer } from '@duban/esdb-test-server';
import type { TaskCommand } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import { createEventStoreDbStore } from '../src';

// Bursts of thousands of concurrent appends and commands through the adapter and the real client, against
// a protocol test server whose single writer takes milliseconds per append (as a disk flush would), so
// the server, not this process, is the bottleneck. Sending everything at once made each append's answer
// wait behind all the others' and time out; with back-pressure an append waits its turn unsent, and its
// timeout only runs once it is sent. No durations are asserted: the appends' own timeout is the judge.
// Each timeout is far over what an append waits at the server once sent, so that a loaded machine (this
// suite runs beside others on 2 cores) does not fail it, and far under what the whole burst needs at the
// server, so that sending everything at once fails it whatever the machine.

jest.setTimeout(180_000); // thousands of gRPC calls on a loaded 2-core machine; no time is asserted

const proposed = (stream: number, n: number): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'Counted',
  data: { stream, n },
  metadata: { by: 'back-pressure test' },
});

const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

const failures = (results: ReadonlyArray<Either<unknown, unknown>>) =>
  results.filter(isLeft).map((r) => (r.left as { message?: string }).message);

/** Every stream's revisions run 0, 1, 2… with no gap, and no event id appears twice in $all. */
const expectNoGapNoDuplicate = (all: readonly RecordedEvent[]) => {
  const ids = all.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  const byStream = new Map<string, bigint[]>();
  for (const e of all) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
  for (const revisions of byStream.values()) expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
};

describe.each([
  { mode: 'BatchAppend', batchAppend: true },
  { mode: 'Append', batchAppend: false },
])('EventStoreDB adapter under a burst, the server the bottleneck ($mode)', ({ batchAppend }) => {
  let server: EsdbTestServer;

  beforeEach(async () => {
    server = await startEsdbTestServer({ batchAppend, writeDelayMs: 2 });
  });
  afterEach(async () => {
    await server.stop();
  });
  const restart = async (writeDelayMs: number) => {
    await server.stop();
    server = await startEsdbTestServer({ batchAppend, writeDelayMs });
  };

  it('takes 3,000 concurrent appends with none StoreUnavailable, each event once, no revision gap', async () => {
    // The writer needs 6 s for them all, over the 4 s timeout: only appends waiting their turn unsent can
    // all succeed. The bound is the default (8): once sent, an append waits for at most 7 others, 16 ms.
    const store = createEventStoreDbStore(server.connectionString, { appendTimeoutMs: 4000 });
    try {
      const appends = Array.from({ length: 3000 }, (_, i) => ({
        stream: i % 300,
        event: proposed(i % 300, i),
      }));
      const results = await Promise.all(
        appends.map(({ stream, event }) => store.appendToStream(`task-${stream}`, [event])),
      );
      expect(failures(results)).toEqual([]);
      expect(server.maxAppendsInFlight()).toBeLessThanOrEqual(8);

      const all = await collect(store.readAll());
      expect(all.map((e) => e.eventId).sort()).toEqual(appends.map((a) => a.event.eventId).sort());
      expectNoGapNoDuplicate(all);
      for (const s of [0, 150, 299])
        expect((await collect(store.readStream(`task-${s}`))).map((e) => e.revision)).toEqual(
          Array.from({ length: 10 }, (_, r) => BigInt(r)),
        );
    } finally {
      await store.close();
    }
  });

  it('counts the timeout from when an append is sent, not while it waits its turn', async () => {
    // One append in flight at a time, 25 of them, each 100 ms at the server: the last is answered 2.5 s
    // after it was asked for, over the 1.5 s timeout, yet each is answered 100 ms after it was sent.
    await restart(100);
    const store = createEventStoreDbStore(server.connectionString, {
      appendTimeoutMs: 1500,
      maxAppendsInFlight: 1,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.appendToStream('task-1', [proposed(1, i)])),
      );
      expect(failures(results)).toEqual([]);
      expect(server.maxAppendsInFlight()).toBe(1);
      expectNoGapNoDuplicate(await collect(store.readStream('task-1')));
    } finally {
      await store.close();
    }
  });
});

describe('EventStoreDB adapter, 4 engines under a burst of commands, the server the bottleneck', () => {
  it('runs 1,200 concurrent commands on 4 engines with none StoreUnavailable; every event once, chains intact', async () => {
    // 600 appends a burst at 20 ms each: 12 s of writing against an 8 s timeout. Each store holds at most
    // 8 in flight, so an append once sent waits for at most 31 others: about 640 ms. Through BatchAppend,
    // the client's default path (plain Append is covered above).
    const server = await startEsdbTestServer({ writeDelayMs: 20 });
    const stores = Array.from({ length: 4 }, () =>
      createEventStoreDbStore(server.connectionString, { appendTimeoutMs: 8000 }),
    );
    const engines = stores.map((store) => createEngine({ store }));
    try {
      const tasks = Array.from({ length: 300 }, (_, t) => taskFixture({ taskId: `T-${t}` }));
      // Each command twice, from two engines at once, as a client retrying on another node would: the
      // same command id commits once.
      const burst = async (build: (f: (typeof tasks)[number]) => TaskCommand, step: string) =>
        Promise.all(
          tasks.flatMap((f, t) => {
            const c = build(f);
            return [0, 1].map((copy) =>
              engines[(t + copy) % 4]!.execute(
                { type: c.type, data: c.data },
                { actor: c.actor, at: c.at, commandId: `${step}-${f.taskId}` },
              ),
            );
          }),
        );
      const assigned = await burst((f) => f.assign(), 'assign');
      const accepted = await burst((f) => f.accept(), 'accept');
      expect(failures(assigned)).toEqual([]);
      expect(failures(accepted)).toEqual([]);

      const all = await collect(stores[0]!.readAll());
      expect(all).toHaveLength(600);
      expect(all.filter((e) => e.type === 'TaskAssigned')).toHaveLength(300);
      expect(all.filter((e) => e.type === 'TaskAccepted')).toHaveLength(300);
      expectNoGapNoDuplicate(all);
      expect((await verifyAll(engines[1]!.readAll())).ok).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await server.stop();
    }
  });
});

describe('EventStoreDB adapter back-pressure, seen from the client', () => {
  let server: EsdbTestServer;

  beforeAll(async () => {
    server = await startEsdbTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  /** A real client whose appends and reads in progress are counted as the adapter hands them over. */
  const countingClient = () => {
    const client = EventStoreDBClient.connectionString(server.connectionString);
    const count = { appends: 0, mostAppends: 0, reads: 0, mostReads: 0 };
    const append = client.appendToStream.bind(client);
    client.appendToStream = ((...args: Parameters<typeof append>) => {
      count.mostAppends = Math.max(count.mostAppends, ++count.appends);
      return append(...args).finally(() => count.appends--);
    }) as typeof client.appendToStream;
    const read = client.readStream.bind(client);
    client.readStream = ((...args: Parameters<typeof read>) => {
      count.mostReads = Math.max(count.mostReads, ++count.reads);
      const stream = read(...args);
      stream.once('close', () => count.reads--);
      return stream;
    }) as typeof client.readStream;
    return { client, count };
  };

  it('has at most maxAppendsInFlight appends and maxReadsInFlight reads with the client at once', async () => {
    const { client, count } = countingClient();
    const store = createEventStoreDbStore(client, { maxAppendsInFlight: 5, maxReadsInFlight: 3 });
    try {
      const appended = await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.appendToStream(`unit-${i % 20}`, [proposed(i % 20, i)])),
      );
      expect(failures(appended)).toEqual([]);
      const read = await Promise.all(
        Array.from({ length: 20 }, (_, s) => collect(store.readStream(`unit-${s}`))),
      );
      expect(read.map((events) => events.length)).toEqual(Array.from({ length: 20 }, () => 10));
      expect(count.mostAppends).toBe(5);
      expect(count.mostReads).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('reads a long stream in pages, in order both ways, and a reader may read another stream meanwhile', async () => {
    const { client, count } = countingClient();
    const store: EventStore = createEventStoreDbStore(client, { maxReadsInFlight: 1 });
    try {
      const events = Array.from({ length: 1300 }, (_, n) => proposed(7, n));
      for (let i = 0; i < events.length; i += 100)
        expect(isLeft(await store.appendToStream('task-long', events.slice(i, i + 100)))).toBe(false);
      await store.appendToStream('task-other', [proposed(8, 0)]);

      const before = server.callCounts()['/event_store.client.streams.Streams/Read'] ?? 0;
      const forwards: RecordedEvent[] = [];
      // With one read place, a reader that reads another stream inside its loop would wait forever if a
      // place were held while it handles the events.
      for await (const e of store.readStream('task-long')) {
        forwards.push(e);
        if (e.revision % 500n === 0n) expect(await collect(store.readStream('task-other'))).toHaveLength(1);
      }
      expect(forwards.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      expect(forwards.map((e) => e.revision)).toEqual(events.map((_, r) => BigInt(r)));
      const calls = (server.callCounts()['/event_store.client.streams.Streams/Read'] ?? 0) - before;
      expect(calls).toBe(3 + 3); // pages of 512, 512 and 276; and task-other read three times

      const backwards = await collect(store.readStream('task-long', { direction: 'backwards' }));
      expect(backwards.map((e) => e.revision)).toEqual(events.map((_, r) => BigInt(1299 - r)));
      const middle = await collect(store.readStream('task-long', { fromRevision: 400n, maxCount: 700 }));
      expect(middle.map((e) => e.revision)).toEqual(Array.from({ length: 700 }, (_, i) => BigInt(400 + i)));
      const tail = await collect(
        store.readStream('task-long', { direction: 'backwards', fromRevision: 1000n, maxCount: 1200 }),
      );
      expect(tail.map((e) => e.revision)).toEqual(Array.from({ length: 1001 }, (_, i) => BigInt(1000 - i)));
      expect(count.mostReads).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses the appends still waiting their turn when the store closes, unsent', async () => {
    const slow = await startEsdbTestServer({ writeDelayMs: 200 });
    const store = createEventStoreDbStore(slow.connectionString, { maxAppendsInFlight: 1 });
    try {
      await store.appendToStream('task-1', [proposed(1, 0)]); // connected
      const pending = Array.from({ length: 5 }, (_, i) =>
        store.appendToStream('task-1', [proposed(1, i + 1)]),
      );
      await new Promise((resolve) => setImmediate(resolve));
      await store.close();
      const results: Array<Either<AppendError, AppendResult>> = await Promise.all(pending);
      const refused = failures(results).filter((m) => m?.includes('was not sent: the event store is closed'));
      expect(refused).toHaveLength(4); // the one in flight was sent; the four behind it never were
      expect(results.slice(1).every(isLeft)).toBe(true);
      expect(refused[0]).toMatch(
        /^EventStoreDB at esdb:\/\/127\.0\.0\.1:\d+\?tls=false: append to task-1 was not sent/,
      );
    } finally {
      await slow.stop();
    }
  });

  it('refuses nonsense bounds when the store is made', () => {
    for (const bad of [0, -1, 1.5, Number.NaN])
      expect(() => createEventStoreDbStore(server.connectionString, { maxAppendsInFlight: bad })).toThrow(
        RangeError,
      );
    expect(() => createEventStoreDbStore(server.connectionString, { maxReadsInFlight: 0 })).toThrow(
      'maxReadsInFlight must be a whole number above 0',
    );
    expect(() => createEventStoreDbStore(server.connectionString, { appendTimeoutMs: 0 })).toThrow(
      RangeError,
    );
  });
});
