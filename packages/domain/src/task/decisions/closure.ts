import { fail, emit, nothing, denied, type Handlers } from './shared';
import { isLeadUnit, isTaskSection, mayApproveClosure } from './roles';
import { suggestCoUnitGrade, suggestGrade } from '../grading';
import { dueTimes } from '../due-times';
import type { CoUnitGrade } from '../events';

/** 办结: the lead unit applies, the section reviews (初审), the leader approves with a grade. */
export const closure: Handlers<'RequestClosure' | 'ReviewClosure' | 'ApproveClosure' | 'RejectClosure'> = {
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
        ...(data.partial === undefined ? {} : { partial: { explanation: data.partial.explanation } }),
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
    if (!mayApproveClosure(actor, s, ctx.organisation))
      return denied(
        actor,
        s.key
          ? `approve closure of key task ${s.taskId}: the main leader does (报经市政府主要领导审定)`
          : `approve closure of task ${s.taskId}: the deputy leader in charge (分管领导${s.deputyInCharge ? ` ${s.deputyInCharge}` : ''}) or the main leader does`,
      );
    if (s.status === 'closed')
      return data.grade === s.closed?.grade
        ? nothing
        : fail('TaskClosed', `task ${s.taskId} is already closed with grade ${s.closed?.grade}`);
    if (s.status === 'closure-requested')
      return fail('ClosureNotReviewed', `task ${s.taskId} awaits the section's review`);
    if (s.status !== 'closure-reviewed')
      return fail('ClosureNotRequested', `task ${s.taskId} has no closure request`);
    // The time limits once, for the lead unit and every co-unit (each would work them out again).
    const times = dueTimes(s, ctx);
    const suggestion = suggestGrade(s, at, ctx, times);
    if (data.grade !== suggestion.grade && !data.justification)
      return fail(
        'JustificationRequired',
        `the suggested grade is ${suggestion.grade}; justify the grade ${data.grade}`,
        'data.justification',
      );
    // Each co-unit on its own part: the suggestion stands unless the approver grades it otherwise, with why.
    const decided = data.coUnitGrades ?? [];
    const stranger = decided.find((d) => !s.coUnits.includes(d.unitId));
    if (stranger)
      return fail(
        'CoUnitDutyMissing',
        `${stranger.unitId} is not a co-unit of task ${s.taskId}`,
        'data.coUnitGrades',
      );
    const coUnitGrades: CoUnitGrade[] = [];
    for (const unitId of s.coUnits) {
      const own = suggestCoUnitGrade(s, unitId, at, ctx, times);
      const d = decided.find((x) => x.unitId === unitId);
      if (d && d.grade !== own.grade && !d.justification)
        return fail(
          'JustificationRequired',
          `the suggested grade of co-unit ${unitId} is ${own.grade}; justify the grade ${d.grade}`,
          'data.coUnitGrades',
        );
      coUnitGrades.push({
        unitId,
        grade: d?.grade ?? own.grade,
        suggestedGrade: own.grade,
        reasons: [...own.reasons],
        ...(d?.justification === undefined ? {} : { justification: d.justification }),
      });
    }
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
        ...(coUnitGrades.length === 0 ? {} : { coUnitGrades }),
      },
    });
  },
  RejectClosure({ data, actor, at }, s, ctx) {
    const stage =
      s.status === 'closure-requested' ? 'review' : s.status === 'closure-reviewed' ? 'approval' : undefined;
    if (!stage) {
      // The request was already sent back and none came since: a repeat of that decision changes nothing.
      const sentBack =
        s.status === 'in-progress' &&
        s.closureRejections.length > 0 &&
        (isTaskSection(actor, s) || mayApproveClosure(actor, s, ctx.organisation));
      return sentBack ? nothing : fail('ClosureNotRequested', `task ${s.taskId} has no closure request`);
    }
    if (stage === 'review' ? !isTaskSection(actor, s) : !mayApproveClosure(actor, s, ctx.organisation))
      return denied(actor, `send back the closure request of task ${s.taskId} at the ${stage} stage`);
    return emit({ type: 'ClosureRejected', data: { taskId: s.taskId, at, stage, reason: data.reason } });
  },
};
