import type { TaskEvent } from '../events';
import type { TaskState } from '../state';
import { fail, emit, nothing, later, denied, beyondHorizon, type Handlers } from './shared';
import { isLeadUnit, mayRecordFacts } from './roles';
import { regradeAfter } from './regrade';
import { right } from 'fp-ts/Either';
import { worseOf } from '../../grade';

const findRectification = (s: TaskState, id: string) => s.rectifications.find((r) => r.id === id);
const rectificationMissing = (id: string) =>
  fail('RectificationNotFound', `no rectification ${id} was opened on this task`, 'data.rectificationId');

/** 问题整改: open, plan, complete, look back (回头看/再检查). */
export const rectification: Handlers<
  'OpenRectification' | 'SubmitRectificationPlan' | 'CompleteRectification' | 'ReviewLookBack'
> = {
  OpenRectification({ data, actor, at }, s) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `open a rectification on task ${s.taskId}`);
    if (findRectification(s, data.rectificationId)) return nothing;
    if (!later(data.dueBy, at))
      return fail('DueDateNotInFuture', `dueBy ${data.dueBy} is not after ${at}`, 'data.dueBy');
    const tooFar = beyondHorizon(data.dueBy, at, 'data.dueBy');
    if (tooFar) return tooFar;
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
};
