import { isLeft, left, right, type Either } from 'fp-ts/Either';
import {
  aggregateOf,
  createTaskDecider,
  createUnitDecider,
  decodeCommand,
  defaultContext,
  taskStreamId,
  unitStreamId,
  validationError,
  type Actor,
  type Command,
  type Decider,
  type DomainContext,
  type Event,
} from '@duban/domain';
import {
  eventOf,
  fromRecorded,
  GENESIS_HASH,
  type Envelope,
  type EnvelopeMetadata,
} from './envelope/envelope';
import { eventIdFor } from './envelope/event-ids';
import {
  createChainVerifier,
  hashEvent,
  verifyAll,
  type ChainBreak,
  type StreamHeads,
  type VerifyReport,
} from './envelope/hash-chain';
import { createUpcasterRegistry, schemaVersionOf, type UpcasterRegistry } from './envelope/upcasters';
import type { EngineError } from './errors';
import type { EventStore, Position, ProposedEvent } from './store/event-store';
import { createStreamCache, type LoadedStream } from './stream-cache';

/** Who issues a command, when, and under which idempotency key. */
export interface CommandMeta {
  readonly actor: Actor;
  /** ISO-8601 instant from the caller's clock: the business time of the command. */
  readonly at: string;
  /** Idempotency key: executing the same id twice commits once and returns the first result. */
  readonly commandId: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** A command as callers hand it in: its type and data (actor and time come in `CommandMeta`). */
export interface CommandInput {
  readonly type: string;
  readonly data: unknown;
}

export interface Committed {
  readonly streamId: string;
  /** The events this command committed (empty when the state already held what it asked). */
  readonly events: readonly Envelope[];
  /** Revision of the stream's last event after the command, or -1 when the stream is empty. */
  readonly streamRevision: number;
  /** True when this command id had already been executed: `events` are the first execution's. */
  readonly replayed: boolean;
}

export interface EngineOptions {
  readonly store: EventStore;
  /** Calendar, 13710 profile and policy; defaults to `defaultContext()` of @duban/domain. */
  readonly context?: DomainContext;
  readonly upcasters?: UpcasterRegistry;
  /** Retries on a concurrency conflict: attempts in all, and the backoff's base and cap in ms. */
  readonly retry?: {
    readonly attempts?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
  };
  /** Verify the hash chain of every stream before deciding on it (costs a hash per event read). */
  readonly verifyOnLoad?: boolean;
  /**
   * Streams whose folded state the engine keeps between commands (least recently used out), so a command
   * reads only what was appended since. Default 10 000; 0 reads and folds the whole stream every time.
   */
  readonly cacheSize?: number;
  /** For tests: how to wait between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Engine {
  execute(command: CommandInput, meta: CommandMeta): Promise<Either<EngineError, Committed>>;
  /** Every event of one stream, upcast to the current schema. */
  readStream(streamId: string): Promise<Envelope[]>;
  /** Every task and unit event in global order from a position (inclusive), upcast. */
  readAll(options?: { fromPosition?: Position | 'start' }): AsyncIterable<Envelope>;
  /**
   * Verifies every task and unit stream's hash chain as stored (before upcasting: the hashes cover the
   * stored form), optionally against stream heads recorded earlier.
   */
  verify(heads?: StreamHeads): Promise<VerifyReport>;
  /** Live feed of committed task and unit events after `fromPosition` (exclusive): catch-up, then live. */
  subscribe(options?: {
    fromPosition?: Position | 'start';
  }): AsyncIterable<Envelope> & { close(): Promise<void> };
  readonly store: EventStore;
  readonly context: DomainContext;
  readonly upcasters: UpcasterRegistry;
}

/** Streams the engine writes: everything else in a store (checkpoints, system, foreign) is not history. */
export const DOMAIN_STREAM_PREFIXES = ['task-', 'unit-'] as const;

type AnyDecider = Decider<Command, Event, unknown>;

// Committed results carry no position (an append reports only its last), also when replayed.
const withoutPosition = ({ position: _p, ...envelope }: Envelope): Envelope => envelope;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const createEngine = (options: EngineOptions): Engine => {
  const { store } = options;
  const context = options.context ?? defaultContext();
  const upcasters = options.upcasters ?? createUpcasterRegistry();
  const attempts = Math.max(1, options.retry?.attempts ?? 5);
  const baseDelay = options.retry?.baseDelayMs ?? 5;
  const maxDelay = options.retry?.maxDelayMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  const deciders = {
    task: createTaskDecider(context) as unknown as AnyDecider,
    unit: createUnitDecider(context) as unknown as AnyDecider,
  };

  const readStream = async (streamId: string): Promise<Envelope[]> => {
    const out: Envelope[] = [];
    for await (const recorded of store.readStream(streamId)) out.push(fromRecorded(recorded));
    return out;
  };

  const cache = createStreamCache<unknown>(options.cacheSize ?? 10_000);

  const integrityError = (streamId: string, b: ChainBreak): EngineError => ({
    kind: 'IntegrityError',
    code: 'HistoryAltered',
    break: b,
    message: `stream ${streamId} is altered at revision ${b.revision}: ${b.detail}`,
  });

  /** Folds what the stream holds past `loaded` (all of it for a fresh load), in place: the state is private. */
  const catchUp = async (
    streamId: string,
    decider: AnyDecider,
    loaded: LoadedStream<unknown>,
  ): Promise<Either<EngineError, LoadedStream<unknown>>> => {
    const verifier = options.verifyOnLoad ? createChainVerifier() : undefined;
    const from = loaded.revision < 0 ? undefined : { fromRevision: BigInt(loaded.revision + 1) };
    for await (const recorded of store.readStream(streamId, from)) {
      const envelope = fromRecorded(recorded);
      const broken = verifier?.push(envelope);
      if (broken) return left(integrityError(streamId, broken));
      loaded.commandIds.add(envelope.metadata.commandId);
      decider.apply(loaded.state, eventOf(upcasters.upcast(envelope)));
      loaded.revision = envelope.metadata.revision;
      loaded.lastHash = envelope.metadata.hash;
    }
    return right(loaded);
  };

  const fresh = (decider: AnyDecider): LoadedStream<unknown> => ({
    state: decider.initialState(),
    revision: -1,
    lastHash: GENESIS_HASH,
    commandIds: new Set(),
  });

  const attempt = async (
    command: Command,
    meta: CommandMeta,
    streamId: string,
    decider: AnyDecider,
  ): Promise<Either<EngineError, Committed> | 'conflict'> => {
    // Verification needs the whole chain, so it never starts from a cached state.
    const cached = options.verifyOnLoad ? undefined : cache.take(streamId);
    const caught = await catchUp(streamId, decider, cached ?? fresh(decider));
    if (isLeft(caught)) return caught;
    const loaded = caught.right;
    const streamRevision = loaded.revision;
    const keep = () => cache.put(streamId, loaded);

    if (loaded.commandIds.has(meta.commandId)) {
      // Executed before: answer with what it committed then (a rare path: read the stream for it).
      keep();
      const earlier = (await readStream(streamId))
        .filter((e) => e.metadata.commandId === meta.commandId)
        .map(withoutPosition);
      return right({ streamId, events: earlier, streamRevision, replayed: true });
    }

    const decision = decider.decide(command, loaded.state);
    if (isLeft(decision) || decision.right.length === 0) {
      keep();
      return isLeft(decision) ? decision : right({ streamId, events: [], streamRevision, replayed: false });
    }

    let prevHash = loaded.lastHash;
    const envelopes = decision.right.map((event, i): Envelope => {
      const metadata: Omit<EnvelopeMetadata, 'hash'> = {
        eventId: eventIdFor(meta.commandId, i),
        streamId,
        revision: streamRevision + 1 + i,
        at: meta.at,
        actor: meta.actor,
        commandId: meta.commandId,
        commandType: command.type,
        correlationId: meta.correlationId ?? meta.commandId,
        causationId: meta.causationId ?? meta.commandId,
        schemaVersion: schemaVersionOf(event.type),
        prevHash,
      };
      const hash = hashEvent({ type: event.type, data: event.data, metadata });
      prevHash = hash;
      return { type: event.type, data: event.data, metadata: { ...metadata, hash } };
    });
    const proposed: ProposedEvent[] = envelopes.map((e) => ({
      eventId: e.metadata.eventId,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
    const appended = await store.appendToStream(streamId, proposed, {
      expectedRevision: streamRevision < 0 ? 'no-stream' : BigInt(streamRevision),
    });
    // Whatever the outcome, the loaded state is still true at its revision; the next call reads on from it.
    if (isLeft(appended)) {
      keep();
      if (appended.left.code === 'WrongExpectedRevision') return 'conflict';
      return left({
        kind: 'StoreError',
        code: appended.left.code,
        message: appended.left.message,
        cause: appended.left,
      });
    }
    for (const e of envelopes) decider.apply(loaded.state, eventOf(e));
    loaded.commandIds.add(meta.commandId);
    loaded.revision = streamRevision + envelopes.length;
    loaded.lastHash = prevHash;
    keep();
    return right({
      streamId,
      events: envelopes,
      streamRevision: Number(appended.right.nextExpectedRevision),
      replayed: false,
    });
  };

  const execute: Engine['execute'] = async (input, meta) => {
    if (typeof meta.commandId !== 'string' || meta.commandId.trim() === '')
      return left(validationError([{ path: 'commandId', message: 'must be a non-empty idempotency key' }]));
    const decoded = decodeCommand({
      type: input?.type,
      actor: meta.actor,
      at: meta.at,
      data: input?.data,
    });
    if (isLeft(decoded)) return decoded;
    const command = decoded.right;
    const aggregate = aggregateOf(command.type)!;
    const streamId =
      aggregate === 'task'
        ? taskStreamId((command.data as { taskId: string }).taskId)
        : unitStreamId((command.data as { unitId: string }).unitId);
    for (let n = 1; ; n++) {
      const result = await attempt(command, meta, streamId, deciders[aggregate]);
      if (result !== 'conflict') return result;
      if (n >= attempts)
        return left({
          kind: 'ConcurrencyError',
          code: 'ConcurrencyConflict',
          streamId,
          attempts: n,
          message: `stream ${streamId} kept changing under the command; gave up after ${n} attempts`,
        });
      // Exponential backoff with jitter, so competing writers spread out.
      await sleep(Math.min(maxDelay, baseDelay * 2 ** (n - 1)) * (0.5 + Math.random() / 2));
    }
  };

  const upcastAll = async function* (source: AsyncIterable<Parameters<typeof fromRecorded>[0]>) {
    for await (const recorded of source) yield upcasters.upcast(fromRecorded(recorded));
  };

  return {
    store,
    context,
    upcasters,
    execute,
    readStream: async (streamId) => (await readStream(streamId)).map((e) => upcasters.upcast(e)),
    readAll: (opts = {}) =>
      upcastAll(
        store.readAll({ fromPosition: opts.fromPosition ?? 'start', streamPrefixes: DOMAIN_STREAM_PREFIXES }),
      ),
    verify: (heads) => verifyAll(store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }), heads),
    subscribe(opts = {}) {
      const subscription = store.subscribeToAll({
        fromPosition: opts.fromPosition ?? 'start',
        streamPrefixes: DOMAIN_STREAM_PREFIXES,
      });
      const iterable = upcastAll(subscription);
      return {
        [Symbol.asyncIterator]: () => iterable[Symbol.asyncIterator](),
        close: () => subscription.close(),
      };
    },
  };
};
