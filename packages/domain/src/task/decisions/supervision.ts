import { dueTimes } from '../due-times';
import { fail, emit, nothing, later, denied, beyondHorizon, type Handlers } from './shared';
import { isSupervisor, mayRecordFacts, supervisorName } from './roles';

/** 督办: the supervisor urges, warns and sends written notices; escalation to the inspection office. */
export const supervision: Handlers<
  'UrgeTask' | 'IssueWarning' | 'IssueSupervisionNotice' | 'EscalateTask' | 'AnswerDifficulty'
> = {
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
    const tooFar =
      data.respondBy === undefined ? undefined : beyondHorizon(data.respondBy, at, 'data.respondBy');
    if (tooFar) return tooFar;
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
  /** The office answers a difficulty: the supervisor, the section, the inspection office, or a leader in charge. */
  AnswerDifficulty({ data, actor, at }, s) {
    const mayAnswer =
      mayRecordFacts(actor, s) || (actor.kind === 'deputy-leader' && actor.id === s.deputyInCharge);
    if (!mayAnswer) return denied(actor, `answer a difficulty on task ${s.taskId}`);
    const d = s.difficulties.find((x) => x.revision === data.reportRevision);
    if (!d)
      return fail(
        'DifficultyNotFound',
        `revision ${data.reportRevision} of task ${s.taskId} is not a difficulty its lead unit reported`,
        'data.reportRevision',
      );
    if (d.answered) return nothing;
    return emit({
      type: 'DifficultyAnswered',
      data: { taskId: s.taskId, at, reportRevision: data.reportRevision, decision: data.decision },
    });
  },
  EscalateTask({ data, actor, at }, s, ctx) {
    if (!(isSupervisor(actor, s) || actor.kind === 'inspection-office' || actor.kind === 'main-leader'))
      return denied(actor, `escalate task ${s.taskId}`);
    if (s.supervisor.kind === 'inspection-office') return nothing;
    const consent =
      data.consent ?? (actor.kind === 'main-leader' ? { ref: 'given in person', by: actor.id } : undefined);
    if (!consent) return fail('EscalationNeedsConsent', "record the main leader's consent", 'data.consent');
    const main = ctx.organisation?.mainLeader;
    if (ctx.organisation && consent.by !== main)
      return fail(
        'WrongApprover',
        `escalation needs the main leader's consent (经市政府主要领导同意): ${consent.by} is not the main leader on record (${main ?? 'none'})`,
        'data.consent.by',
      );
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
};
