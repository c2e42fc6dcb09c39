import type { EventEmitter } from 'node:events';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { appendHandler } from './append';
import { batchAppendHandler } from './batch-append';
import { gossipHandler } from './gossip';
import { createEsdbLog } from './log';
import { GossipService, ServerFeaturesService, StreamsService } from './proto';
import { readHandler } from './read';
import { supportedMethodsHandler } from './server-features';
import { newUuid } from './uuid';
import { createWriter } from './writer';

export interface EsdbTestServerOptions {
  /** Advertise and serve Streams.BatchAppend (the client then appends through it). Default true. */
  readonly batchAppend?: boolean;
  /** Bytes per append, counted as the server does (data + metadata + 2 × type length). Default 1 MiB. */
  readonly maxAppendSize?: number;
  /** Default 0: a free port chosen by the system. */
  readonly port?: number;
  /**
   * Milliseconds the server's single writer spends on each append before committing and answering it, as
   * a disk flush would; appends wait their turn in arrival order. Default 0: written as soon as complete.
   * Makes the server the bottleneck under load, to see how a client copes.
   */
  readonly writeDelayMs?: number;
}

export interface EsdbTestServer {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly connectionString: string;
  readonly port: number;
  /** Writes a system event (any stream, typically `$`-prefixed) straight into the log, as the server would. */
  seedSystemEvent(streamId: string, type: string): Promise<void>;
  /** How many calls each gRPC method received, by method path (e.g. `/event_store.client.streams.Streams/BatchAppend`). */
  callCounts(): Readonly<Record<string, number>>;
  /** Reads, subscriptions and BatchAppend streams not yet finished or cancelled. */
  openCalls(): number;
  /** Appends received (their first message) and not yet answered. */
  appendsInFlight(): number;
  /** The most appends in flight at one moment since the server started: a client's concurrency, seen here. */
  maxAppendsInFlight(): number;
  /** Force shutdown: open calls (BatchAppend, subscriptions) are cancelled. Dispose clients first. */
  stop(): Promise<void>;
}

const host = '127.0.0.1';
const defaultMaxAppendSize = 1024 * 1024;

/**
 * An in-process gRPC server speaking the subset of EventStoreDB's protocol an event store adapter uses,
 * built on the service definitions shipped with `@eventstore/db-client`, so the real client talks to it.
 */
export const startEsdbTestServer = async (options: EsdbTestServerOptions = {}): Promise<EsdbTestServer> => {
  const { batchAppend = true, maxAppendSize = defaultMaxAppendSize, writeDelayMs = 0 } = options;
  const log = createEsdbLog();
  const writer = createWriter(writeDelayMs);
  const server = new Server();
  let port = 0;
  const calls: Record<string, number> = {};
  const counted =
    <A extends unknown[]>(path: string, handler: (...args: A) => void) =>
    (...args: A): void => {
      calls[path] = (calls[path] ?? 0) + 1;
      handler(...args);
    };
  // Streaming calls stay open until they finish or the client cancels them.
  const open = new Set<EventEmitter>();
  const tracked =
    <C extends EventEmitter>(handler: (call: C) => void) =>
    (call: C): void => {
      open.add(call);
      for (const end of ['finish', 'close', 'cancelled']) call.once(end, () => open.delete(call));
      handler(call);
    };

  // Unlisted methods (Delete, Tombstone, and BatchAppend when disabled) answer UNIMPLEMENTED.
  server.addService(StreamsService, {
    read: counted(StreamsService.read.path, tracked(readHandler(log))),
    append: counted(StreamsService.append.path, appendHandler(log, maxAppendSize, writer)),
    ...(batchAppend
      ? {
          batchAppend: counted(
            StreamsService.batchAppend.path,
            tracked(batchAppendHandler(log, maxAppendSize, writer)),
          ),
        }
      : {}),
  });
  server.addService(ServerFeaturesService, {
    getSupportedMethods: counted(
      ServerFeaturesService.getSupportedMethods.path,
      supportedMethodsHandler([
        StreamsService.read.path,
        StreamsService.append.path,
        ...(batchAppend ? [StreamsService.batchAppend.path] : []),
        ServerFeaturesService.getSupportedMethods.path,
        GossipService.read.path,
      ]),
    ),
  });
  server.addService(GossipService, {
    read: counted(
      GossipService.read.path,
      gossipHandler(host, () => port),
    ),
  });

  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );

  const seedSystemEvent = async (streamId: string, type: string) => {
    const data = Buffer.from(JSON.stringify({ seeded: true }), 'utf8');
    const record = {
      eventId: newUuid(),
      type,
      contentType: 'application/json',
      data,
      customMetadata: new Uint8Array(),
    };
    log.append(streamId, { kind: 'any' }, [record]);
  };
  // A fresh real server already holds system events (its default `$settings`, among others).
  await seedSystemEvent('$settings', '$settings');

  return {
    connectionString: `esdb://${host}:${port}?tls=false`,
    port,
    seedSystemEvent,
    callCounts: () => ({ ...calls }),
    openCalls: () => open.size,
    appendsInFlight: writer.inFlight,
    maxAppendsInFlight: writer.maxInFlight,
    stop: async () => {
      writer.stop();
      server.forceShutdown();
    },
  };
};
