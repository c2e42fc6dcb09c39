import { isLeft, left, right, type Either } from 'fp-ts/Either';
import {
  aggregateOf,
  applyOffice,
  applyTask,
  applyUnit,
  contextAt,
  decideOffice,
  decideTask,
  decideUnit,
  defaultContext,
  Instant,
  initialOfficeState,
  initialTaskState,
  initialUnitState,
  OFFICE_STREAM_ID,
  streamIdOf,
  taskStreamId,
  toProblems,
  unitStreamId,
  validationError,
  type Actor,
  type Aggregate,
  type Command,
  type DomainContext,
  type DomainError,
  type Event,
  type OfficeCommand,
  type OfficeFacts,
  type OfficeState,
  type TaskCommand,
  type UnitCommand,
  type UnitFacts,
  type TaskState,
  type UnitState,
} from '@duban/domain';
import type { CommandMeta } from './command-meta';
import { receive, type CommandInput, type Received } from './receive';
import { eventOf, fromRecorded, GENESIS_HASH, type Envelope } from './envelope/envelope';
import { commandDigest, sealEvents } from './envelope/seal';
import {
  canonicalJson,
  createChainVerifier,
  verifyAll,
  type ChainBreak,
  type StreamHeads,
  type VerifyReport,
} from './envelope/hash-chain';
import { createUpcasterRegistry, type UpcasterRegistry } from './envelope/upcasters';
import type { EngineError, StoreError } from './errors';
import type { EventStore, Position, ProposedEvent, RecordedEvent } from './store/event-store';
import { annualEvaluationOf, rankingToPublish } from './projections/publication';
import { rebuild } from './projections/projection';
import { upcastRead } from './upcast-read';
import { supervisionProjection, type SupervisionModel } from './projections/supervision-model';
import { createStreamCache, type ExecutedCommand, type LoadedStream } from './stream-cache';
import { checkCaller, type Authenticate, type ExecuteOptions } from './authenticate';
import { checkCommandSignature } from './evidence/command-signature';
import { sealedPrefix } from './evidence/sealed-prefix';

export { CommandMeta, CommandKey } from './command-meta';
export * from './authenticate';

export type { CommandInput } from './receive';

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
   * Streams whose folded state the engine keeps between commands, so a command reads only what was
   * appended since. Default 10 000 (set it above the streams active at once); 0 reads and folds the whole
   * stream every time. When full, a new stream takes the place of the least recently used one only once
   * that has gone unused for ten times this many commands (docs/embedding.md, "The stream cache").
   */
  readonly cacheSize?: number;
  /** For tests: how to wait between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Who is calling, from the credentials `execute` is given (docs/embedding.md, "Who is calling"): a
   * command whose actor is not the caller is refused (`ActorIsNotCaller`). Without it, the engine takes
   * the command's actor as the caller: set it whenever the host serves more than one person.
   */
  readonly authenticate?: Authenticate;
}

export interface Engine {
  /**
   * Decodes, decides and commits one command. Never throws: every failure is a typed `EngineError`,
   * and nothing is written then. The same `commandId` on the same stream commits once; reused for
   * another command it is refused (`IdempotencyKeyReused`).
   */
  execute(
    command: CommandInput,
    meta: CommandMeta,
    options?: ExecuteOptions,
  ): Promise<Either<EngineError, Committed>>;
  /** Every event of one stream, upcast to the current schema. */
  readStream(streamId: string): Promise<Envelope[]>;
  /**
   * One task as its decider sees it, folded from its own stream only (no projection rebuilt): now, or as
   * it stood at `asOf` (business time). A task never assigned reads with status `none`.
   */
  taskState(taskId: string, options?: { readonly asOf?: string }): Promise<Either<EngineError, TaskState>>;
  /** One unit's record (inspections, interviews, referrals…), now or as of a business time. */
  unitState(unitId: string, options?: { readonly asOf?: string }): Promise<Either<EngineError, UnitState>>;
  /** The office's record: its organisation, calendars, rules and published 通报 (empty without one). */
  officeState(): Promise<Either<EngineError, OfficeState>>;
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
export const DOMAIN_STREAM_PREFIXES = ['task-', 'unit-', OFFICE_STREAM_ID] as const;

/** How the engine folds and decides one aggregate: the domain's own functions, the context per command. */
interface AggregateModel {
  readonly initialState: () => unknown;
  readonly apply: (state: unknown, event: Event) => unknown;
  readonly decide: (
    command: Command,
    state: unknown,
    ctx: DomainContext,
    facts: OfficeFacts & UnitFacts,
  ) => Either<DomainError, Event[]>;
}

const AGGREGATES: Readonly<Record<Aggregate, AggregateModel>> = {
  task: {
    initialState: initialTaskState,
    apply: applyTask as AggregateModel['apply'],
    decide: (c, s, ctx) => decideTask(c as TaskCommand, s as TaskState, ctx),
  },
  unit: {
    initialState: initialUnitState,
    apply: applyUnit as AggregateModel['apply'],
    decide: (c, s, ctx, facts) => decideUnit(c as UnitCommand, s as UnitState, ctx, facts),
  },
  office: {
    initialState: initialOfficeState,
    apply: applyOffice as AggregateModel['apply'],
    decide: (c, s, ctx, facts) => decideOffice(c as OfficeCommand, s as OfficeState, ctx, facts),
  },
};

/** Commands whose decision reads other streams (`factsFor`); every other one is decided on its own stream. */
const NEEDS_FACTS = ['RecordInspection', 'PublishQuarterlyRanking', 'PublishAnnualEvaluation'] as const;
type NeedsFacts = Extract<Command, { readonly type: (typeof NEEDS_FACTS)[number] }>;
const needsFacts = (command: Command): command is NeedsFacts =>
  (NEEDS_FACTS as readonly string[]).includes(command.type);
const NO_FACTS: Either<never, OfficeFacts & UnitFacts> = right(Object.freeze({}));

/** The stream a command is decided on: `task-<id>`, `unit-<id>`, or the office's record. */
const streamOf = (command: Command): string => streamIdOf(command.type, command.data)!;

// Committed results carry no position (an append reports only its last), also when replayed.
const withoutPosition = ({ position: _p, ...envelope }: Envelope): Envelope => envelope;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `work`; anything it throws (a defect: the store's failures are values already) is an InternalError. */
const guarded = async <A>(work: () => Promise<Either<EngineError, A>>): Promise<Either<EngineError, A>> => {
  try {
    return await work();
  } catch (error) {
    return left({
      kind: 'InternalError',
      code: 'Unexpected',
      message: `the engine failed unexpectedly: ${describeError(error)}`,
      cause: error,
    });
  }
};

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const storeError = (what: string, error: unknown): StoreError => ({
  kind: 'StoreError',
  code: 'StoreUnavailable',
  message: `${what}: ${describeError(error)}`,
  cause: error,
});

/** What differs between the command first executed under an id and the one received now. */
const differences = (earlier: ExecutedCommand, command: Command, digest: string): IdempotencyDiff[] => {
  if (earlier.digest === digest) return [];
  const differs: IdempotencyDiff[] = [];
  if (earlier.type !== undefined && earlier.type !== command.type) differs.push('type');
  if (canonicalJson(earlier.actor) !== canonicalJson(command.actor)) differs.push('actor');
  if (earlier.at !== command.at) differs.push('at');
  // The data is told apart by digesting it with the first command's type, actor and time. Events written
  // before commands were digested can be compared on type, actor and time only.
  if (
    earlier.digest !== undefined &&
    commandDigest({
      type: earlier.type ?? command.type,
      data: command.data,
      actor: earlier.actor as Actor,
      at: earlier.at,
    }) !== earlier.digest
  )
    differs.push('data');
  return differs;
};

type IdempotencyDiff = 'type' | 'actor' | 'at' | 'data';

export const createEngine = (options: EngineOptions): Engine => {
  const { store } = options;
  const context = options.context ?? defaultContext();
  const upcasters = options.upcasters ?? createUpcasterRegistry();
  const attempts = Math.max(1, options.retry?.attempts ?? 5);
  const baseDelay = options.retry?.baseDelayMs ?? 5;
  const maxDelay = options.retry?.maxDelayMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;

  const readStream = async (streamId: string): Promise<Envelope[]> => {
    const out: Envelope[] = [];
    for await (const recorded of store.readStream(streamId)) out.push(fromRecorded(recorded));
    return out;
  };

  // Verification reads every stream whole before deciding: a verifying engine has no use for a cache.
  const cache = createStreamCache<unknown>(options.verifyOnLoad ? 0 : (options.cacheSize ?? 10_000));

  const integrityError = (streamId: string, b: ChainBreak): EngineError => ({
    kind: 'IntegrityError',
    code: 'HistoryAltered',
    break: b,
    message: `stream ${streamId} is altered at revision ${b.revision}: ${b.detail}`,
  });

  /** Folds what the stream holds past `loaded` (all of it for a fresh load), in place: the state is private. */
  const catchUp = async (
    streamId: string,
    decider: AggregateModel,
    loaded: LoadedStream<unknown>,
  ): Promise<Either<EngineError, LoadedStream<unknown>>> => {
    const verifier = options.verifyOnLoad ? createChainVerifier() : undefined;
    const from = loaded.revision < 0 ? undefined : { fromRevision: BigInt(loaded.revision + 1) };
    // Only the store's own failures are StoreErrors; a defect in folding (an upcaster) is not the store's.
    const events = store.readStream(streamId, from)[Symbol.asyncIterator]();
    let readToEnd = false;
    try {
      for (;;) {
        let next: IteratorResult<RecordedEvent>;
        try {
          next = await events.next();
        } catch (error) {
          // A half-read stream leaves `loaded` part way: the caller drops it rather than caching it.
          return left(storeError(`reading ${streamId} failed`, error));
        }
        if (next.done) {
          readToEnd = true;
          break;
        }
        const envelope = fromRecorded(next.value);
        const broken = verifier?.push(envelope);
        if (broken) return left(integrityError(streamId, broken));
        const m = envelope.metadata;
        if (!loaded.commands.has(m.commandId))
          loaded.commands.set(m.commandId, {
            ...(m.commandType === undefined ? {} : { type: m.commandType }),
            actor: m.actor,
            at: m.at,
            ...(m.commandDigest === undefined ? {} : { digest: m.commandDigest }),
          });
        decider.apply(loaded.state, eventOf(upcasters.upcast(envelope)));
        loaded.revision = m.revision;
        loaded.lastHash = m.hash;
      }
    } finally {
      // Stop a read left early (an integrity break, a defect) so the store can release it; its own
      // failure to stop changes nothing here. A read to its end has released it already.
      if (!readToEnd) await events.return?.().catch(() => undefined);
    }
    return right(loaded);
  };

  const fresh = (decider: AggregateModel): LoadedStream<unknown> => ({
    state: decider.initialState(),
    revision: -1,
    lastHash: GENESIS_HASH,
    commands: new Map(),
  });

  // The office's record, as the context of every decision: kept folded, caught up before each use. One
  // catch-up at a time (it folds in place), and a decision reads it synchronously right after.
  let office: LoadedStream<unknown> | undefined;
  let officeTurn: Promise<unknown> = Promise.resolve();
  /** Catch-ups started and not yet over: with none, the next starts at once, not after a promise turn. */
  let officePending = 0;
  const officeState = (): Promise<Either<EngineError, OfficeState>> => {
    const run = async (): Promise<Either<EngineError, OfficeState>> => {
      try {
        const base = options.verifyOnLoad || !office ? fresh(AGGREGATES.office) : office;
        const caught = await catchUp(OFFICE_STREAM_ID, AGGREGATES.office, base);
        office = isLeft(caught) ? undefined : caught.right;
        return isLeft(caught) ? caught : right(caught.right.state as OfficeState);
      } finally {
        officePending -= 1;
      }
    };
    officePending += 1;
    // After the one before, however it ended.
    const turn = officePending === 1 ? run() : officeTurn.then(run, run);
    officeTurn = turn;
    return turn;
  };

  /** What a publication needs from the whole history: the quarter's ranking, the year's evaluation. */
  /**
   * What a decision needs from other streams: the tasks an inspection names (are they on record?), and for a
   * publication the quarter's ranking or the year's evaluation, computed from the whole history.
   */
  const factsFor = async (
    command: NeedsFacts,
    officeRecord: OfficeState,
  ): Promise<Either<EngineError, OfficeFacts & UnitFacts>> => {
    if (command.type === 'RecordInspection') {
      const tasksOnRecord = new Set<string>();
      try {
        for (const taskId of new Set(command.data.taskIds))
          for await (const _ of store.readStream(taskStreamId(taskId), { maxCount: 1 }))
            tasksOnRecord.add(taskId);
      } catch (error) {
        return left(storeError('reading the tasks an inspection names failed', error));
      }
      return right({ tasksOnRecord });
    }
    // Named a seal on record: computed from exactly the events it covers, and their root told the decider.
    const sealRevision = command.data.sealRevision;
    const sealed = officeRecord.seals.find((r) => r.revision === sealRevision);
    const history = store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES });
    const prefix = sealed ? sealedPrefix(history, sealed.seal.size) : undefined;
    let model: SupervisionModel;
    try {
      model = await rebuild(supervisionProjection, upcastRead(prefix?.events ?? history, upcasters));
    } catch (error) {
      return left(storeError('reading the history for the publication failed', error));
    }
    const seal =
      prefix && sealRevision !== undefined ? { seal: { revision: sealRevision, ...prefix.covered() } } : {};
    return right(
      command.type === 'PublishQuarterlyRanking'
        ? { ranking: rankingToPublish(model, command.data.quarter, context), ...seal }
        : { annual: annualEvaluationOf(model, command.data.year, context), ...seal },
    );
  };

  const attempt = async (
    { command, meta, digest }: Received,
    streamId: string,
    decider: AggregateModel,
  ): Promise<Either<EngineError, Committed> | 'conflict'> => {
    // Verification needs the whole chain, so it never starts from a cached state.
    const cached = options.verifyOnLoad ? undefined : cache.take(streamId);
    const caught = await catchUp(streamId, decider, cached ?? fresh(decider));
    if (isLeft(caught)) return caught;
    const loaded = caught.right;
    const streamRevision = loaded.revision;
    // The state goes back to the cache on every way out.

    const earlier = loaded.commands.get(meta.commandId);
    if (earlier) {
      cache.put(streamId, loaded);
      const differs = differences(earlier, command, digest);
      if (differs.length > 0)
        return left({
          kind: 'IdempotencyError',
          code: 'IdempotencyKeyReused',
          streamId,
          commandId: meta.commandId,
          differs,
          message: `command id ${meta.commandId} was already used on ${streamId} for another command (its ${differs.join(', ')} differ); nothing was written`,
        });
      // Executed before: answer with what it committed then (a rare path: read the stream for it).
      try {
        const events = (await readStream(streamId))
          .filter((e) => e.metadata.commandId === meta.commandId)
          .map(withoutPosition);
        return right({ streamId, events, streamRevision, replayed: true });
      } catch (error) {
        return left(storeError(`reading ${streamId} failed`, error));
      }
    }

    // The rules in force at the command's business time, from the office's record (defaults without one).
    const office = streamId === OFFICE_STREAM_ID ? right(loaded.state as OfficeState) : await officeState();
    if (isLeft(office)) {
      cache.put(streamId, loaded);
      return office;
    }
    // A person with a signing key on record signs their commands (docs/auditing.md, "Signed commands").
    const signed = checkCommandSignature(
      {
        type: command.type,
        actor: command.actor,
        at: command.at,
        commandId: meta.commandId,
        commandDigest: digest,
      },
      meta.signature,
      office.right,
    );
    if (isLeft(signed)) {
      cache.put(streamId, loaded);
      return signed;
    }
    const ctx = contextAt(office.right, command.at, context);
    // Most commands need nothing from other streams: no promise turn for them.
    const facts = needsFacts(command) ? await factsFor(command, office.right) : NO_FACTS;
    if (isLeft(facts)) {
      cache.put(streamId, loaded);
      return facts;
    }
    const decision = decider.decide(command, loaded.state, ctx, facts.right);
    if (isLeft(decision) || decision.right.length === 0) {
      cache.put(streamId, loaded);
      return isLeft(decision) ? decision : right({ streamId, events: [], streamRevision, replayed: false });
    }

    const envelopes = sealEvents(
      {
        streamId,
        revision: streamRevision,
        prevHash: loaded.lastHash,
        actor: meta.actor,
        at: meta.at,
        commandId: meta.commandId,
        commandType: command.type,
        commandDigest: digest,
        correlationId: meta.correlationId ?? meta.commandId,
        causationId: meta.causationId ?? meta.commandId,
        ...(signed.right ? { signature: signed.right } : {}),
      },
      decision.right,
    );
    const proposed: ProposedEvent[] = envelopes.map((e) => ({
      eventId: e.metadata.eventId,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    }));
    let appended: Awaited<ReturnType<EventStore['appendToStream']>>;
    try {
      appended = await store.appendToStream(streamId, proposed, {
        expectedRevision: streamRevision < 0 ? 'no-stream' : BigInt(streamRevision),
      });
    } catch (error) {
      // Written or not, the loaded state is still true at its revision; the next command reads on from it.
      cache.put(streamId, loaded);
      return left(storeError(`appending to ${streamId} failed`, error));
    }
    if (isLeft(appended)) {
      cache.put(streamId, loaded);
      if (appended.left.code === 'WrongExpectedRevision') return 'conflict';
      return left({
        kind: 'StoreError',
        code: appended.left.code,
        message: appended.left.message,
        cause: appended.left,
      });
    }
    // Event ids name their content, so a store that took this append (or found it already written) holds
    // exactly these events: the state may move on to them.
    for (const e of envelopes) decider.apply(loaded.state, eventOf(e));
    loaded.commands.set(meta.commandId, { type: command.type, actor: meta.actor, at: meta.at, digest });
    loaded.revision = streamRevision + envelopes.length;
    loaded.lastHash = envelopes[envelopes.length - 1]!.metadata.hash;
    cache.put(streamId, loaded);
    return right({
      streamId,
      events: envelopes,
      streamRevision: Number(appended.right.nextExpectedRevision),
      replayed: false,
    });
  };

  const execute: Engine['execute'] = (input, meta, executeOptions) =>
    guarded(async () => {
      const received = receive(input, meta);
      if (isLeft(received)) return received;
      const caller = checkCaller(
        options.authenticate,
        executeOptions?.credentials,
        received.right.command.actor,
      );
      if (isLeft(caller)) return caller;
      const { command } = received.right;
      const aggregate = aggregateOf(command.type)!;
      const streamId = streamOf(command);
      for (let n = 1; ; n++) {
        const result = await attempt(received.right, streamId, AGGREGATES[aggregate]);
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
    });

  /** A stream's state now (from the cache, copied: the cached one folds in place) or as of an instant. */
  const stateOf = async <S>(
    streamId: string,
    decider: AggregateModel,
    asOf: string | undefined,
  ): Promise<Either<EngineError, S>> => {
    if (asOf !== undefined) {
      const at = Instant.decode(asOf);
      if (isLeft(at))
        return left(validationError([{ path: 'asOf', message: toProblems(at.left)[0]!.message }]));
      const limit = Date.parse(at.right);
      const state = decider.initialState();
      try {
        for await (const recorded of store.readStream(streamId)) {
          const envelope = fromRecorded(recorded);
          if (Date.parse(envelope.metadata.at) > limit) break;
          decider.apply(state, eventOf(upcasters.upcast(envelope)));
        }
      } catch (error) {
        return left(storeError(`reading ${streamId} failed`, error));
      }
      return right(state as S);
    }
    const cached = options.verifyOnLoad ? undefined : cache.take(streamId);
    const caught = await catchUp(streamId, decider, cached ?? fresh(decider));
    if (isLeft(caught)) return caught;
    cache.put(streamId, caught.right);
    return right(structuredClone(caught.right.state) as S);
  };

  // Live events come one at a time, from more than one pull at once maybe: a generator queues them.
  const upcastAll = async function* (source: AsyncIterable<Parameters<typeof fromRecorded>[0]>) {
    for await (const recorded of source) yield upcasters.upcast(fromRecorded(recorded));
  };

  return {
    store,
    context,
    upcasters,
    execute,
    readStream: async (streamId) => (await readStream(streamId)).map((e) => upcasters.upcast(e)),
    taskState: (taskId, opts = {}) =>
      guarded(() => stateOf<TaskState>(taskStreamId(taskId), AGGREGATES.task, opts.asOf)),
    unitState: (unitId, opts = {}) =>
      guarded(() => stateOf<UnitState>(unitStreamId(unitId), AGGREGATES.unit, opts.asOf)),
    officeState: () =>
      guarded(async () => {
        const office = await officeState();
        return isLeft(office) ? office : right(structuredClone(office.right));
      }),
    readAll: (opts = {}) =>
      upcastRead(
        store.readAll({ fromPosition: opts.fromPosition ?? 'start', streamPrefixes: DOMAIN_STREAM_PREFIXES }),
        upcasters,
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
