import { left, right, type Either } from 'fp-ts/Either';
import type { Actor } from '../actor';
import { domainError, type DomainError, type DomainErrorCode } from '../errors';
import { worseOf, type Grade } from '../grade';
import type { DomainContext } from '../policy';
import { complexityOf } from '../time-limits';
import type { TaskCommand, TaskCommandOf, TaskCommandType } from './commands';
import { dueTimes } from './due-times';
import type { EventRef, TaskEvent } from './events';
import { suggestGrade, type GradeSuggestion } from './grading';
import type { TaskState } from './state';
import { applyTask } from './evolve';

export type Decision = Either<DomainError, TaskEvent[]>;

type Handler<K extends TaskCommandType> = (
  command: TaskCommandOf<K>,
  state: TaskState,
  ctx: DomainContext,
) => Decision;

const fail = (code: DomainErrorCode, message: string, field?: string): Decision =>
  left(domainError(code, message, field));
const emit = (...events: TaskEvent[]): Decision => right(events);
/** The state already holds what the command asks for: nothing to record (idempotent by construction). */
const nothing: Decision = right([]);

const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

// —— who is who on a task (谁交办谁负责，谁负责谁督办) ——
const isLeadUnit = (a: Actor, s: TaskState) => a.kind === 'unit' && a.unitId === s.leadUnit;
const isCoUnit = (a: Actor, s: TaskState) =>
  a.kind === 'unit' && a.unitId !== undefined && s.coUnits.includes(a.unitId);
const isTaskSection = (a: Actor, s: TaskState) => a.kind === 'section' && a.unitId === s.sectionId;
const isSupervisor = (a: Actor, s: TaskState) =>
  s.supervisor.kind === 'section'
    ? a.kind === 'section' && a.unitId === s.supervisor.sectionId
    : a.kind === 'inspection-office';
const supervisorName = (s: TaskState) =>
  s.supervisor.kind === 'section' ? `section ${s.supervisor.sectionId}` : 'the inspection office (督查室)';
/** Records facts about a task: its supervisor, the section that handed it out, the inspection office, the main leader. */
const mayRecordFacts = (a: Actor, s: TaskState) =>
  isSupervisor(a, s) || isTaskSection(a, s) || a.kind === 'inspection-office' || a.kind === 'main-leader';
/** Approves closure: the main leader for a key task (重点事项); otherwise the deputy leader in charge, or the main leader. */
const mayApproveClosure = (a: Actor, s: TaskState) =>
  a.kind === 'main-leader' ||
  (!s.key && a.kind === 'deputy-leader' && (s.origin.kind === 'main-leader' || s.origin.leaderId === a.id));

const who = (a: Actor) => `${a.kind} ${a.id}${a.unitId ? ` of ${a.unitId}` : ''}`;
const denied = (a: Actor, what: string): Decision =>
  fail('NotAuthorized', `${who(a)} may not ${what}`, 'actor');

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

const findRectification = (s: TaskState, id: string) => s.rectifications.find((r) => r.id === id);
const rectificationMissing = (id: string) =>
  fail('RectificationNotFound', `no rectification ${id} was opened on this task`, 'data.rectificationId');

/**
 * After closure, a new fact may change the grade that counts: emit TaskRegraded when it does. `to` gets
 * the grade that counts and the engine's suggestion with the new fact folded in.
 */
const regradeAfter = (
  state: TaskState,
  fact: TaskEvent,
  ctx: DomainContext,
  to: (current: Grade, suggestion: GradeSuggestion) => Grade,
): TaskEvent[] => {
  if (state.status !== 'closed' || state.grade === undefined) return [fact];
  const from = state.grade;
  const cause: EventRef = { type: fact.type, revision: state.version };
  const suggestion = suggestGrade(applyTask(structuredClone(state), fact), fact.data.at, ctx);
  const next = to(from, suggestion);
  if (next === from) return [fact];
  const reasons = suggestion.reasons.filter((r) => r.events.some((e) => e.revision === cause.revision));
  return [
    fact,
    {
      type: 'TaskRegraded',
      data: { taskId: state.taskId, at: fact.data.at, from, to: next, cause, reasons },
    },
  ];
};

const handlers: { readonly [K in TaskCommandType]: Handler<K> } = {
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

  AcceptTask({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `accept task ${s.taskId}: only its lead unit ${s.leadUnit} signs for it`);
    if (s.status !== 'assigned') return nothing;
    return emit({
      type: 'TaskAccepted',
      data: {
        taskId: s.taskId,
        at,
        unitId: s.leadUnit,
        ...(data.deployment === undefined ? {} : { deployment: data.deployment }),
      },
    });
  },

  SubmitWorkPlan({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `submit the work plan: only the lead unit ${s.leadUnit} does`);
    if (s.status === 'assigned') return fail('TaskNotAccepted', `task ${s.taskId} has not been accepted yet`);
    const milestones = data.milestones ?? [];
    const bad = milestones.findIndex((m) => !later(m.due, at) || later(m.due, s.deadline));
    if (bad >= 0)
      return fail(
        'PlanMilestoneOutOfRange',
        `milestone "${milestones[bad]!.name}" is due ${milestones[bad]!.due}, outside ${at} … ${s.deadline}`,
        `data.milestones.${bad}.due`,
      );
    return emit({
      type: 'WorkPlanSubmitted',
      data: {
        taskId: s.taskId,
        at,
        version: (s.workPlan?.version ?? 0) + 1,
        checklist: data.checklist,
        matrix: data.matrix,
        milestones,
      },
    });
  },

  ReportProgress({ data, actor, at }, s) {
    const lead = isLeadUnit(actor, s);
    if (!lead && !isCoUnit(actor, s))
      return denied(actor, `report on task ${s.taskId}: the lead unit reports, co-units contribute`);
    if (lead && s.status === 'assigned')
      return fail('TaskNotAccepted', `task ${s.taskId} has not been accepted yet`);
    if (data.status === 'difficulty') {
      if (!data.difficulties?.trim())
        return fail('DifficultyNeedsDetails', 'state the difficulties met', 'data.difficulties');
      if (!data.proposals?.trim())
        return fail('DifficultyNeedsDetails', 'state the proposed next steps', 'data.proposals');
    }
    return emit({
      type: 'ProgressReported',
      data: {
        taskId: s.taskId,
        at,
        unitId: actor.unitId!,
        role: lead ? 'lead' : 'co-unit',
        status: data.status,
        summary: data.summary,
        percentComplete: data.percentComplete,
        ...(data.difficulties === undefined ? {} : { difficulties: data.difficulties }),
        ...(data.proposals === undefined ? {} : { proposals: data.proposals }),
      },
    });
  },

  UrgeTask({ data, actor, at }, s) {
    if (!isSupervisor(actor, s))
      return denied(actor, `urge task ${s.taskId}: its supervisor is ${supervisorName(s)}`);
    return emit({
      type: 'TaskUrged',
      data: { taskId: s.taskId, at, reason: data.reason, count: s.urges.length + 1 },
    });
  },

  IssueWarning({ data, actor, at }, s) {
    if (!isSupervisor(actor, s))
      return denied(actor, `warn on task ${s.taskId}: its supervisor is ${supervisorName(s)}`);
    return emit({
      type: 'WarningIssued',
      data: { taskId: s.taskId, at, level: data.level, reason: data.reason },
    });
  },

  IssueSupervisionNotice({ data, actor, at }, s) {
    if (!isSupervisor(actor, s))
      return denied(
        actor,
        `send a written notice on task ${s.taskId}: its supervisor is ${supervisorName(s)}`,
      );
    if (s.notices.some((n) => n.noticeNo === data.noticeNo)) return nothing;
    if (data.respondBy !== undefined && !later(data.respondBy, at))
      return fail('DueDateNotInFuture', `respondBy ${data.respondBy} is not after ${at}`, 'data.respondBy');
    return emit({
      type: 'SupervisionNoticeIssued',
      data: {
        taskId: s.taskId,
        at,
        noticeNo: data.noticeNo,
        requirements: data.requirements,
        ...(data.respondBy === undefined ? {} : { respondBy: data.respondBy }),
      },
    });
  },

  EscalateTask({ data, actor, at }, s, ctx) {
    if (!(isSupervisor(actor, s) || actor.kind === 'inspection-office' || actor.kind === 'main-leader'))
      return denied(actor, `escalate task ${s.taskId}`);
    if (s.supervisor.kind === 'inspection-office') return nothing;
    const consent =
      data.consent ?? (actor.kind === 'main-leader' ? { ref: 'given in person', by: actor.id } : undefined);
    if (!consent) return fail('EscalationNeedsConsent', "record the main leader's consent", 'data.consent');
    const missed = dueTimes(s, ctx).some((d) => (d.metBy ? later(d.metBy.at, d.due) : later(at, d.due)));
    if (s.urges.length + s.warnings.length + s.notices.length === 0 && !missed)
      return fail(
        'EscalationPremature',
        `task ${s.taskId} has not been urged, warned or sent a notice, and no time limit passed`,
      );
    return emit({
      type: 'TaskEscalated',
      data: {
        taskId: s.taskId,
        at,
        reason: data.reason,
        consent,
        from: s.supervisor,
        to: { kind: 'inspection-office' },
      },
    });
  },

  RequestExtension({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `request an extension: only the lead unit ${s.leadUnit} does`);
    if (s.status === 'assigned') return fail('TaskNotAccepted', `task ${s.taskId} has not been accepted yet`);
    if (s.status !== 'in-progress') return fail('TaskNotInProgress', `task ${s.taskId} is awaiting closure`);
    if (s.pendingExtension)
      return s.pendingExtension.requestedDeadline === data.requestedDeadline
        ? nothing
        : fail(
            'ExtensionAlreadyPending',
            `an extension to ${s.pendingExtension.requestedDeadline} is already pending`,
          );
    if (!later(s.deadline, at))
      return fail('ExtensionAfterDeadline', `the deadline ${s.deadline} has passed (request at ${at})`, 'at');
    if (!later(data.requestedDeadline, s.deadline))
      return fail(
        'ExtensionNotLater',
        `${data.requestedDeadline} is not after the deadline ${s.deadline}`,
        'data.requestedDeadline',
      );
    return emit({
      type: 'ExtensionRequested',
      data: {
        taskId: s.taskId,
        at,
        requestedDeadline: data.requestedDeadline,
        currentDeadline: s.deadline,
        reason: data.reason,
      },
    });
  },

  ApproveExtension({ data, actor, at }, s) {
    if (!isTaskSection(actor, s))
      return denied(actor, `decide on an extension: section ${s.sectionId} does, with the leader's approval`);
    if (!s.pendingExtension)
      return s.extensions.at(-1)?.outcome === 'approved'
        ? nothing
        : fail('NoPendingExtension', `task ${s.taskId} has no pending extension request`);
    const newDeadline = data.newDeadline ?? s.pendingExtension.requestedDeadline;
    if (!later(newDeadline, s.deadline))
      return fail(
        'ExtensionNotLater',
        `${newDeadline} is not after the deadline ${s.deadline}`,
        'data.newDeadline',
      );
    return emit({
      type: 'ExtensionApproved',
      data: {
        taskId: s.taskId,
        at,
        previousDeadline: s.deadline,
        newDeadline,
        leaderApproval: data.leaderApproval,
      },
    });
  },

  RejectExtension({ data, actor, at }, s) {
    if (!isTaskSection(actor, s)) return denied(actor, `decide on an extension: section ${s.sectionId} does`);
    if (!s.pendingExtension)
      return s.extensions.at(-1)?.outcome === 'rejected'
        ? nothing
        : fail('NoPendingExtension', `task ${s.taskId} has no pending extension request`);
    return emit({
      type: 'ExtensionRejected',
      data: { taskId: s.taskId, at, deadline: s.deadline, reason: data.reason },
    });
  },

  RequestClosure({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `apply for closure: only the lead unit ${s.leadUnit} does`);
    if (s.status === 'assigned') return fail('TaskNotAccepted', `task ${s.taskId} has not been accepted yet`);
    if (s.status !== 'in-progress') return nothing;
    const open = s.rectifications.find(
      (r) => r.status === 'open' || r.status === 'planned' || r.status === 'failed',
    );
    if (open) return fail('RectificationOutstanding', `rectification ${open.id} is ${open.status}`);
    return emit({
      type: 'ClosureRequested',
      data: {
        taskId: s.taskId,
        at,
        summary: data.summary,
        results: data.results,
        ...(data.evidence === undefined ? {} : { evidence: data.evidence }),
      },
    });
  },

  ReviewClosure({ data, actor, at }, s) {
    if (!isTaskSection(actor, s)) return denied(actor, `review closure (初审): section ${s.sectionId} does`);
    if (s.status === 'closure-reviewed')
      return s.closureReview?.proposedGrade === data.proposedGrade
        ? nothing
        : fail(
            'ClosureAlreadyReviewed',
            `the closure request was already reviewed as ${s.closureReview?.proposedGrade}`,
          );
    if (s.status !== 'closure-requested')
      return fail('ClosureNotRequested', `task ${s.taskId} has no closure request`);
    return emit({
      type: 'ClosureReviewed',
      data: { taskId: s.taskId, at, proposedGrade: data.proposedGrade, opinion: data.opinion },
    });
  },

  ApproveClosure({ data, actor, at }, s, ctx) {
    if (!mayApproveClosure(actor, s))
      return denied(
        actor,
        s.key
          ? `approve closure of key task ${s.taskId}: the main leader does (报经市政府主要领导审定)`
          : `approve closure of task ${s.taskId}: the deputy leader in charge does`,
      );
    if (s.status === 'closed')
      return data.grade === s.closed?.grade
        ? nothing
        : fail('TaskClosed', `task ${s.taskId} is already closed with grade ${s.closed?.grade}`);
    if (s.status === 'closure-requested')
      return fail('ClosureNotReviewed', `task ${s.taskId} awaits the section's review`);
    if (s.status !== 'closure-reviewed')
      return fail('ClosureNotRequested', `task ${s.taskId} has no closure request`);
    const suggestion = suggestGrade(s, at, ctx);
    if (data.grade !== suggestion.grade && !data.justification)
      return fail(
        'JustificationRequired',
        `the suggested grade is ${suggestion.grade}; justify the grade ${data.grade}`,
        'data.justification',
      );
    return emit({
      type: 'TaskClosed',
      data: {
        taskId: s.taskId,
        at,
        grade: data.grade,
        suggestedGrade: suggestion.grade,
        proposedGrade: s.closureReview!.proposedGrade,
        reasons: [...suggestion.reasons],
        approvedBy: { kind: actor.kind as 'main-leader' | 'deputy-leader', id: actor.id },
        ...(data.justification === undefined ? {} : { justification: data.justification }),
      },
    });
  },

  RejectClosure({ data, actor, at }, s) {
    const stage =
      s.status === 'closure-requested' ? 'review' : s.status === 'closure-reviewed' ? 'approval' : undefined;
    if (!stage) {
      // The request was already sent back and none came since: a repeat of that decision changes nothing.
      const sentBack =
        s.status === 'in-progress' &&
        s.closureRejections.length > 0 &&
        (isTaskSection(actor, s) || mayApproveClosure(actor, s));
      return sentBack ? nothing : fail('ClosureNotRequested', `task ${s.taskId} has no closure request`);
    }
    if (stage === 'review' ? !isTaskSection(actor, s) : !mayApproveClosure(actor, s))
      return denied(actor, `send back the closure request of task ${s.taskId} at the ${stage} stage`);
    return emit({ type: 'ClosureRejected', data: { taskId: s.taskId, at, stage, reason: data.reason } });
  },

  CheckDeadlines({ actor, at }, s, ctx) {
    if (!(actor.kind === 'system' || actor.kind === 'section' || actor.kind === 'inspection-office'))
      return denied(actor, 'run the deadline check');
    if (s.status === 'closed') return nothing;
    const events: TaskEvent[] = [];
    for (const d of dueTimes(s, ctx)) {
      const missed = d.metBy ? later(d.metBy.at, d.due) : later(at, d.due);
      if (d.kind === 'milestone') {
        if (missed && later(at, d.due) && !s.signalled.milestones.includes(d.id))
          events.push({
            type: 'MilestoneMissed',
            data: { taskId: s.taskId, at, milestone: d.id, due: d.due },
          });
        continue;
      }
      if (missed && later(at, d.due)) {
        if (!s.signalled.missed.includes(d.due))
          events.push({ type: 'DeadlineMissed', data: { taskId: s.taskId, at, deadline: d.due } });
      } else if (!d.metBy && !s.signalled.approaching.includes(d.due)) {
        const left = ctx.calendar.workingDaysBetween(at, d.due);
        if (left <= ctx.policy.approachingWithinWorkingDays)
          events.push({
            type: 'DeadlineApproaching',
            data: { taskId: s.taskId, at, deadline: d.due, workingDaysLeft: left },
          });
      }
    }
    return right(events);
  },

  OpenRectification({ data, actor, at }, s) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `open a rectification on task ${s.taskId}`);
    if (findRectification(s, data.rectificationId)) return nothing;
    if (!later(data.dueBy, at))
      return fail('DueDateNotInFuture', `dueBy ${data.dueBy} is not after ${at}`, 'data.dueBy');
    return emit({
      type: 'RectificationOpened',
      data: {
        taskId: s.taskId,
        at,
        rectificationId: data.rectificationId,
        problem: data.problem,
        source: data.source,
        dueBy: data.dueBy,
      },
    });
  },

  SubmitRectificationPlan({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `submit a rectification plan: the lead unit ${s.leadUnit} does`);
    const r = findRectification(s, data.rectificationId);
    if (!r) return rectificationMissing(data.rectificationId);
    if (r.status !== 'open' && r.status !== 'failed') return nothing;
    return emit({
      type: 'RectificationPlanSubmitted',
      data: { taskId: s.taskId, at, rectificationId: r.id, measures: data.measures },
    });
  },

  CompleteRectification({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `complete a rectification: the lead unit ${s.leadUnit} does`);
    const r = findRectification(s, data.rectificationId);
    if (!r) return rectificationMissing(data.rectificationId);
    if (r.status === 'completed' || r.status === 'passed') return nothing;
    if (r.status !== 'planned')
      return fail(
        'RectificationOutOfOrder',
        `rectification ${r.id} needs a (new) rectification plan first (整改方案)`,
      );
    return emit({
      type: 'RectificationCompleted',
      data: { taskId: s.taskId, at, rectificationId: r.id, summary: data.summary },
    });
  },

  ReviewLookBack({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `review a rectification of task ${s.taskId}`);
    const r = findRectification(s, data.rectificationId);
    if (!r) return rectificationMissing(data.rectificationId);
    if (r.status === data.result) return nothing; // this look-back's finding already stands
    if (r.status !== 'completed' && r.status !== 'passed')
      return fail(
        'RectificationOutOfOrder',
        `rectification ${r.id} is ${r.status}, not completed: nothing to look back on`,
      );
    const fact: TaskEvent = {
      type: 'LookBackReviewed',
      data: { taskId: s.taskId, at, rectificationId: r.id, result: data.result, findings: data.findings },
    };
    return right(regradeAfter(s, fact, ctx, (g) => (data.result === 'failed' ? worseOf(g, 'poor') : g)));
  },

  RecordRecognition({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record recognition on task ${s.taskId}`);
    if (s.recognitions.some((r) => r.id === data.recognitionId)) return nothing;
    const fact: TaskEvent = {
      type: 'RecognitionRecorded',
      data: { taskId: s.taskId, at, ...pick(data, 'recognitionId', 'source', 'reference', 'summary') },
    };
    // Praise lifts the grade to excellent unless a negative finding stands against the task (criticism,
    // falsification, lateness, a failed look-back): negative findings outweigh praise, as in grading.
    return right(
      regradeAfter(s, fact, ctx, (g, suggestion) => (suggestion.grade === 'excellent' ? 'excellent' : g)),
    );
  },

  RecordCriticism({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record criticism on task ${s.taskId}`);
    if (s.criticisms.some((c) => c.id === data.criticismId)) return nothing;
    const fact: TaskEvent = {
      type: 'CriticismRecorded',
      data: { taskId: s.taskId, at, ...pick(data, 'criticismId', 'source', 'reference', 'summary') },
    };
    return right(regradeAfter(s, fact, ctx, () => 'very-poor'));
  },

  RecordFalsification({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record falsification on task ${s.taskId}`);
    if (s.falsifications.some((f) => f.id === data.findingId)) return nothing;
    const fact: TaskEvent = {
      type: 'FalsificationFound',
      data: { taskId: s.taskId, at, ...pick(data, 'findingId', 'description', 'consequences') },
    };
    return right(regradeAfter(s, fact, ctx, () => 'very-poor'));
  },
};

const pick = <T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> => {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
};

/** What a closed task still accepts (DOMAIN.md): facts that can change its rating, and look-backs. */
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
