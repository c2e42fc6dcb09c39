import { fail, emit, nothing, later, denied, type Handlers } from './shared';
import { isLeadUnit, isCoUnit } from './roles';

/** 承办 and 反馈: the lead unit accepts, plans and reports; co-units contribute. */
export const carryingOut: Handlers<'AcceptTask' | 'SubmitWorkPlan' | 'ReportProgress' | 'RespondToNotice'> = {
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
    const unknown = (data.milestonesMet ?? []).find((name) => !s.planMilestones.some((m) => m.name === name));
    if (unknown !== undefined)
      return fail(
        'PlanMilestoneUnknown',
        `the work plan has no milestone "${unknown}"`,
        'data.milestonesMet',
      );
    if (!lead && data.milestonesMet?.length)
      return fail(
        'PlanMilestoneUnknown',
        "the lead unit reports the plan's milestones met",
        'data.milestonesMet',
      );
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
        ...(data.milestonesMet?.length ? { milestonesMet: [...new Set(data.milestonesMet)] } : {}),
      },
    });
  },
  RespondToNotice({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `reply to a written notice on task ${s.taskId}: its lead unit ${s.leadUnit} does`);
    const notice = s.notices.find((n) => n.noticeNo === data.noticeNo);
    if (!notice)
      return fail(
        'NoticeNotFound',
        `no notice ${data.noticeNo} was issued on task ${s.taskId}`,
        'data.noticeNo',
      );
    if (notice.responded) return nothing;
    return emit({
      type: 'NoticeResponded',
      data: { taskId: s.taskId, at, noticeNo: data.noticeNo, response: data.response },
    });
  },
};
