import { left, right, type Either } from 'fp-ts/Either';
import type { Engine } from '../engine';
import type { Envelope } from '../envelope/envelope';
import { comparePositions, type Position } from '../store/event-store';
import type { Projection } from './projection';
import type { ReadModelStore } from './read-model-store';

export interface ProjectionRunnerOptions<Model> {
  readonly engine: Engine;
  readonly projection: Projection<Model>;
  readonly store: ReadModelStore<Model>;
  /** Save model and checkpoint after this many events (and always when caught up). Default 1000. */
  readonly saveEvery?: number;
  /** Told once when the runner stops on a failure (it is also what `failure()` answers from then on). */
  readonly onError?: (failure: ProjectionFailure) => void;
}

/**
 * Why a runner stopped. The saved model and its checkpoint are the last good ones: a restart resumes
 * there (and, for a projection that fails on an event, fails on the same event again until it is fixed).
 */
export interface ProjectionFailure {
  readonly kind: 'ProjectionError';
  readonly code:
    | 'ProjectionFailed' // the projection threw on an event
    | 'ReadFailed' // the history could not be read (catch-up or subscription)
    | 'SaveFailed'; // the read-model store could not load or save
  readonly projection: string;
  /** The event the projection could not apply. */
  readonly event?: {
    readonly streamId: string;
    readonly revision: number;
    readonly type: string;
    readonly position?: Position;
  };
  /** The checkpoint of the saved model, where a restart resumes (undefined: from the start). */
  readonly checkpoint?: Position;
  readonly message: string;
  readonly cause: unknown;
}

export interface ProjectionRunner<Model> {
  /** Applies everything after the saved checkpoint and saves; answers the up-to-date model. */
  catchUp(): Promise<Either<ProjectionFailure, Model>>;
  /** Catches up, then follows live events until `stop()` or a failure. Resolves once caught up. */
  start(): Promise<Either<ProjectionFailure, void>>;
  /** Ends the live feed and saves what was applied. Never rejects. */
  stop(): Promise<void>;
  /** The model as the runner holds it now (after a failure: the last saved one). */
  current(): Model;
  checkpoint(): Position | undefined;
  /** Why the runner stopped, if it failed. */
  failure(): ProjectionFailure | undefined;
  /** Resolves when the model reflects `position` (e.g. of an append you just made), or the runner failed. */
  waitFor(position: Position): Promise<Either<ProjectionFailure, void>>;
}

/** `a` is at or past `b`. */
const after = (a: Position, b: Position) => comparePositions(a, b) >= 0;

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs a projection over the engine's global order: catch-up from the saved checkpoint, then live.
 * The checkpoint is saved with the model in one write; on restart it resumes exactly after it. A failure
 * (the projection throwing, the history or the read-model store unreachable) stops the runner cleanly:
 * nothing is saved past the last good checkpoint, waiters and `onError` are told, `stop()` resolves.
 */
export const createProjectionRunner = <Model>(
  options: ProjectionRunnerOptions<Model>,
): ProjectionRunner<Model> => {
  const { engine, projection, store } = options;
  const saveEvery = options.saveEvery ?? 1000;
  let model: Model | undefined;
  let checkpoint: Position | undefined;
  let savedCheckpoint: Position | undefined;
  let sinceSave = 0;
  let failed: ProjectionFailure | undefined;
  let live: { close(): Promise<void> } | undefined;
  let loop: Promise<void> | undefined;
  const waiters: Array<{ position: Position; resolve: (r: Either<ProjectionFailure, void>) => void }> = [];

  const failure = (
    code: ProjectionFailure['code'],
    message: string,
    cause: unknown,
    envelope?: Envelope,
  ): ProjectionFailure => ({
    kind: 'ProjectionError',
    code,
    projection: projection.name,
    ...(envelope
      ? {
          event: {
            streamId: envelope.metadata.streamId,
            revision: envelope.metadata.revision,
            type: envelope.type,
            ...(envelope.position ? { position: envelope.position } : {}),
          },
        }
      : {}),
    ...(savedCheckpoint ? { checkpoint: savedCheckpoint } : {}),
    message: `projection ${projection.name}: ${message}: ${describeError(cause)}`,
    cause,
  });

  /** Stops on a failure: back to the last saved model (the one in memory may be half-applied), tell everyone. */
  const fail = async (f: ProjectionFailure): Promise<ProjectionFailure> => {
    if (failed) return failed;
    failed = f;
    try {
      const saved = await store.load(projection.name);
      model = saved ? revive(saved.model) : projection.init();
      checkpoint = saved?.checkpoint;
    } catch {
      model = projection.init();
      checkpoint = undefined;
    }
    sinceSave = 0;
    for (const w of waiters.splice(0)) w.resolve(left(f));
    options.onError?.(f);
    return f;
  };

  const revive = (raw: Model): Model => (projection.revive ? projection.revive(raw) : raw);

  const load = async (): Promise<ProjectionFailure | undefined> => {
    if (model !== undefined) return undefined;
    try {
      const saved = await store.load(projection.name);
      model = saved ? revive(saved.model) : projection.init();
      checkpoint = savedCheckpoint = saved?.checkpoint;
      return undefined;
    } catch (error) {
      return fail(failure('SaveFailed', 'loading the saved model failed', error));
    }
  };

  const save = async (): Promise<ProjectionFailure | undefined> => {
    if (!checkpoint || sinceSave === 0) return undefined;
    try {
      await store.save(projection.name, model as Model, checkpoint);
    } catch (error) {
      return fail(failure('SaveFailed', 'saving the model failed', error));
    }
    savedCheckpoint = checkpoint;
    sinceSave = 0;
    return undefined;
  };

  const step = async (envelope: Envelope): Promise<ProjectionFailure | undefined> => {
    try {
      projection.apply(model as Model, envelope);
    } catch (error) {
      return fail(
        failure(
          'ProjectionFailed',
          `applying ${envelope.type} at ${envelope.metadata.streamId} revision ${envelope.metadata.revision} failed`,
          error,
          envelope,
        ),
      );
    }
    checkpoint = envelope.position;
    sinceSave += 1;
    if (sinceSave >= saveEvery) {
      const saveFailure = await save();
      if (saveFailure) return saveFailure;
    }
    for (let i = waiters.length - 1; i >= 0; i--)
      if (checkpoint && after(checkpoint, waiters[i]!.position))
        waiters.splice(i, 1)[0]!.resolve(right(undefined));
    return undefined;
  };

  const catchUp = async (): Promise<Either<ProjectionFailure, Model>> => {
    if (failed) return left(failed);
    const loadFailure = await load();
    if (loadFailure) return left(loadFailure);
    try {
      for await (const envelope of engine.readAll({ fromPosition: checkpoint ?? 'start' })) {
        // readAll includes its starting position, which the model already reflects.
        if (checkpoint && envelope.position && comparePositions(envelope.position, checkpoint) <= 0) continue;
        const stepFailure = await step(envelope);
        if (stepFailure) return left(stepFailure);
      }
    } catch (error) {
      return left(await fail(failure('ReadFailed', 'reading the history failed', error)));
    }
    const saveFailure = await save();
    return saveFailure ? left(saveFailure) : right(model as Model);
  };

  return {
    catchUp,
    async start() {
      const caught = await catchUp();
      if (caught._tag === 'Left') return caught;
      const subscription = engine.subscribe({ fromPosition: checkpoint ?? 'start' });
      live = subscription;
      loop = (async () => {
        try {
          for await (const envelope of subscription) {
            if ((await step(envelope)) ?? (sinceSave > 0 && waiters.length === 0 ? await save() : undefined))
              break;
          }
        } catch (error) {
          await fail(failure('ReadFailed', 'the live subscription failed', error));
        }
        if (failed) await subscription.close().catch(() => undefined);
      })();
      return right(undefined);
    },
    async stop() {
      await live?.close().catch(() => undefined);
      await loop;
      if (!failed) await save();
    },
    current: () => model as Model,
    checkpoint: () => checkpoint,
    failure: () => failed,
    waitFor: (position) =>
      failed
        ? Promise.resolve(left(failed))
        : checkpoint && after(checkpoint, position)
          ? Promise.resolve(right(undefined))
          : new Promise((resolve) => waiters.push({ position, resolve })),
  };
};
