import { right } from 'fp-ts/Either';
import { dueSignals } from '../due-times';
import type { TaskEvent } from '../events';
import { denied, type Handlers } from './shared';

/** Time limits turned into events, each exactly once (the rule itself: `dueSignals`). */
export const deadlines: Handlers<'CheckDeadlines'> = {
  CheckDeadlines({ actor, at }, s, ctx) {
    if (!(actor.kind === 'system' || actor.kind === 'section' || actor.kind === 'inspection-office'))
      return denied(actor, 'run the deadline check');
    return right(
      dueSignals(s, at, ctx).map((signal): TaskEvent => {
        const { taskId } = s;
        const due = signal.due.due;
        switch (signal.type) {
          case 'MilestoneMissed':
            return { type: 'MilestoneMissed', data: { taskId, at, milestone: signal.due.id, due } };
          case 'DeadlineMissed':
            return { type: 'DeadlineMissed', data: { taskId, at, deadline: due } };
          case 'DeadlineApproaching':
            return {
              type: 'DeadlineApproaching',
              data: { taskId, at, deadline: due, workingDaysLeft: signal.workingDaysLeft },
            };
          case 'NoticeResponseMissed':
            return {
              type: 'NoticeResponseMissed',
              data: { taskId, at, noticeNo: signal.due.id.slice('notice:'.length), respondBy: due },
            };
          case 'ExtensionReplyOverdue':
            return {
              type: 'ExtensionReplyOverdue',
              data: { taskId, at, requestedAt: s.pendingExtension!.at, due },
            };
        }
      }),
    );
  },
};
