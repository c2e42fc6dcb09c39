import type { KeyObject } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import { dueSignals, type Actor } from '@duban/domain';
import type { Engine } from './engine';
import type { Envelope } from './envelope/envelope';
import type { EngineError } from './errors';
import { signedMeta } from './evidence/command-signature';
import type { SupervisionModel } from './projections/supervision-model';

/**
 * The deadline sweeper: given a clock, it issues CheckDeadlines for every open task with a time limit
 * that has passed or falls due within the approaching window and has not been signalled yet. Its command
 * ids derive from the task, the time limit and its due time, so a restart (or two sweepers) issues each
 * at most once; the decider itself also never signals a due time twice.
 */
export interface SweepResult {
  /** Tasks a CheckDeadlines was issued for. */
  readonly checked: number;
  /** The events those commands committed (fold them into your model to stay current). */
  readonly committed: readonly Envelope[];
  readonly errors: ReadonlyArray<{ readonly taskId: string; readonly error: EngineError }>;
}

export interface DeadlineSweeper {
  sweep(model: SupervisionModel, now: string): Promise<SweepResult>;
}

export const SWEEPER_ACTOR: Actor = { id: 'duban-deadline-sweeper', kind: 'system' };

export interface DeadlineSweeperOptions {
  /**
   * The actor's own Ed25519 private key, when the sweep runs as a person with a signing key on the
   * office's record: their commands must be signed (docs/auditing.md, "Signed commands"). The system
   * account has no key and needs none.
   */
  readonly signingKey?: KeyObject;
}

export const createDeadlineSweeper = (
  engine: Engine,
  actor: Actor = SWEEPER_ACTOR,
  options: DeadlineSweeperOptions = {},
): DeadlineSweeper => ({
  async sweep(model, now) {
    const ctx = engine.context;
    let checked = 0;
    const committed: Envelope[] = [];
    const errors: Array<{ taskId: string; error: EngineError }> = [];
    for (const t of Object.values(model.tasks)) {
      // The decider's own rule says whether a check would signal anything now.
      const [signal] = dueSignals(t, now, ctx);
      if (!signal) continue;
      const due = signal.due;
      checked += 1;
      const command = { type: 'CheckDeadlines' as const, data: { taskId: t.taskId } };
      const meta = {
        actor,
        at: now,
        commandId: `check-deadlines:${t.taskId}:${due.id}:${due.due}:${signal.type === 'DeadlineApproaching' ? 'approaching' : 'passed'}`,
      };
      const result = await engine.execute(command, signedMeta(command, meta, options.signingKey));
      if (isLeft(result)) errors.push({ taskId: t.taskId, error: result.left });
      else committed.push(...result.right.events);
    }
    return { checked, committed, errors };
  },
});
