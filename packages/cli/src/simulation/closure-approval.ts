import { suggestGrade, type Grade } from '@duban/domain';
import type { Clock } from './clock';
import { act, type Action, type Runner } from './run';
import { approverOf, type Plan } from './task-view';

/**
 * 审定办结 (17:00): the deputy mayor in charge (分管领导) — the mayor for a key task — approves a closure
 * the section reviewed the day before, with the grade the rules suggest, or overrides it with a
 * justification, or sends it back once (the sent-back story).
 */
export const closureApprovalActions = (
  run: Runner,
  clock: Clock,
  plans: readonly Plan[],
  day: number,
): Action[] => {
  const actions: Action[] = [];
  for (const p of plans) {
    const s = run.model.tasks[p.taskId];
    if (!s || s.status !== 'closure-reviewed' || clock.indexOf(s.closureReview!.at) >= day) continue;
    const approver = approverOf(p);
    if (p.stories.has('sent-back-approval') && s.closureRejections.length === 0) {
      p.retryClosureDay = day + 2;
      actions.push(
        act((i) =>
          run.exec(
            'RejectClosure',
            { taskId: p.taskId, reason: '成效尚未显现，暂不同意办结，继续跟踪督办' },
            approver,
            i,
          ),
        ),
      );
      continue;
    }
    actions.push(
      act(async (i) => {
        const suggested = suggestGrade(s, i, run.ctxAt(i)).grade;
        const overridden: Grade | undefined = p.stories.has('override')
          ? suggested === 'poor'
            ? 'basic'
            : suggested === 'basic'
              ? 'good'
              : undefined
          : undefined;
        await run.exec(
          'ApproveClosure',
          overridden
            ? {
                taskId: p.taskId,
                grade: overridden,
                justification: '逾期系省级审批延迟等客观原因，已按程序报告并经市政府领导认可',
              }
            : { taskId: p.taskId, grade: suggested },
          approver,
          i,
        );
        p.closedDay = day;
      }),
    );
  }
  return actions;
};
