import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  MaxAppendSizeExceededError,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type Position,
  type ResolvedEvent,
  type StreamSubscription,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { startEsdbTestServer, type EsdbTestServer } from '../src';
import { streamIdentifier } from '../src/records';
import { uuidFromMessage, uuidToMessage } from '../src/uuid';

// The real client, over real gRPC, against the protocol test server: once with BatchAppend advertised
// (the client then appends through it) and once without (plain Append).

const collect = async <E>(source: AsyncIterable<E>): Promise<E[]> => {
  const out: E[] = [];
  for await (const e of source) out.push(e);
  return out;
};

const event = (type: string, data: Record<string, unknown> = {}, id?: string) =>
  jsonEvent({ type, data, metadata: { by: 'test' }, ...(id ? { id } : {}) });

const rejection = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

const waitUntil = async (condition: () => boolean, ms = 2000): Promise<void> => {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Takes `n` events from a subscription (running `afterCaughtUp` once history is delivered), then unsubscribes. */
const take = async (
  subscribe: (checkpoint: (p: Position) => void) => StreamSubscription,
  n: number,
  afterCaughtUp?: () => Promise<unknown>,
) => {
  const checkpoints: Position[] = [];
  const subscription = subscribe((p) => checkpoints.push(p));
  const events: ResolvedEvent[] = [];
  if (afterCaughtUp) subscription.once('caughtUp', () => void afterCaughtUp());
  for await (const e of subscription) {
    events.push(e);
    if (events.length === n) break;
  }
  await subscription.unsubscribe();
  return { events, checkpoints };
};

describe.each([
  { mode: 'with BatchAppend', batchAppend: true },
  { mode: 'without BatchAppend', batchAppend: false },
])('EventStoreDB protocol test server, $mode', ({ batchAppend }) => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    server = await startEsdbTestServer({ batchAppend, maxAppendSize: 4096 });
    client = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await server.stop();
  });

  it(`appends through ${batchAppend ? 'BatchAppend' : 'Append'}`, async () => {
    await client.appendToStream('task-1', event('Created'));
    const calls = server.callCounts();
    expect(calls['/event_store.client.server_features.ServerFeatures/GetSupportedMethods']).toBe(1);
    expect(calls['/event_store.client.streams.Streams/BatchAppend'] ?? 0).toBe(batchAppend ? 1 : 0);
    expect(calls['/event_store.client.streams.Streams/Append'] ?? 0).toBe(batchAppend ? 0 : 1);
  });

  it('appends and reads a stream both directions, with count, revisions, data, metadata and positions', async () => {
    const first = await client.appendToStream(
      'task-1',
      [event('Created', { n: 0 }), event('Assigned', { n: 1 })],
      {
        expectedRevision: 'no_stream',
      },
    );
    const second = await client.appendToStream('task-1', event('Started', { n: 2 }), {
      expectedRevision: 1n,
    });
    expect(first.nextExpectedRevision).toBe(1n);
    expect(second.nextExpectedRevision).toBe(2n);
    expect(second.position!.commit).toBeGreaterThan(first.position!.commit);

    const forwards = await collect(client.readStream('task-1'));
    expect(forwards.map((e) => [e.event?.type, e.event?.revision, e.event?.data])).toEqual([
      ['Created', 0n, { n: 0 }],
      ['Assigned', 1n, { n: 1 }],
      ['Started', 2n, { n: 2 }],
    ]);
    expect(forwards[0]!.event!.metadata).toEqual({ by: 'test' });
    expect(forwards[2]!.event!.position).toEqual(second.position);
    expect(forwards[0]!.event!.created.getTime()).toBeGreaterThan(Date.now() - 60_000);

    const backwards = await collect(
      client.readStream('task-1', { direction: BACKWARDS, fromRevision: END, maxCount: 2 }),
    );
    expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
    const middle = await collect(client.readStream('task-1', { fromRevision: 1n, maxCount: 1 }));
    expect(middle.map((e) => e.event?.type)).toEqual(['Assigned']);
  });

  it('reads $all in commit order both directions, system events included', async () => {
    await server.seedSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    await client.appendToStream('task-1', event('Created'));
    await client.appendToStream('unit-9', event('UnitOpened'));

    const all = (await collect(client.readAll())) as AllStreamResolvedEvent[];
    expect(all.map((e) => e.event?.streamId)).toEqual([
      '$settings',
      '$stats-127.0.0.1:2113',
      'task-1',
      'unit-9',
    ]);
    const commits = all.map((e) => e.event!.position.commit);
    expect([...commits].sort((a, b) => (a < b ? -1 : 1))).toEqual(commits);

    const backwards = (await collect(
      client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 2 }),
    )) as AllStreamResolvedEvent[];
    expect(backwards.map((e) => e.event?.streamId)).toEqual(['unit-9', 'task-1']);

    // Forwards from a position includes that event; backwards from it starts just before it.
    const at = all[2]!.event!.position;
    const fromForwards = (await collect(
      client.readAll({ fromPosition: at, maxCount: 1 }),
    )) as AllStreamResolvedEvent[];
    expect(fromForwards[0]!.event?.streamId).toBe('task-1');
    const fromBackwards = (await collect(
      client.readAll({ fromPosition: at, direction: BACKWARDS, maxCount: 1 }),
    )) as AllStreamResolvedEvent[];
    expect(fromBackwards[0]!.event?.streamId).toBe('$stats-127.0.0.1:2113');
    expect(await collect(client.readAll({ fromPosition: END }))).toEqual([]);
    expect(await collect(client.readAll({ fromPosition: START, direction: BACKWARDS }))).toEqual([]);
  });

  it('rejects a wrong expected version with WrongExpectedVersionError naming expected and actual', async () => {
    await client.appendToStream('task-1', [event('Created'), event('Assigned')]);

    const exact = await rejection(client.appendToStream('task-1', event('X'), { expectedRevision: 0n }));
    expect(exact).toBeInstanceOf(WrongExpectedVersionError);
    expect(exact).toMatchObject({ streamName: 'task-1', expectedVersion: 0n, actualVersion: 1n });

    const noStream = await rejection(
      client.appendToStream('task-1', event('X'), { expectedRevision: 'no_stream' }),
    );
    expect(noStream).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });

    const exists = await rejection(
      client.appendToStream('task-2', event('X'), { expectedRevision: 'stream_exists' }),
    );
    expect(exists).toBeInstanceOf(WrongExpectedVersionError);
    expect(exists).toMatchObject({
      streamName: 'task-2',
      expectedVersion: 'stream_exists',
      actualVersion: 'no_stream',
    });

    expect(await collect(client.readStream('task-1'))).toHaveLength(2);
  });

  it('treats a retried append with the same event ids as done, and a partial overlap as a conflict', async () => {
    const ids = [randomUUID(), randomUUID()];
    const first = await client.appendToStream('task-1', [event('A', {}, ids[0]), event('B', {}, ids[1])], {
      expectedRevision: 'no_stream',
    });
    const retried = await client.appendToStream('task-1', [event('A', {}, ids[0]), event('B', {}, ids[1])], {
      expectedRevision: 'no_stream',
    });
    expect(retried.nextExpectedRevision).toBe(1n);
    expect(retried.position).toEqual(first.position);
    const underAny = await client.appendToStream('task-1', [event('B', {}, ids[1])]);
    expect(underAny.nextExpectedRevision).toBe(1n);
    expect(await collect(client.readStream('task-1'))).toHaveLength(2);

    const partial = await rejection(
      client.appendToStream('task-1', [event('A', {}, ids[0]), event('C')], {
        expectedRevision: 'no_stream',
      }),
    );
    expect(partial).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('rejects an append over the maximum size with MaxAppendSizeExceededError and writes nothing', async () => {
    const error = await rejection(
      client.appendToStream('task-1', [event('Big', { text: 'x'.repeat(5000) })]),
    );
    expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
    expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(4096);
    // The size counts every event of the append, not each on its own.
    const spread = [1, 2, 3].map(() => event('Part', { text: 'x'.repeat(1500) }));
    expect(await rejection(client.appendToStream('task-1', spread))).toBeInstanceOf(
      MaxAppendSizeExceededError,
    );
    expect(await rejection(collect(client.readStream('task-1')))).toBeInstanceOf(StreamNotFoundError);
    // The connection stays usable.
    expect((await client.appendToStream('task-1', event('Small'))).nextExpectedRevision).toBe(0n);
  });

  it('reports a missing stream with StreamNotFoundError', async () => {
    const error = await rejection(collect(client.readStream('task-missing')));
    expect(error).toBeInstanceOf(StreamNotFoundError);
    expect((error as StreamNotFoundError).streamName).toBe('task-missing');
  });

  it('filters a $all subscription by stream prefix server side: history, then live, no system or foreign events', async () => {
    await client.appendToStream('task-1', event('Created'));
    await client.appendToStream('other-1', event('Foreign'));
    await server.seedSystemEvent('$ce-task', '$>');

    const { events } = await take(
      () =>
        client.subscribeToAll({
          fromPosition: START,
          filter: streamNameFilter({ prefixes: ['task-', 'unit-'] }),
        }),
      3,
      async () => {
        await client.appendToStream('other-2', event('Foreign'));
        await client.appendToStream('unit-1', event('UnitOpened'));
        await client.appendToStream('task-1', event('Assigned'));
      },
    );
    expect(events.map((e) => `${e.event?.streamId}:${e.event?.type}`)).toEqual([
      'task-1:Created',
      'unit-1:UnitOpened',
      'task-1:Assigned',
    ]);
  });

  it('filters by event type regex (excludeSystemEvents) and starts after the given position', async () => {
    await client.appendToStream('task-1', [event('Created'), event('Assigned')]);
    const [, second] = (await collect(client.readStream('task-1'))).map((e) => e.event!.position);
    await client.appendToStream('task-1', event('Started'));
    await server.seedSystemEvent('$stats', '$statsCollected');
    await client.appendToStream('task-2', event('Created'));

    const { events } = await take(
      () => client.subscribeToAll({ fromPosition: second!, filter: excludeSystemEvents() }),
      2,
    );
    expect(events.map((e) => `${e.event?.streamId}:${e.event?.type}`)).toEqual([
      'task-1:Started',
      'task-2:Created',
    ]);
  });

  it('filters by event type prefix and by stream name regex', async () => {
    await client.appendToStream('task-1', [event('TaskAssigned'), event('UnitScored'), event('TaskClosed')]);
    await client.appendToStream('unit-1', event('UnitScored'));
    const byType = await take(
      () => client.subscribeToAll({ filter: eventTypeFilter({ prefixes: ['Task'] }) }),
      2,
    );
    expect(byType.events.map((e) => e.event?.type)).toEqual(['TaskAssigned', 'TaskClosed']);
    const byStream = await take(
      () => client.subscribeToAll({ filter: streamNameFilter({ regex: '^unit-' }) }),
      1,
    );
    expect(byStream.events.map((e) => `${e.event?.streamId}:${e.event?.type}`)).toEqual([
      'unit-1:UnitScored',
    ]);
  });

  it('sends a checkpoint every checkpointInterval × 32 considered events, matching or not', async () => {
    for (let i = 0; i < 70; i++)
      await client.appendToStream(i % 10 === 0 ? 'task-1' : 'other-1', event(`E${i}`));
    const all = (await collect(client.readAll())) as AllStreamResolvedEvent[]; // $settings + 70

    // 7 matching events in history, then one live event: every message before it has been handled.
    const live = () => client.appendToStream('task-1', event('Live'));
    const { events, checkpoints } = await take(
      (checkpoint) =>
        client.subscribeToAll({
          filter: streamNameFilter({ prefixes: ['task-'], checkpointReached: (_s, p) => checkpoint(p) }),
        }),
      8,
      live,
    );
    expect(events).toHaveLength(8);
    expect(checkpoints).toEqual([all[31]!.event!.position, all[63]!.event!.position]);

    const wider = await take(
      (checkpoint) =>
        client.subscribeToAll({
          fromPosition: START,
          filter: streamNameFilter({
            prefixes: ['task-'],
            checkpointInterval: 2,
            checkpointReached: (_s, p) => checkpoint(p),
          }),
        }),
      9,
      live,
    );
    expect(wider.checkpoints).toEqual([all[63]!.event!.position]);
  });

  it('serves catch-up subscriptions to one stream, after the given revision', async () => {
    await client.appendToStream('task-1', [event('A'), event('B'), event('C')]);
    await client.appendToStream('task-2', event('Other'));
    const { events } = await take(
      () => client.subscribeToStream('task-1', { fromRevision: 0n }),
      3,
      () => client.appendToStream('task-1', event('D')),
    );
    expect(events.map((e) => e.event?.type)).toEqual(['B', 'C', 'D']);
  });

  it('counts streaming calls as open until they finish or the client cancels them', async () => {
    await client.appendToStream('task-1', event('Created'));
    await collect(client.readStream('task-1'));
    expect(server.openCalls()).toBe(batchAppend ? 1 : 0); // the client keeps BatchAppend open
    const subscription = client.subscribeToAll();
    await new Promise<void>((resolve) => subscription.once('confirmation', resolve));
    expect(server.openCalls()).toBe(batchAppend ? 2 : 1);
    await subscription.unsubscribe();
    await client.dispose();
    await waitUntil(() => server.openCalls() === 0);
  });

  it('answers Gossip.Read so that esdb+discover:// finds the node', async () => {
    const discovering = EventStoreDBClient.connectionString(
      `esdb+discover://127.0.0.1:${server.port}?tls=false`,
    );
    try {
      await discovering.appendToStream('task-1', event('Created'));
      expect(await collect(client.readStream('task-1'))).toHaveLength(1);
      expect(server.callCounts()['/event_store.client.gossip.Gossip/Read']).toBe(1);
    } finally {
      await discovering.dispose();
    }
  });
});

describe.each([
  { mode: 'with BatchAppend', batchAppend: true },
  { mode: 'without BatchAppend', batchAppend: false },
])('EventStoreDB protocol test server with a slow writer, $mode', ({ batchAppend }) => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeEach(async () => {
    server = await startEsdbTestServer({ batchAppend, writeDelayMs: 5 });
    client = EventStoreDBClient.connectionString(server.connectionString);
  });

  afterEach(async () => {
    await client.dispose();
    await server.stop();
  });

  it('writes concurrent appends one at a time, each once, and counts the appends in flight', async () => {
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const results = await Promise.all(
      ids.map((id, i) => client.appendToStream(`task-${i % 3}`, event('Created', { i }, id))),
    );
    expect(results.every((r) => r.success)).toBe(true);
    const written = (await collect(client.readAll())).filter((e) => e.event?.streamId.startsWith('task-'));
    expect(written.map((e) => e.event!.id).sort()).toEqual([...ids].sort());
    for (const stream of ['task-0', 'task-1', 'task-2'])
      expect((await collect(client.readStream(stream))).map((e) => e.event!.revision)).toEqual(
        Array.from({ length: 10 }, (_, r) => BigInt(r)),
      );
    // All thirty were sent at once and the writer takes them one by one: many waited together.
    expect(server.maxAppendsInFlight()).toBeGreaterThan(1);
    expect(server.maxAppendsInFlight()).toBeLessThanOrEqual(30);
    expect(server.appendsInFlight()).toBe(0);
  });

  it('counts the appends of a client that went away as no longer in flight, and stops with appends waiting', async () => {
    const appends = Array.from({ length: 20 }, (_, i) => client.appendToStream('task-1', event('E', { i })));
    await waitUntil(() => server.appendsInFlight() > 0);
    await client.dispose();
    await Promise.allSettled(appends);
    await waitUntil(() => server.appendsInFlight() === 0);
    await server.stop(); // appends still waiting at the writer are dropped; nothing throws
  });
});

describe('EventStoreDB protocol test server, UUID forms', () => {
  it('reads structured UUIDs and writes them in the form asked for', () => {
    const id = randomUUID();
    const structured = uuidToMessage(id, true);
    expect(structured.hasStructured()).toBe(true);
    expect(uuidFromMessage(structured)).toBe(id);
    expect(uuidFromMessage(uuidToMessage(id, false))).toBe(id);
    expect(streamIdentifier('task-é').getStreamName_asU8()).toEqual(
      new Uint8Array(Buffer.from('task-é', 'utf8')),
    );
  });
});
