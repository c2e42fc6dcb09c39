import { left, right, type Either } from 'fp-ts/Either';
import {
  comparePositions,
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
} from './event-store';
import { appendTooLarge, wrongExpectedRevision } from './append-errors';
import { sizeOver } from './append-size';
import { encodeEvent, type EncodedEvent } from './encode-event';
import { DEFAULT_MAX_APPEND_SIZE } from './serialized-event';

export interface InMemoryEventStoreOptions {
  /** Bytes of JSON (data + metadata) one append may carry. */
  readonly maxAppendSize?: number;
}

interface StreamState {
  readonly events: RecordedEvent[];
  /**
   * First revision holding each event id, for idempotent re-appends under `any` / `exists`: built on
   * the first such append to the stream and kept up to date from then on. Appends under an exact
   * revision (the engine's) never need it, nor pay for it.
   */
  ids: Map<string, number> | undefined;
}

type Decision =
  | { readonly kind: 'write' }
  | { readonly kind: 'duplicate'; readonly last: number }
  | { readonly kind: 'conflict' };

/** The common decision, one object for every append. */
const WRITE: Decision = { kind: 'write' };

const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

/**
 * The embedded store and the reference the other adapters are tested against. One global array holds
 * `$all` (index i sits at position i + 1, so `0/0` precedes every event, as in EventStoreDB), and one
 * array per stream holds the same frozen objects, so an append costs O(batch) and a read copies nothing.
 *
 * Events go in as JSON and come out as what a JSON store gives back (a Date reads as its ISO string,
 * `undefined` fields vanish), deeply frozen, parsed on first read. Breaking the port's own contract (an event id that is not
 * a uuid, data that is not JSON) is a bug, not an expected error: the append promise rejects then.
 */
export const createInMemoryEventStore = (options: InMemoryEventStoreOptions = {}): EventStore => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  if (!Number.isSafeInteger(maxAppendSize) || maxAppendSize <= 0) {
    throw new RangeError(`maxAppendSize must be a positive integer, got ${maxAppendSize}`);
  }
  const log: RecordedEvent[] = [];
  const streams = new Map<string, StreamState>();
  /** Wakes subscriptions waiting for the next append. */
  const listeners = new Set<() => void>();
  const openSubscriptions = new Set<() => Promise<void>>();
  let closed = false;

  const appendToStream = async (
    streamId: string,
    events: readonly ProposedEvent[],
    appendOptions: AppendOptions = {},
  ): Promise<Either<AppendError, AppendResult>> => {
    if (closed) return left({ code: 'StoreUnavailable', message: 'the in-memory event store is closed' });
    const expected = appendOptions.expectedRevision ?? 'any';
    const encoded: EncodedEvent[] = [];
    for (let i = 0; i < events.length; i++) encoded.push(encodeEvent(events[i]!));
    // Checked before the revision, like EventStoreDB, which refuses the request as it arrives.
    const size = sizeOver(encoded, maxAppendSize);
    if (size !== undefined) return left(appendTooLarge(streamId, size, maxAppendSize));
    const stream = streams.get(streamId);
    const current = stream ? stream.events.length - 1 : -1;
    const decision = decide(stream, expected, encoded);
    if (decision.kind === 'conflict') {
      return left(wrongExpectedRevision(streamId, expected, current < 0 ? 'no-stream' : BigInt(current)));
    }
    if (decision.kind === 'duplicate') return right(resultAt(stream, decision.last));
    if (encoded.length === 0) return right(resultAt(stream, current));

    // Nothing below can fail, so the append is all or nothing.
    const state: StreamState = stream ?? { events: [], ids: undefined };
    if (!stream) streams.set(streamId, state);
    for (const e of encoded) {
      const revision = state.events.length;
      const sequence = BigInt(log.length + 1);
      const recorded = recordedEvent(
        streamId,
        BigInt(revision),
        Object.freeze({ commit: sequence, prepare: sequence }),
        e,
      );
      log.push(recorded);
      state.events.push(recorded);
      if (state.ids && !state.ids.has(e.eventId)) state.ids.set(e.eventId, revision);
    }
    for (const wake of listeners) wake();
    return right(resultAt(state, state.events.length - 1));
  };

  const readStream = (
    streamId: string,
    readOptions: ReadStreamOptions = {},
  ): AsyncIterableIterator<RecordedEvent> =>
    pulled(() => {
      ensureOpen();
      const events = streams.get(streamId)?.events ?? [];
      const end = events.length; // later appends are not part of this read
      const backwards = readOptions.direction === 'backwards';
      const from = readOptions.fromRevision ?? (backwards ? 'end' : 'start');
      const first = from === 'start' ? 0n : from === 'end' ? BigInt(backwards ? end - 1 : end) : from;
      let i = clampIndex(first, end, backwards);
      const step = backwards ? -1 : 1;
      let remaining = countLimit(readOptions.maxCount);
      return () => {
        if (remaining <= 0 || i < 0 || i >= end) return undefined;
        remaining--;
        const event = events[i]!;
        i += step;
        return event;
      };
    });

  const readAll = (readOptions: ReadAllOptions = {}): AsyncIterableIterator<RecordedEvent> =>
    pulled(() => {
      ensureOpen();
      const end = log.length; // later appends are not part of this read
      const backwards = readOptions.direction === 'backwards';
      const from = readOptions.fromPosition ?? (backwards ? 'end' : 'start');
      const position = from === 'start' ? START : from === 'end' ? undefined : from;
      // Forwards: first event at or after the position. Backwards: last event at or before it.
      let i = position === undefined ? (backwards ? end - 1 : end) : firstIndexAfter(position, !backwards);
      if (backwards && position !== undefined) i -= 1;
      const step = backwards ? -1 : 1;
      const visible = visibility(readOptions.streamPrefixes);
      let remaining = countLimit(readOptions.maxCount);
      return () => {
        for (; remaining > 0 && i >= 0 && i < end; i += step) {
          const event = log[i]!;
          if (!visible(event)) continue;
          remaining--;
          i += step;
          return event;
        }
        return undefined;
      };
    });

  const subscribeToAll = (subscribeOptions: SubscribeToAllOptions = {}): Subscription => {
    const from = subscribeOptions.fromPosition ?? 'start';
    const visible = visibility(subscribeOptions.streamPrefixes);
    const refusal = closed ? new Error('the in-memory event store is closed') : undefined;
    // The cursor walks the one global array, so catch-up and live are the same loop: an event appended
    // while catching up is simply further along, never lost nor seen twice.
    let cursor = from === 'start' ? 0 : firstIndexAfter(from, false);
    let ended = false;
    let changed: Promise<void> | undefined;
    let wakeUp: (() => void) | undefined;
    const wake = (): void => {
      wakeUp?.();
      changed = wakeUp = undefined;
    };
    const close = async (): Promise<void> => {
      ended = true;
      listeners.delete(wake);
      openSubscriptions.delete(close);
      wake();
    };
    if (!refusal) {
      listeners.add(wake);
      openSubscriptions.add(close);
    }
    const iterator: AsyncIterator<RecordedEvent> = {
      next: async () => {
        if (refusal) throw refusal;
        for (;;) {
          if (ended) return { done: true, value: undefined };
          while (cursor < log.length) {
            const event = log[cursor++]!;
            if (visible(event)) return { done: false, value: event };
          }
          changed ??= new Promise<void>((resolve) => (wakeUp = resolve));
          await changed;
        }
      },
      // `break` out of a for-await ends the subscription, as it does with EventStoreDB's client.
      return: async () => {
        await close();
        return { done: true, value: undefined };
      },
    };
    return { [Symbol.asyncIterator]: () => iterator, close };
  };

  const close = async (): Promise<void> => {
    closed = true;
    await Promise.all([...openSubscriptions].map((end) => end()));
  };

  const ensureOpen = (): void => {
    if (closed) throw new Error('the in-memory event store is closed');
  };

  /** Index of the first event after `position` (or at it, when `inclusive`); binary search. */
  const firstIndexAfter = (position: Position, inclusive: boolean): number => {
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = comparePositions(log[mid]!.position, position);
      if (c > 0 || (inclusive && c === 0)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  return { appendToStream, readStream, readAll, subscribeToAll, close };
};

/**
 * A read as an async iterator over events already in memory. Not an async generator: a generator's
 * every step costs several promise turns, a million of them in a rebuild. Like one, it starts on the
 * first `next()` (`start` checks the store is open and fixes where the read ends), is over after
 * `return()` or a failure, and answers `next()` calls in the order they were made.
 */
const pulled = (start: () => () => RecordedEvent | undefined): AsyncIterableIterator<RecordedEvent> => {
  let next: (() => RecordedEvent | undefined) | undefined;
  const over = (): undefined => undefined;
  const iterator: AsyncIterableIterator<RecordedEvent> = {
    next: () => {
      try {
        const event = (next ??= start())();
        if (event !== undefined) return Promise.resolve({ done: false, value: event });
        next = over;
        return Promise.resolve({ done: true, value: undefined });
      } catch (error) {
        next = over;
        return Promise.reject(error as Error);
      }
    },
    return: () => {
      next = over;
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
};

/**
 * EventStoreDB's rules: under an exact revision (or `no-stream`, i.e. -1) the batch writes when the
 * stream is exactly there; when the stream is further on, the batch must match the events written just
 * after the expected revision, id by id, to count as a retry. A partial overlap is a conflict. Under
 * `any` / `exists` the first event id is looked up wherever it is in the stream.
 */
const decide = (
  stream: StreamState | undefined,
  expected: ExpectedRevision,
  batch: readonly EncodedEvent[],
): Decision => {
  const current = stream ? stream.events.length - 1 : -1;
  if (expected === 'any' || expected === 'exists') {
    if (expected === 'exists' && !stream) return { kind: 'conflict' };
    const first = batch.length === 0 || !stream ? undefined : idsOf(stream).get(batch[0]!.eventId);
    return first === undefined ? WRITE : matchFrom(stream, first, batch);
  }
  const revision = expected === 'no-stream' ? -1n : expected;
  if (revision === BigInt(current)) return WRITE;
  if (revision > BigInt(current) || revision < -1n || batch.length === 0) return { kind: 'conflict' };
  return matchFrom(stream, Number(revision) + 1, batch);
};

/** The stream's event id index, built from its events on first use. */
const idsOf = (stream: StreamState): Map<string, number> => {
  if (stream.ids) return stream.ids;
  const ids = new Map<string, number>();
  stream.events.forEach((e, revision) => {
    if (!ids.has(e.eventId)) ids.set(e.eventId, revision);
  });
  return (stream.ids = ids);
};

const matchFrom = (
  stream: StreamState | undefined,
  start: number,
  batch: readonly EncodedEvent[],
): Decision => {
  const events = stream?.events ?? [];
  const matches = batch.every((e, k) => events[start + k]?.eventId === e.eventId);
  return matches ? { kind: 'duplicate', last: start + batch.length - 1 } : { kind: 'conflict' };
};

/** Result for the event at `revision`; -1 (an empty append to no stream) answers `-1n` at `0/0`. */
const resultAt = (stream: StreamState | undefined, revision: number): AppendResult => ({
  nextExpectedRevision: BigInt(revision),
  position: stream?.events[revision]?.position ?? START,
});

/** What a stored event holds until it is read: its JSON, replaced by the frozen value on first read. */
interface Lazy {
  dataJson: string | undefined;
  data: unknown;
  metadataJson: string | undefined;
  metadata: Readonly<Record<string, unknown>> | undefined;
}

/** Where a stored event keeps its `Lazy` (a non-enumerable own property: spreads, JSON and equality never see it). */
const LAZY = Symbol('duban.lazy');

// One getter of each kind for every stored event (read through `this`), not two closures per event: the
// events then share one shape, so reading them stays monomorphic, and each weighs some 500 bytes less.
const DATA: PropertyDescriptor = {
  enumerable: true,
  get(this: { [LAZY]: Lazy }): unknown {
    const lazy = this[LAZY];
    if (lazy.dataJson !== undefined) {
      lazy.data = deepFreeze(JSON.parse(lazy.dataJson) as unknown);
      lazy.dataJson = undefined;
    }
    return lazy.data;
  },
};
const METADATA: PropertyDescriptor = {
  enumerable: true,
  get(this: { [LAZY]: Lazy }): Readonly<Record<string, unknown>> {
    const lazy = this[LAZY];
    if (lazy.metadataJson !== undefined) {
      lazy.metadata = deepFreeze(JSON.parse(lazy.metadataJson) as Record<string, unknown>);
      lazy.metadataJson = undefined;
    }
    return lazy.metadata!;
  },
};

/**
 * A stored event that keeps its JSON and parses it on first read, once (data and metadata apart), into
 * deeply frozen values: what a reader sees is what an eager parse gave, but an event nobody reads (most
 * of what an engine appends: it folds its own decisions without reading them back) is never parsed.
 */
const recordedEvent = (
  streamId: string,
  revision: bigint,
  position: Position,
  serialized: EncodedEvent,
): RecordedEvent => {
  const recorded = { streamId, revision, position, eventId: serialized.eventId, type: serialized.type };
  const lazy: Lazy = {
    dataJson: serialized.data,
    data: undefined,
    metadataJson: serialized.metadata,
    metadata: undefined,
  };
  Object.defineProperty(recorded, 'data', DATA);
  Object.defineProperty(recorded, 'metadata', METADATA);
  Object.defineProperty(recorded, LAZY, { value: lazy });
  return Object.freeze(recorded) as unknown as RecordedEvent;
};

/** Freezes what JSON.parse gave, all the way down (arrays and plain objects only). */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const inner: unknown = value[i];
        if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
      }
    } else {
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        const inner = (value as Record<string, unknown>)[keys[i]!];
        if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
      }
    }
  }
  return value;
};

const visibility = (prefixes: readonly string[] | undefined) => {
  // System streams never reach readers of `$all`. An empty prefix list matches nothing, as on the server.
  // A loop, not `some` with a closure: it runs once per event read.
  return (event: RecordedEvent): boolean => {
    const id = event.streamId;
    if (id.startsWith('$')) return false;
    if (prefixes === undefined) return true;
    for (let k = 0; k < prefixes.length; k++) if (id.startsWith(prefixes[k]!)) return true;
    return false;
  };
};

const countLimit = (maxCount: number | undefined): number =>
  maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(maxCount));

/** A revision as the first index to read: a read starting past either end starts at that end. */
const clampIndex = (revision: bigint, length: number, backwards: boolean): number => {
  if (revision < 0n) return backwards ? -1 : 0;
  if (revision >= BigInt(length)) return backwards ? length - 1 : length;
  return Number(revision);
};
