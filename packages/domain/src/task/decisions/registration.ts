import type { TaskCommandOf } from '../commands';
import type { TaskState } from '../state';
import { complexityOf } from '../../time-limits';
import type { OrganisationView } from '../../office/organisation-view';
import { timeLimitsAt } from '../due-times';
import type { Decision } from './shared';
import { sameInstant } from '../../instant';
import { fail, emit, nothing, later, denied, beyondHorizon, type Handlers } from './shared';

/** A repeated registration: every particular the state keeps is the same (an omitted complexity is derived). */
const sameAssignment = (c: TaskCommandOf<'AssignTask'>, s: TaskState) =>
  c.data.title === s.title &&
  c.data.source === s.source &&
  (c.data.key ?? false) === s.key &&
  (c.data.complexity === undefined || c.data.complexity === s.complexity) &&
  c.data.taskForceId === s.taskForceId &&
  c.data.project === s.project &&
  c.data.leadUnit === s.leadUnit &&
  sameInstant(c.data.deadline, s.originalDeadline) &&
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
    const duties = data.coUnitDuties ?? [];
    const undutied = data.coUnits.find((u) => !duties.some((d) => d.unitId === u));
    if (undutied !== undefined)
      return fail('CoUnitDutyMissing', `co-unit ${undutied} has no duty stated`, 'data.coUnitDuties');
    const stray = duties.find(
      (d, i) => !data.coUnits.includes(d.unitId) || duties.findIndex((x) => x.unitId === d.unitId) !== i,
    );
    if (stray !== undefined)
      return fail(
        'CoUnitDutyMissing',
        `${stray.unitId} is ${data.coUnits.includes(stray.unitId) ? 'given two duties' : 'not a co-unit of the task'}`,
        'data.coUnitDuties',
      );
    const org = ctx.organisation;
    let deputyInCharge = data.origin.kind === 'deputy-leader' ? data.origin.leaderId : data.deputyInCharge;
    if (org) {
      const refused = onRecord(c, org);
      if (refused) return refused;
      deputyInCharge ??= org.deputyInChargeOf({ sectionId: data.sectionId, unitId: data.leadUnit });
    }
    if (
      data.deputyInCharge !== undefined &&
      data.origin.kind === 'deputy-leader' &&
      data.deputyInCharge !== data.origin.leaderId
    )
      return fail(
        'WrongApprover',
        `the deputy leader who decided the task (${data.origin.leaderId}) is the one in charge of it, not ${data.deputyInCharge}`,
        'data.deputyInCharge',
      );
    const complexity = data.complexity ?? complexityOf(at, data.deadline, ctx.profile, ctx.calendar);
    return emit({
      type: 'TaskAssigned',
      data: {
        taskId: data.taskId,
        at,
        title: data.title,
        source: data.source,
        key: data.key ?? false,
        complexity,
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
        ...(deputyInCharge === undefined ? {} : { deputyInCharge }),
        timeLimits: timeLimitsAt(at, data.deadline, complexity, ctx),
        ...(ctx.profile.reporting &&
        (ctx.profile.reporting.appliesTo === 'all' || ctx.profile.reporting.appliesTo === complexity)
          ? { reportingCadence: { every: { ...ctx.profile.reporting.every } } }
          : {}),
        ...(duties.length === 0
          ? {}
          : { coUnitDuties: duties.map((d) => ({ unitId: d.unitId, duty: d.duty })) }),
        ...(data.project === undefined ? {} : { project: data.project }),
      },
    });
  },
};

/** With an office record: the approval is the main leader's, the leader who decided is one, everyone named exists. */
const onRecord = ({ data }: TaskCommandOf<'AssignTask'>, org: OrganisationView): Decision | undefined => {
  const on = ` on record on ${org.date}`;
  if (data.approval.by !== org.mainLeader)
    return fail(
      'WrongApprover',
      `registration is approved by the main leader (经市政府主要领导批准): ${data.approval.by} is not the main leader${on} (${org.mainLeader ?? 'none'})`,
      'data.approval.by',
    );
  if (!org.isLeader(data.origin.leaderId, data.origin.kind))
    return fail(
      'NotOnRecord',
      `${data.origin.leaderId} is not a ${data.origin.kind}${on}`,
      'data.origin.leaderId',
    );
  if (data.deputyInCharge !== undefined && !org.isLeader(data.deputyInCharge, 'deputy-leader'))
    return fail('NotOnRecord', `${data.deputyInCharge} is not a deputy leader${on}`, 'data.deputyInCharge');
  if (!org.hasSection(data.sectionId))
    return fail('NotOnRecord', `section ${data.sectionId} is not${on}`, 'data.sectionId');
  const unknown = [data.leadUnit, ...data.coUnits].find((u) => !org.hasUnit(u));
  if (unknown !== undefined)
    return fail(
      'NotOnRecord',
      `unit ${unknown} is not${on}`,
      unknown === data.leadUnit ? 'data.leadUnit' : 'data.coUnits',
    );
  return undefined;
};
