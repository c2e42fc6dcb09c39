import type { Engine } from '../engine';
import { comparePositions, type Position } from '../store/event-store';
import type { Projection } from './projection';
import type { ReadModelStore } from './read-model-store';

export interface ProjectionRunnerOptions<Model> {
  readonly engine: Engine;
  readonly projection: Projection<Model>;
  readonly store: ReadModelStore<Model>;
  /** Save model and checkpoint after this many events (and always when caught up). Default 1000. */
  readonly saveEvery?: number;
}

export interface ProjectionRunner<Model> {
  /** Applies everything after the saved checkpoint and saves; returns the up-to-date model. */
  catchUp(): Promise<Model>;
  /** Catches up, then follows live events until `stop()`. Resolves once caught up. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The model as the runner holds it now. */
  current(): Model;
  checkpoint(): Position | undefined;
  /** Resolves when the model reflects `position` (e.g. the position of an append you just made). */
  waitFor(position: Position): Promise<void>;
}

/** `a` is at or past `b`. */
const after = (a: Position, b: Position) => comparePositions(a, b) >= 0;

/**
 * Runs a projection over the engine's global order: catch-up from the saved checkpoint, then live.
 * The checkpoint is saved with the model in one write; on restart it resumes exactly after it.
 */
export const createProjectionRunner = <Model>(
  options: ProjectionRunnerOptions<Model>,
): ProjectionRunner<Model> => {
  const { engine, projection, store } = options;
  const saveEvery = options.saveEvery ?? 1000;
  let model: Model | undefined;
  let checkpoint: Position | undefined;
  let sinceSave = 0;
  let live: { close(): Promise<void> } | undefined;
  let loop: Promise<void> | undefined;
  const waiters: Array<{ position: Position; resolve: () => void }> = [];

  const load = async () => {
    if (model !== undefined) return;
    const saved = await store.load(projection.name);
    model = saved ? saved.model : projection.init();
    checkpoint = saved?.checkpoint;
  };

  const save = async () => {
    if (checkpoint && sinceSave > 0) await store.save(projection.name, model as Model, checkpoint);
    sinceSave = 0;
  };

  const step = async (envelope: Parameters<Projection<Model>['apply']>[1]) => {
    projection.apply(model as Model, envelope);
    checkpoint = envelope.position;
    sinceSave += 1;
    if (sinceSave >= saveEvery) await save();
    for (let i = waiters.length - 1; i >= 0; i--)
      if (checkpoint && after(checkpoint, waiters[i]!.position)) waiters.splice(i, 1)[0]!.resolve();
  };

  const catchUp = async () => {
    await load();
    for await (const envelope of engine.readAll({ fromPosition: checkpoint ?? 'start' })) {
      // readAll includes its starting position, which the model already reflects.
      if (checkpoint && envelope.position && comparePositions(envelope.position, checkpoint) <= 0) continue;
      await step(envelope);
    }
    await save();
    return model as Model;
  };

  return {
    catchUp,
    async start() {
      await catchUp();
      const subscription = engine.subscribe({ fromPosition: checkpoint ?? 'start' });
      live = subscription;
      loop = (async () => {
        for await (const envelope of subscription) {
          await step(envelope);
          if (sinceSave > 0 && waiters.length === 0) await save();
        }
      })();
    },
    async stop() {
      await live?.close();
      await loop;
      await save();
    },
    current: () => model as Model,
    checkpoint: () => checkpoint,
    waitFor: (position) =>
      checkpoint && after(checkpoint, position)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ position, resolve })),
  };
};
