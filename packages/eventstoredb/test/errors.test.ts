import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { isLeft, type Either } from 'fp-ts/Either';
import type { AppendError, AppendResult, EventStore, ProposedEvent } from '@duban/engine';
import { startEsdbTestServer, type EsdbTestServer } from '@duban/esdb-test-server';
import { createEventStoreDbStore } from '../src';

const proposed = (data: unknown = { n: 1 }): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'TaskCreated',
  data,
  metadata: { actor: 'test' },
});

const leftOf = (result: Either<AppendError, AppendResult>): AppendError => {
  if (!isLeft(result))
    throw new Error(`expected a failed append, got revision ${result.right.nextExpectedRevision}`);
  return result.left;
};

const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const waitUntil = async (condition: () => boolean, ms = 2000): Promise<void> => {
  for (const end = Date.now() + ms; !condition();) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A port on which nothing listens any more. */
const closedPort = async (): Promise<number> => {
  const server = await startEsdbTestServer();
  await server.stop();
  return server.port;
};

/** Accepts TCP connections and never answers: a server that hangs. */
const silentServer = async (): Promise<{ port: number; close(): Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

describe('EventStoreDB adapter, when the server cannot be reached', () => {
  it('reports StoreUnavailable quickly, naming the server and the cause, when nothing listens', async () => {
    const port = await closedPort();
    const store = createEventStoreDbStore(`esdb://127.0.0.1:${port}?tls=false`);
    try {
      const started = Date.now();
      const error = leftOf(await store.appendToStream('task-1', [proposed()]));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.code).toBe('StoreUnavailable');
      // The server, what failed, and the cause in the transport's words, in one clean sentence.
      const server = `EventStoreDB at esdb://127.0.0.1:${port}?tls=false`;
      const cause = `unavailable \\([^()]*ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)`;
      expect(error.message).toMatch(new RegExp(`^${escape(server)}: append to task-1 failed: ${cause}$`));
      expect(error.code === 'StoreUnavailable' && error.cause).toBeInstanceOf(Error);
      // Reads fail too, with the same kind of message, rather than reading as empty.
      await expect(collect(store.readStream('task-1'))).rejects.toThrow(
        new RegExp(`^${escape(server)}: reading task-1 failed: ${cause}$`),
      );
      await expect(collect(store.readAll())).rejects.toThrow(
        new RegExp(`^${escape(server)}: reading \\$all failed: ${cause}$`),
      );
      // An empty append, answered from a read of the stream, as well.
      const empty = leftOf(await store.appendToStream('task-1', [], { expectedRevision: 'no-stream' }));
      expect(empty).toMatchObject({ code: 'StoreUnavailable' });
      expect(empty.message).toMatch(
        new RegExp(`^${escape(server)}: append to task-1 failed while reading task-1: ${cause}$`),
      );
    } finally {
      await store.close();
    }
  });

  it('gives up on a server that never answers after appendTimeoutMs, saying the outcome is unknown', async () => {
    const silent = await silentServer();
    const store = createEventStoreDbStore(`esdb://127.0.0.1:${silent.port}?tls=false`, {
      appendTimeoutMs: 300,
    });
    try {
      const started = Date.now();
      const error = leftOf(await store.appendToStream('task-1', [proposed()]));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(error).toMatchObject({ code: 'StoreUnavailable' });
      expect(error.message).toContain('within 300 ms');
      expect(error.message).toContain('may or may not have been written');
    } finally {
      await store.close();
      await silent.close();
    }
  });

  it.each(['changeit', 'pa/ss?w0rd'])(
    'keeps credentials out of its messages (password %s)',
    async (password) => {
      const port = await closedPort();
      const store = createEventStoreDbStore(`esdb://admin:${password}@127.0.0.1:${port}?tls=false`);
      try {
        const error = leftOf(await store.appendToStream('task-1', [proposed()]));
        expect(error.message).toMatch(
          new RegExp(`^EventStoreDB at esdb://127\\.0\\.0\\.1:${port}\\?tls=false: append`),
        );
        expect(error.message).not.toContain(password);
        expect(error.message).not.toContain('admin');
        const read = await collect(store.readStream('task-1')).catch((e: Error) => e.message);
        expect(read).toContain(`esdb://127.0.0.1:${port}`);
        expect(read).not.toContain(password);
      } finally {
        await store.close();
      }
    },
  );
});

describe.each([
  { mode: 'BatchAppend', batchAppend: true },
  { mode: 'Append', batchAppend: false },
])('EventStoreDB adapter on the protocol test server ($mode)', ({ batchAppend }) => {
  let server: EsdbTestServer;

  beforeEach(async () => {
    server = await startEsdbTestServer({ batchAppend, maxAppendSize: 2000 });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('reports AppendTooLarge with its own limit before sending anything', async () => {
    const store = createEventStoreDbStore(server.connectionString, { maxAppendSize: 500 });
    try {
      const error = leftOf(await store.appendToStream('task-1', [proposed({ text: 'x'.repeat(600) })]));
      expect(error).toMatchObject({ code: 'AppendTooLarge', streamId: 'task-1', limit: 500 });
      expect(error.code === 'AppendTooLarge' && error.size).toBeGreaterThan(600);
      expect(server.callCounts()['/event_store.client.streams.Streams/Append']).toBeUndefined();
      expect(server.callCounts()['/event_store.client.streams.Streams/BatchAppend']).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("reports AppendTooLarge with the server's limit when the server's is lower, and writes nothing", async () => {
    const store = createEventStoreDbStore(server.connectionString);
    try {
      const events = [proposed({ text: 'x'.repeat(1200) }), proposed({ text: 'y'.repeat(1200) })];
      const error = leftOf(await store.appendToStream('task-1', events));
      expect(error).toMatchObject({ code: 'AppendTooLarge', streamId: 'task-1', limit: 2000 });
      expect(error.code === 'AppendTooLarge' && error.size).toBeGreaterThan(2400);
      expect(error.message).toContain('task-1');
      expect(await collect(store.readStream('task-1'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('close() ends subscriptions, releases its calls on the server, and refuses further work', async () => {
    const store: EventStore = createEventStoreDbStore(server.connectionString);
    await store.appendToStream('task-1', [proposed()]);
    const subscription = store.subscribeToAll({ streamPrefixes: ['task-'] });
    const events = subscription[Symbol.asyncIterator]();
    expect((await events.next()).done).toBe(false);
    const pending = events.next();
    expect(server.openCalls()).toBe(batchAppend ? 2 : 1); // the subscription, and the BatchAppend stream

    await store.close();
    expect(await pending).toMatchObject({ done: true });
    await waitUntil(() => server.openCalls() === 0);

    const refused = leftOf(await store.appendToStream('task-1', [proposed()]));
    expect(refused).toMatchObject({ code: 'StoreUnavailable' });
    expect(refused.message).toContain('closed');
    await expect(collect(store.readStream('task-1'))).rejects.toThrow('closed');
    await expect(store.subscribeToAll()[Symbol.asyncIterator]().next()).rejects.toThrow('closed');
    await store.close(); // a second close is harmless
  });

  it('still reports a conflict as WrongExpectedRevision with throwOnAppendFailure=false', async () => {
    const store = createEventStoreDbStore(`${server.connectionString}&throwOnAppendFailure=false`);
    try {
      await store.appendToStream('task-1', [proposed(), proposed(), proposed()]);
      const error = leftOf(await store.appendToStream('task-1', [proposed()], { expectedRevision: 0n }));
      expect(error).toMatchObject({
        code: 'WrongExpectedRevision',
        streamId: 'task-1',
        expected: 0n,
        actual: 2n,
      });
    } finally {
      await store.close();
    }
  });

  it('answers an empty append from the stream as it is, writing nothing', async () => {
    const store = createEventStoreDbStore(server.connectionString);
    try {
      const missing = await store.appendToStream('task-1', [], { expectedRevision: 'no-stream' });
      expect(missing).toEqual({
        _tag: 'Right',
        right: { nextExpectedRevision: -1n, position: { commit: 0n, prepare: 0n } },
      });
      const written = await store.appendToStream('task-1', [proposed(), proposed()]);
      const again = await store.appendToStream('task-1', [], { expectedRevision: 1n });
      expect(again).toEqual(written);
      expect(
        leftOf(await store.appendToStream('task-1', [], { expectedRevision: 'no-stream' })),
      ).toMatchObject({
        code: 'WrongExpectedRevision',
        actual: 1n,
      });
      expect(await collect(store.readStream('task-1'))).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it('throws on a proposed event that breaks the port contract (a bug, not an expected failure)', async () => {
    const store = createEventStoreDbStore(server.connectionString);
    try {
      await expect(
        store.appendToStream('task-1', [{ ...proposed(), eventId: 'not-a-uuid' }]),
      ).rejects.toThrow('uuid');
      await expect(store.appendToStream('task-1', [proposed(10n)])).rejects.toThrow('not JSON');
    } finally {
      await store.close();
    }
  });
});
