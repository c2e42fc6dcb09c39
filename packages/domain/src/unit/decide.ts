import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import { LIMITS } from '../limits';
import { actorNotOnRecord } from '../office/actors';
import type { DomainContext } from '../policy';
import type { UnitCommand, UnitCommandOf, UnitCommandType } from './commands';
import type { UnitEvent } from './events';
import type { UnitState } from './state';

type Decision = Either<DomainError, UnitEvent[]>;
type Handler<K extends UnitCommandType> = (
  command: UnitCommandOf<K>,
  state: UnitState,
  ctx: DomainContext,
  facts: UnitFacts,
) => Decision;

/**
 * What only the engine can tell the unit decider: which of the tasks an inspection names are on record
 * (they live in other streams). Without it the names are not checked.
 */
export interface UnitFacts {
  readonly tasksOnRecord?: ReadonlySet<string>;
}

const nothing: Decision = right([]);

const handlers: { readonly [K in UnitCommandType]: Handler<K> } = {
  RecordInspection({ data, at }, s, ctx, facts) {
    if (s.inspections.some((i) => i.id === data.inspectionId)) return nothing;
    const missing = facts.tasksOnRecord ? data.taskIds.findIndex((id) => !facts.tasksOnRecord!.has(id)) : -1;
    if (missing >= 0)
      return left(
        domainError(
          'TaskNotFound',
          `task ${data.taskIds[missing]} is not on record`,
          `data.taskIds.${missing}`,
        ),
      );
    const org = ctx.organisation;
    if (org && data.approval.by !== org.mainLeader)
      return left(
        domainError(
          'WrongApprover',
          `a key inspection is approved by the main leader (经市政府主要领导批准同意): ${data.approval.by} is not the main leader on record (${org.mainLeader ?? 'none'})`,
          'data.approval.by',
        ),
      );
    if (org && !org.hasUnit(data.unitId))
      return left(
        domainError('NotOnRecord', `unit ${data.unitId} is not on record on ${org.date}`, 'data.unitId'),
      );
    const quarter = ctx.calendar.quarterOf(at);
    const cap = ctx.policy.inspectionsPerUnitPerQuarter;
    const count = s.inspections.filter((i) => i.quarter === quarter).length;
    if (count >= cap)
      return left(
        domainError(
          'InspectionCapReached',
          `unit ${data.unitId} was already inspected ${count} times in ${quarter} (cap ${cap})`,
        ),
      );
    return right([
      {
        type: 'InspectionRecorded',
        data: {
          unitId: data.unitId,
          at,
          inspectionId: data.inspectionId,
          quarter,
          approval: data.approval,
          methods: [...new Set(data.methods)],
          findings: data.findings,
          opinion: data.opinion,
          taskIds: data.taskIds,
        },
      },
    ]);
  },
  ScheduleInterview({ data, at }, s) {
    if (s.interviews.some((i) => i.id === data.interviewId)) return nothing;
    if (Math.abs(Date.parse(data.scheduledFor) - Date.parse(at)) > LIMITS.horizonDays * 86_400_000)
      return left(
        domainError(
          'DueDateTooFar',
          `${data.scheduledFor} is more than ${LIMITS.horizonDays} days from ${at}`,
          'data.scheduledFor',
        ),
      );
    return right([{ type: 'InterviewScheduled', data: { ...data, at } }]);
  },
  RecordInterview({ data, at }, s) {
    const interview = s.interviews.find((i) => i.id === data.interviewId);
    if (!interview)
      return left(
        domainError(
          'InterviewNotScheduled',
          `interview ${data.interviewId} was never scheduled`,
          'data.interviewId',
        ),
      );
    if (interview.status === 'held') return nothing;
    const heldAt = data.heldAt ?? at;
    if (Date.parse(heldAt) < Date.parse(interview.scheduledFor))
      return left(
        domainError(
          'InterviewNotYetHeld',
          `interview ${data.interviewId} is scheduled for ${interview.scheduledFor}, after ${heldAt}`,
          data.heldAt === undefined ? 'at' : 'data.heldAt',
        ),
      );
    if (Date.parse(heldAt) > Date.parse(at))
      return left(
        domainError(
          'InterviewNotYetHeld',
          `heldAt ${heldAt} is after the time it is recorded`,
          'data.heldAt',
        ),
      );
    return right([{ type: 'InterviewRecorded', data: { ...data, at } }]);
  },
  ReferToDiscipline({ data, at }, s, ctx) {
    if (s.referrals.includes(data.referralId)) return nothing;
    const main = ctx.organisation?.mainLeader;
    if (ctx.organisation && data.approval.by !== main)
      return left(
        domainError(
          'WrongApprover',
          `a referral is approved by the main leader: ${data.approval.by} is not the main leader on record (${main ?? 'none'})`,
          'data.approval.by',
        ),
      );
    if (data.to === 'judicial' && data.offence === undefined)
      return left(
        domainError(
          'ReferralNeedsGrounds',
          'a judicial referral names the suspected offence',
          'data.offence',
        ),
      );
    return right([{ type: 'ReferredToDiscipline', data: { ...data, at } }]);
  },
  PublishCommendation({ data, at }, s) {
    if (s.commendations.includes(data.commendationId)) return nothing;
    return right([{ type: 'CommendationPublished', data: { ...data, at } }]);
  },
  PublishCriticism({ data, at }, s) {
    if (s.criticisms.includes(data.criticismId)) return nothing;
    return right([{ type: 'CriticismPublished', data: { ...data, at } }]);
  },
};

/** Only the main leader or the inspection office acts on a unit's record (docs/domain.md). */
export const decideUnit = (
  command: UnitCommand,
  state: UnitState,
  ctx: DomainContext,
  facts: UnitFacts = {},
): Decision => {
  const { actor } = command;
  if (actor.kind === 'auditor')
    return left(
      domainError('AuditorsCannotAct', `auditor ${actor.id} may not issue ${command.type}`, 'actor'),
    );
  const unknown = actorNotOnRecord(actor, ctx.organisation);
  if (unknown) return left(unknown);
  const org = ctx.organisation;
  if (org && !org.hasUnit(command.data.unitId))
    return left(
      domainError(
        'NotOnRecord',
        `unit ${command.data.unitId} is not on record on ${org.date}`,
        'data.unitId',
      ),
    );
  if (command.type === 'RecordInspection' && actor.kind !== 'inspection-office')
    return left(
      domainError(
        'NotAuthorized',
        `${actor.kind} ${actor.id} may not record a key inspection: the inspection office (督查室) does`,
        'actor',
      ),
    );
  if (actor.kind !== 'main-leader' && actor.kind !== 'inspection-office')
    return left(
      domainError(
        'NotAuthorized',
        `${actor.kind} ${actor.id} may not issue ${command.type}: the main leader or the inspection office does`,
        'actor',
      ),
    );
  return (handlers[command.type] as Handler<UnitCommandType>)(command as never, state, ctx, facts);
};
