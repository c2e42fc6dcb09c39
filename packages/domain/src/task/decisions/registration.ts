import type { TaskCommandOf } from '../commands';
import type { TaskState } from '../state';
import { complexityOf } from '../../time-limits';
import { fail, emit, nothing, later, denied, beyondHorizon, type Handlers } from './shared';

/** A repeated registration: every particular the state keeps is the same (an omitted complexity is derived). */
const sameAssignment = (c: TaskCommandOf<'AssignTask'>, s: TaskState) =>
  c.data.title === s.title &&
  c.data.source === s.source &&
  (c.data.key ?? false) === s.key &&
  (c.data.complexity === undefined || c.data.complexity === s.complexity) &&
  c.data.taskForceId === s.taskForceId &&
  c.data.leadUnit === s.leadUnit &&
  c.data.deadline === s.originalDeadline &&
  c.data.sectionId === s.sectionId &&
  c.data.origin.kind === s.origin.kind &&
  c.data.origin.leaderId === s.origin.leaderId &&
  c.data.coUnits.length === s.coUnits.length &&
  c.data.coUnits.every((u) => s.coUnits.includes(u));

/** 立项/交办: registering and handing out a task. */
export const registration: Handlers<'AssignTask'> = {
  AssignTask(c, s, ctx) {
    const { data, actor, at } = c;
    const mayAssign =
      (actor.kind === 'section' && actor.unitId === data.sectionId) ||
      (actor.kind === data.origin.kind && actor.id === data.origin.leaderId);
    if (!mayAssign)
      return denied(
        actor,
        `assign this task: it is handed out by section ${data.sectionId} or by the leader who decided it`,
      );
    if (s.status !== 'none')
      return sameAssignment(c, s)
        ? nothing
        : fail(
            'TaskAlreadyAssigned',
            `task ${data.taskId} was already assigned with other particulars`,
            'data.taskId',
          );
    if (!later(data.deadline, at))
      return fail('DeadlineNotInFuture', `deadline ${data.deadline} is not after ${at}`, 'data.deadline');
    const tooFar = beyondHorizon(data.deadline, at, 'data.deadline');
    if (tooFar) return tooFar;
    if (data.coUnits.includes(data.leadUnit))
      return fail(
        'CoUnitIsLeadUnit',
        `${data.leadUnit} is the lead unit and cannot also be a co-unit`,
        'data.coUnits',
      );
    const dup = data.coUnits.find((u, i) => data.coUnits.indexOf(u) !== i);
    if (dup !== undefined) return fail('DuplicateCoUnit', `co-unit ${dup} is named twice`, 'data.coUnits');
    return emit({
      type: 'TaskAssigned',
      data: {
        taskId: data.taskId,
        at,
        title: data.title,
        source: data.source,
        key: data.key ?? false,
        complexity: data.complexity ?? complexityOf(at, data.deadline, ctx.profile, ctx.calendar),
        leadUnit: data.leadUnit,
        coUnits: data.coUnits,
        deadline: data.deadline,
        approval: data.approval,
        origin: data.origin,
        sectionId: data.sectionId,
        // Deputy leaders' tasks are supervised by the section; the main leader's by the inspection office.
        supervisor:
          data.origin.kind === 'main-leader'
            ? { kind: 'inspection-office' }
            : { kind: 'section', sectionId: data.sectionId },
        ...(data.requirements === undefined ? {} : { requirements: data.requirements }),
        ...(data.taskForceId === undefined ? {} : { taskForceId: data.taskForceId }),
      },
    });
  },
};
