import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  streamNameFilter,
  type AppendExpectedRevision,
} from '@eventstore/db-client';
import { left, right, type Either } from 'fp-ts/Either';
import {
  appendTooLarge,
  type AppendError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type Position,
  type ProposedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
} from '@duban/engine';
import { DEFAULT_MAX_APPEND_SIZE } from '@duban/engine';
import { visibility } from './decode';
import { encode } from './encode';
import { appendFailure, describeTarget, storeUnavailable, wrongExpectedRevision } from './errors';
import { createGate } from './gate';
import { countLimit, recordedEvents } from './reads';
import { wrapSubscription } from './subscription';

export interface EventStoreDbStoreOptions {
  /**
   * Bytes of JSON data + metadata one append may carry, checked before anything is sent. Default 1 MiB,
   * the server's default `MaxAppendSize`; a server configured lower still refuses, with the same error.
   */
  readonly maxAppendSize?: number;
  /**
   * How long an append may wait for the server's answer, counted from when it is handed to the client
   * (not while it waits its turn, see `maxAppendsInFlight`), before it is reported as StoreUnavailable.
   * Default 10 s. The append may still have happened: retrying it with the same event ids is safe.
   */
  readonly appendTimeoutMs?: number;
  /**
   * Appends handed to the client and not yet answered, at most; more wait their turn, unsent, in arrival
   * order (back-pressure). Default 8. Keep it at 16 or less: beyond, the client queues BatchAppend writes
   * itself, and a stream that fails with writes queued there ends in an unhandled promise rejection.
   * `Infinity` sends every append at once.
   */
  readonly maxAppendsInFlight?: number;
  /**
   * Stream reads in flight, at most, likewise (a read is fetched in pages of up to 512 events; a place is
   * held while one page is fetched, never while the caller handles the events). Default 8. Reads of `$all`
   * and subscriptions are not counted: they are few and long-lived.
   */
  readonly maxReadsInFlight?: number;
}

const DEFAULT_APPEND_TIMEOUT_MS = 10_000;
// Measured on 2 cores against the protocol test server (docs/eventstoredb.md, "Back-pressure"): with every
// call of a burst of commands sent at once, the event loop spent seconds per turn on the answers, and the
// client's BatchAppend stream writes about one append per turn, so appends timed out on a healthy server.
// 8 keeps turns short and an append's wait once sent to a few turns, with the same throughput on one core;
// across a network round trip of a few ms it still allows thousands of appends a second.
const DEFAULT_IN_FLIGHT = 8;
/** Events fetched per call of a stream read. */
const READ_PAGE = 512;

const beforeEverything: Position = { commit: 0n, prepare: 0n };

/**
 * The event store port on EventStoreDB (or KurrentDB), through the official gRPC client. Give it a
 * connection string (`esdb://host:2113?tls=true`, `esdb+discover://…` for a cluster) or a client built
 * elsewhere; `close()` disposes that client either way.
 *
 * Streams are used as the engine names them; the event type is the domain event name; data and metadata
 * are JSON. Readers of `$all` never see system (`$`) streams: subscriptions filter on the server by stream
 * prefix (or by "not `$`" without prefixes) and again here, reads of `$all` filter here.
 */
export const createEventStoreDbStore = (
  connection: string | EventStoreDBClient,
  options: EventStoreDbStoreOptions = {},
): EventStore => {
  // Options are checked before a client is made, so a refused configuration leaves nothing open.
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const appendTimeoutMs = options.appendTimeoutMs ?? DEFAULT_APPEND_TIMEOUT_MS;
  if (!(appendTimeoutMs > 0 && appendTimeoutMs <= 2 ** 31 - 1))
    throw new RangeError(`appendTimeoutMs must be a number of milliseconds above 0, not ${appendTimeoutMs}`);
  const appends = createGate(inFlightLimit('maxAppendsInFlight', options.maxAppendsInFlight));
  const reads = createGate(inFlightLimit('maxReadsInFlight', options.maxReadsInFlight));
  const client =
    typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
  const target = describeTarget(typeof connection === 'string' ? connection : undefined);
  const openSubscriptions = new Set<() => Promise<void>>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new Error(`${target}: the event store is closed`);
  };

  const appendToStream = async (
    streamId: string,
    events: readonly ProposedEvent[],
    appendOptions: AppendOptions = {},
  ): Promise<Either<AppendError, AppendResult>> => {
    if (closed) return left(storeUnavailable(target, 'the event store is closed'));
    const expected = appendOptions.expectedRevision ?? 'any';
    const encoded = events.map(encode);
    const size = encoded.reduce((sum, e) => sum + e.size, 0);
    if (size > maxAppendSize) return left(appendTooLarge(streamId, size, maxAppendSize));
    if (encoded.length === 0) return emptyAppend(streamId, expected);

    const turn = await appends.enter();
    if (turn.refused !== undefined)
      return left(storeUnavailable(target, `append to ${streamId} was not sent: ${turn.refused}`));

    const attempt = async (): Promise<Either<AppendError, AppendResult>> => {
      try {
        const result = await client.appendToStream(
          streamId,
          encoded.map((e) => e.event),
          { expectedRevision: toClientRevision(expected), deadline: appendTimeoutMs },
        );
        if (!result.success) {
          // Only with `throwOnAppendFailure=false` in the connection string; the client then reports a
          // conflict this way, with a wrong revision on BatchAppend, so the stream's own is read.
          const last = await eventAt(streamId, 'end');
          return left(wrongExpectedRevision(streamId, expected, last?.revision ?? 'no_stream'));
        }
        // Some servers answer an idempotent re-append without a position: it is the written event's.
        const position =
          result.position ??
          (await eventAt(streamId, result.nextExpectedRevision))?.position ??
          beforeEverything;
        return right({ nextExpectedRevision: result.nextExpectedRevision, position });
      } catch (error) {
        return left(appendFailure(error, { streamId, expected, size, target }));
      }
    };
    try {
      // The clock starts now that the append is sent, so waiting for a turn never counts against it.
      return await withTimeout(attempt(), appendTimeoutMs, () =>
        left(
          storeUnavailable(
            target,
            `no answer to the append to ${streamId} within ${appendTimeoutMs} ms of sending it; it may or may not have been written`,
          ),
        ),
      );
    } finally {
      turn.leave();
    }
  };

  // EventStoreDB's answer to an empty append does not say where the stream is, so an empty append is
  // checked here against the stream's last event; nothing is written either way.
  const emptyAppend = async (
    streamId: string,
    expected: ExpectedRevision,
  ): Promise<Either<AppendError, AppendResult>> => {
    const turn = await reads.enter();
    if (turn.refused !== undefined)
      return left(storeUnavailable(target, `append to ${streamId} was not sent: ${turn.refused}`));
    let last: RecordedEvent | undefined;
    try {
      last = await eventAt(streamId, 'end');
    } catch (error) {
      return left(appendFailure(error, { streamId, expected, size: 0, target }));
    } finally {
      turn.leave();
    }
    const ok =
      expected === 'any' ||
      (expected === 'exists' && last !== undefined) ||
      (expected === 'no-stream' && last === undefined) ||
      expected === last?.revision;
    if (!ok) return left(wrongExpectedRevision(streamId, expected, last?.revision ?? 'no_stream'));
    return right({
      nextExpectedRevision: last?.revision ?? -1n,
      position: last?.position ?? beforeEverything,
    });
  };

  const eventAt = async (streamId: string, revision: bigint | 'end'): Promise<RecordedEvent | undefined> => {
    const read = client.readStream(streamId, {
      fromRevision: revision,
      direction: revision === 'end' ? BACKWARDS : FORWARDS,
      maxCount: 1,
    });
    for await (const e of recordedEvents(read, target, `reading ${streamId}`)) return e;
    return undefined;
  };

  /** A read in turn; one refused (the store closed while it waited) rejects, as reads fail. */
  const readTurn = async <T>(read: () => Promise<T>): Promise<T> => {
    const turn = await reads.enter();
    if (turn.refused !== undefined) throw new Error(`${target}: ${turn.refused}`);
    try {
      return await read();
    } finally {
      turn.leave();
    }
  };

  async function* readStream(
    streamId: string,
    readOptions: ReadStreamOptions = {},
  ): AsyncGenerator<RecordedEvent> {
    ensureOpen();
    let remaining = countLimit(readOptions.maxCount);
    const backwards = readOptions.direction === 'backwards';
    let from: bigint | typeof START | typeof END = readOptions.fromRevision ?? (backwards ? END : START);
    // Page by page, each fetched whole while holding a place, so the caller's own work between events
    // never holds one (a caller that reads another stream meanwhile cannot deadlock the gate).
    while (remaining > 0) {
      const maxCount = Math.min(remaining, READ_PAGE);
      const page = await readTurn(() =>
        collect(
          recordedEvents(
            client.readStream(streamId, {
              direction: backwards ? BACKWARDS : FORWARDS,
              fromRevision: from,
              maxCount,
            }),
            target,
            `reading ${streamId}`,
          ),
        ),
      );
      yield* page;
      const last = page.at(-1);
      if (page.length < maxCount || !last || (backwards && last.revision === 0n)) return;
      remaining -= page.length;
      from = backwards ? last.revision - 1n : last.revision + 1n;
    }
  }

  async function* readAll(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    ensureOpen();
    let remaining = countLimit(readOptions.maxCount);
    const prefixes = readOptions.streamPrefixes;
    if (remaining === 0 || prefixes?.length === 0) return;
    const visible = visibility(prefixes);
    const backwards = readOptions.direction === 'backwards';
    const from = readOptions.fromPosition ?? (backwards ? 'end' : 'start');

    // EventStoreDB reads `$all` backwards from the events *before* a position; the port includes the
    // event at it, so that one is looked up first.
    if (backwards && typeof from === 'object') {
      const read = client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: 1 });
      for await (const e of recordedEvents(read, target, 'reading $all')) {
        if (e.position.commit === from.commit && e.position.prepare === from.prepare && visible(e)) {
          yield e;
          remaining--;
        }
      }
      if (remaining === 0) return;
    }
    // The client reads `$all` without a server-side filter, so system events and other prefixes are
    // skipped here, and the count applies to the events kept.
    const read = client.readAll({ fromPosition: from, direction: backwards ? BACKWARDS : FORWARDS });
    for await (const e of recordedEvents(read, target, 'reading $all')) {
      if (!visible(e)) continue;
      yield e;
      if (--remaining === 0) return;
    }
  }

  const subscribeToAll = (subscribeOptions: SubscribeToAllOptions = {}): Subscription => {
    if (closed) {
      // As with the in-memory store: a subscription on a closed store fails when read.
      const refusal = new Error(`${target}: the event store is closed`);
      return {
        [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(refusal) }),
        close: async () => undefined,
      };
    }
    const prefixes = subscribeOptions.streamPrefixes;
    const source =
      prefixes?.length === 0
        ? undefined
        : client.subscribeToAll({
            fromPosition: subscribeOptions.fromPosition ?? START,
            // Server side: only the engine's streams travel; without prefixes, every stream but `$` ones.
            filter: prefixes
              ? streamNameFilter({ prefixes: [...prefixes] })
              : streamNameFilter({ regex: '^[^$]' }),
          });
    const subscription = wrapSubscription(source, visibility(prefixes), target, () =>
      openSubscriptions.delete(subscription.close),
    );
    openSubscriptions.add(subscription.close);
    return subscription;
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    appends.close('the event store is closed');
    reads.close('the event store is closed');
    await Promise.all([...openSubscriptions].map((end) => end()));
    await client.dispose();
  };

  return { appendToStream, readStream, readAll, subscribeToAll, close };
};

const inFlightLimit = (name: string, value: number | undefined): number => {
  const limit = value ?? DEFAULT_IN_FLIGHT;
  if (limit === Infinity || (Number.isInteger(limit) && limit > 0)) return limit;
  throw new RangeError(`${name} must be a whole number above 0 (or Infinity), not ${limit}`);
};

const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

const toClientRevision = (expected: ExpectedRevision): AppendExpectedRevision =>
  expected === 'no-stream' ? 'no_stream' : expected === 'exists' ? 'stream_exists' : expected;

/** Settles like `work`, or with `onTimeout()` after `ms`; the timer never keeps the process alive. */
const withTimeout = async <T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
