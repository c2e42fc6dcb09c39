import { left } from 'fp-ts/Either';
import { actorNotOnRecord } from '../office/actors';
import type { DomainContext } from '../policy';
import type { TaskCommand, TaskCommandType } from './commands';
import { carryingOut } from './decisions/carrying-out';
import { closure } from './decisions/closure';
import { deadlines } from './decisions/deadlines';
import { extension } from './decisions/extension';
import { ratingFacts } from './decisions/rating-facts';
import { rectification } from './decisions/rectification';
import { registration } from './decisions/registration';
import { denied, fail, who, type Decision, type Handler, type Handlers } from './decisions/shared';
import { supervision } from './decisions/supervision';
import type { TaskState } from './state';

export type { Decision } from './decisions/shared';

/** One handler per command, grouped by the stage of the seed's workflow (工作流程) it belongs to. */
const handlers: Handlers<TaskCommandType> = {
  ...registration,
  ...carryingOut,
  ...supervision,
  ...extension,
  ...closure,
  ...deadlines,
  ...rectification,
  ...ratingFacts,
};

/** What a closed task still accepts (docs/domain.md): facts that can change its rating, and look-backs. */
export const ACCEPTED_WHEN_CLOSED: ReadonlySet<TaskCommandType> = new Set<TaskCommandType>([
  'RecordRecognition',
  'RecordCriticism',
  'RecordFalsification',
  'ReviewLookBack',
  'CheckDeadlines', // nothing is due on a closed task: decides no events
  'ApproveClosure', // repeated approval with the same grade: decides no events
  'AssignTask', // repeated registration: decides no events (or TaskAlreadyAssigned)
]);

/** decide(command, state): the events the command produces, or the rule it breaks. Never throws. */
export const decideTask = (command: TaskCommand, state: TaskState, ctx: DomainContext): Decision => {
  const { actor } = command;
  if (actor.kind === 'auditor')
    return fail('AuditorsCannotAct', `${who(actor)} may not issue ${command.type}`, 'actor');
  if (actor.kind === 'system' && command.type !== 'CheckDeadlines')
    return denied(actor, `issue ${command.type}: the system only runs the deadline check`);
  const unknown = actorNotOnRecord(actor, ctx.organisation);
  if (unknown) return left(unknown);
  if (command.type !== 'AssignTask') {
    if (state.status === 'none')
      return fail('TaskNotFound', `task ${command.data.taskId} has not been assigned`, 'data.taskId');
    if (state.status === 'closed' && !ACCEPTED_WHEN_CLOSED.has(command.type))
      return fail(
        'TaskClosed',
        `task ${state.taskId} was closed on ${state.closed?.at}; ${command.type} is not accepted`,
      );
  }
  return (handlers[command.type] as Handler<TaskCommandType>)(command as never, state, ctx);
};
