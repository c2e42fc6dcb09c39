import { randomUUID } from 'node:crypto';
import { isRight } from 'fp-ts/Either';
import { createInMemoryEventStore, type EventStore, type Position } from '@duban/engine';
import { startEsdbTestServer, type EsdbTestServer } from '@duban/esdb-test-server';
import {
  CHECKPOINT_EVENT_TYPE,
  checkpointStreamId,
  createEventStoreDbStore,
  createStreamCheckpoints,
} from '../src';

const at = (n: bigint): Position => ({ commit: n, prepare: n });

const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

// The helper only uses the port, so it runs on both stores.
describe.each([
  { name: 'the EventStoreDB adapter (protocol test server)', esdb: true },
  { name: 'the in-memory store', esdb: false },
])('stream checkpoints on $name', ({ esdb }) => {
  let server: EsdbTestServer | undefined;
  let store: EventStore;

  beforeAll(async () => {
    server = esdb ? await startEsdbTestServer() : undefined;
    store = server ? createEventStoreDbStore(server.connectionString) : createInMemoryEventStore();
  });
  afterAll(async () => {
    await store.close();
    await server?.stop();
  });

  it('loads nothing at first, then the last position saved, from checkpoints-<name>', async () => {
    const name = `board-${randomUUID()}`;
    const checkpoints = createStreamCheckpoints(store, name);
    expect(await checkpoints.load()).toBeUndefined();
    expect(isRight(await checkpoints.save(at(10n)))).toBe(true);
    expect(isRight(await checkpoints.save(at(2n ** 63n + 7n)))).toBe(true);

    expect(await createStreamCheckpoints(store, name).load()).toEqual(at(2n ** 63n + 7n));
    const written = await collect(store.readStream(checkpointStreamId(name)));
    expect(written.map((e) => [e.type, e.data, e.metadata])).toEqual([
      [CHECKPOINT_EVENT_TYPE, { position: '10/10' }, { projection: name }],
      [CHECKPOINT_EVENT_TYPE, { position: `${2n ** 63n + 7n}/${2n ** 63n + 7n}` }, { projection: name }],
    ]);
  });

  it('refuses a save from an instance that is behind another writer', async () => {
    const name = `board-${randomUUID()}`;
    const first = createStreamCheckpoints(store, name);
    const second = createStreamCheckpoints(store, name);
    expect(await first.load()).toBeUndefined();
    expect(await second.load()).toBeUndefined();
    expect(isRight(await first.save(at(5n)))).toBe(true);

    const refused = await second.save(at(6n));
    expect(refused).toMatchObject({
      _tag: 'Left',
      left: {
        code: 'WrongExpectedRevision',
        streamId: checkpointStreamId(name),
        expected: 'no-stream',
        actual: 0n,
      },
    });
    expect(isRight(await first.save(at(7n)))).toBe(true);
    expect(await second.load()).toEqual(at(7n));
    expect(isRight(await second.save(at(8n)))).toBe(true);
  });

  it('treats the same save repeated at the same place as one (a retry after an unknown outcome)', async () => {
    const name = `board-${randomUUID()}`;
    const a = createStreamCheckpoints(store, name);
    const b = createStreamCheckpoints(store, name);
    await a.load();
    await b.load();
    expect(isRight(await a.save(at(3n)))).toBe(true);
    expect(isRight(await b.save(at(3n)))).toBe(true);
    expect(await collect(store.readStream(checkpointStreamId(name)))).toHaveLength(1);
  });

  it('fails to load when the last event of the stream is not a checkpoint', async () => {
    const name = `board-${randomUUID()}`;
    await store.appendToStream(checkpointStreamId(name), [
      { eventId: randomUUID(), type: 'Unrelated', data: { hello: 'world' }, metadata: {} },
    ]);
    await expect(createStreamCheckpoints(store, name).load()).rejects.toThrow('not a checkpoint');
  });
});
