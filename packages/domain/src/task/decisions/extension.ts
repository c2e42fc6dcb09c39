import { sameInstant } from '../../instant';
import { fail, emit, nothing, later, denied, beyondHorizon, type Handlers } from './shared';
import { extensionApprovers, isLeadUnit, isTaskSection } from './roles';

/** 延期: one request at a time, before the deadline; the task's section decides. */
export const extension: Handlers<'RequestExtension' | 'ApproveExtension' | 'RejectExtension'> = {
  RequestExtension({ data, actor, at }, s) {
    if (!isLeadUnit(actor, s))
      return denied(actor, `request an extension: only the lead unit ${s.leadUnit} does`);
    if (s.status === 'assigned') return fail('TaskNotAccepted', `task ${s.taskId} has not been accepted yet`);
    if (s.status !== 'in-progress') return fail('TaskNotInProgress', `task ${s.taskId} is awaiting closure`);
    if (s.pendingExtension)
      return sameInstant(s.pendingExtension.requestedDeadline, data.requestedDeadline)
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
    const tooFar = beyondHorizon(data.requestedDeadline, at, 'data.requestedDeadline');
    if (tooFar) return tooFar;
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
  ApproveExtension({ data, actor, at }, s, ctx) {
    if (!isTaskSection(actor, s))
      return denied(actor, `decide on an extension: section ${s.sectionId} does, with the leader's approval`);
    if (s.status === 'closure-requested' || s.status === 'closure-reviewed')
      return fail('TaskNotInProgress', `task ${s.taskId} applied for closure: its extension request lapsed`);
    if (!s.pendingExtension)
      return s.extensions.at(-1)?.outcome === 'approved'
        ? nothing
        : fail('NoPendingExtension', `task ${s.taskId} has no pending extension request`);
    const org = ctx.organisation;
    if (org && !extensionApprovers(s, org).includes(data.leaderApproval.by))
      return fail(
        'WrongApprover',
        `an extension is approved by the deputy leader in charge or the main leader (${extensionApprovers(s, org).join(', ')}), not ${data.leaderApproval.by}`,
        'data.leaderApproval.by',
      );
    const newDeadline = data.newDeadline ?? s.pendingExtension.requestedDeadline;
    if (!later(newDeadline, s.deadline))
      return fail(
        'ExtensionNotLater',
        `${newDeadline} is not after the deadline ${s.deadline}`,
        'data.newDeadline',
      );
    const tooFar = beyondHorizon(newDeadline, at, 'data.newDeadline');
    if (tooFar) return tooFar;
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
    if (s.status === 'closure-requested' || s.status === 'closure-reviewed')
      return fail('TaskNotInProgress', `task ${s.taskId} applied for closure: its extension request lapsed`);
    if (!s.pendingExtension)
      return s.extensions.at(-1)?.outcome === 'rejected'
        ? nothing
        : fail('NoPendingExtension', `task ${s.taskId} has no pending extension request`);
    // A timely request waited for its answer: if the answer comes after the deadline, the unit keeps the
    // time it had left when it asked (the wait is not charged to it).
    const p = s.pendingExtension;
    const left = Math.max(0, Date.parse(p.currentDeadline) - Date.parse(p.at));
    const deadline = later(at, s.deadline) ? new Date(Date.parse(at) + left).toISOString() : s.deadline;
    return emit({
      type: 'ExtensionRejected',
      data: { taskId: s.taskId, at, deadline, reason: data.reason },
    });
  },
};
