import { isLeft } from 'fp-ts/Either';
import { contextAt, type Actor, type DomainContext } from '@duban/domain';
import {
  comparePositions,
  supervisionProjection,
  type Engine,
  type Position,
  type SupervisionModel,
} from '@duban/engine';

/**
 * How the simulated office acts: every command through the engine, as any client would send it, and
 * the state read back from the event log (never from what the simulation meant to do). A refusal is
 * kept, not thrown: the demo reports it, since it means the simulation and the domain disagree.
 */
export interface Refusal {
  readonly commandId: string;
  readonly type: string;
  readonly code: string;
  readonly message: string;
}

/** Something to do in a phase; it is given its instant when the phase runs. */
export interface Action {
  readonly run: (instant: string) => Promise<void>;
}

export const act = (run: (instant: string) => Promise<void>): Action => ({ run });

export interface Runner {
  readonly engine: Engine;
  /** The history as read back so far: tasks, units and the office's record. */
  readonly model: SupervisionModel;
  readonly refusals: Refusal[];
  commands(): number;
  /** The rules in force at an instant, as the office's record has them (as the engine decides). */
  ctxAt(instant: string): DomainContext;
  exec(type: string, data: Record<string, unknown>, actor: Actor, instant: string): Promise<void>;
  catchUp(): Promise<void>;
  /** Actions decided on the state at the phase's start, run at increasing times from `start`, then read back. */
  runPhase(at: (seconds: number) => string, startSeconds: number, actions: readonly Action[]): Promise<void>;
}

export const createRunner = (engine: Engine, defaults: DomainContext): Runner => {
  const model = supervisionProjection.init();
  let checkpoint: Position | undefined;
  const refusals: Refusal[] = [];
  let commands = 0;
  let sequence = 0;
  const catchUp = async () => {
    for await (const e of engine.readAll({ fromPosition: checkpoint ?? 'start' })) {
      if (checkpoint && e.position && comparePositions(e.position, checkpoint) <= 0) continue;
      supervisionProjection.apply(model, e);
      if (e.position) checkpoint = e.position;
    }
  };
  return {
    engine,
    model,
    refusals,
    commands: () => commands,
    ctxAt: (instant) => contextAt(model.office, instant, defaults),
    async exec(type, data, actor, instant) {
      commands += 1;
      const subject = (data.taskId ?? data.unitId ?? data.officeId) as string;
      const commandId = `demo:${subject}:${type}:${++sequence}`;
      const result = await engine.execute({ type, data }, { actor, at: instant, commandId });
      if (isLeft(result))
        refusals.push({ commandId, type, code: result.left.code, message: result.left.message });
    },
    catchUp,
    async runPhase(at, startSeconds, actions) {
      const step = Math.max(1, Math.min(90, Math.floor(3000 / Math.max(1, actions.length))));
      for (let i = 0; i < actions.length; i++) await actions[i]!.run(at(startSeconds + i * step));
      await catchUp();
    },
  };
};
