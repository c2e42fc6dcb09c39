import type { Either } from 'fp-ts/Either';

/**
 * The event store port: five methods every adapter implements (in-memory, EventStoreDB, PostgreSQL).
 * The engine and projections see nothing else of a store. Semantics follow EventStoreDB's, since it is
 * the production store: revisions count from 0 within a stream, `$all` is in commit order, appends are
 * idempotent by event id, and subscriptions start *after* the position they are given.
 */
export interface EventStore {
  /** Appends atomically. Expected failures come back as `Left`; nothing is written then. */
  appendToStream(
    streamId: string,
    events: readonly ProposedEvent[],
    options?: AppendOptions,
  ): Promise<Either<AppendError, AppendResult>>;
  /** Reads one stream; a stream that does not exist reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Reads every stream in global (commit) order. A `fromPosition` is included. System events never appear. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up subscription: history after `fromPosition` (exclusive), then live events, until closed. */
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** Releases connections and ends open subscriptions. */
  close(): Promise<void>;
}

/** A position in the global order. Stores with a single sequence use the same value for both parts. */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/**
 * What the caller expects of the stream before the append:
 * `any` (no check), `no-stream` (must not exist), `exists` (must have at least one event),
 * or the exact revision of its last event.
 */
export type ExpectedRevision = 'any' | 'no-stream' | 'exists' | bigint;

export interface ProposedEvent {
  /** A uuid. Deterministic ids let a store drop a retried append (idempotency by event id). */
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  /** JSON object; the engine keeps its envelope (actor, at, hashes, ...) here. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent extends ProposedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /**
   * Revision of the last event written. For an idempotent re-append, that of the last event already
   * present: the stream's end, unless the retry matched earlier events (as EventStoreDB answers).
   */
  readonly nextExpectedRevision: bigint;
  /** Position of the last event written (or already present, for an idempotent re-append). */
  readonly position: Position;
}

export type AppendError =
  | {
      readonly code: 'WrongExpectedRevision';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      /** Revision of the stream's last event, or `no-stream`. */
      readonly actual: bigint | 'no-stream';
      readonly message: string;
    }
  | {
      readonly code: 'AppendTooLarge';
      readonly streamId: string;
      readonly size: number;
      readonly limit: number;
      readonly message: string;
    }
  | {
      readonly code: 'StoreUnavailable';
      readonly message: string;
      readonly cause?: unknown;
    };

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly maxCount?: number;
  /** Only streams whose id starts with one of these prefixes (server-side where the store can). */
  readonly streamPrefixes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive. `start` (the default) replays everything. */
  readonly fromPosition?: Position | 'start';
  readonly streamPrefixes?: readonly string[];
}

export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the subscription; a pending iteration finishes. */
  close(): Promise<void>;
}

/** Positions travel as "commit/prepare" strings so JSON keeps every digit. */
export const positionToString = (p: Position): string => `${p.commit}/${p.prepare}`;

export const positionFromString = (s: string): Position | undefined => {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  return m ? { commit: BigInt(m[1]!), prepare: BigInt(m[2]!) } : undefined;
};

export const comparePositions = (a: Position, b: Position): number =>
  a.commit < b.commit
    ? -1
    : a.commit > b.commit
      ? 1
      : a.prepare < b.prepare
        ? -1
        : a.prepare > b.prepare
          ? 1
          : 0;
