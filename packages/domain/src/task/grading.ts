import { gradeRank, type Grade } from '../grade';
import type { DomainContext } from '../policy';
import type { EventRef, GradeReason } from './events';
import { dueTimes, metOnTime } from './due-times';
import type { Fact, TaskState } from './state';
import type { DueTime } from './due-times';

/** The engine's suggested grade with its reasons; the first reason is the decisive one. */
export interface GradeSuggestion {
  readonly grade: Grade;
  readonly reasons: readonly GradeReason[];
}

const ref = (type: string, f: Fact): EventRef => ({ type, revision: f.revision });

/**
 * 评估考核: suggests one of the five grades from the facts in the task's stream, as of `now` (for an open
 * task) or of its closure request. Each reason names the events behind it. The seed's criteria, worst first:
 * - very-poor: falsification; named criticism (ministry, meeting, main leaders); no progress reported at
 *   all while the deadline passed (不推进、不落实、不及时报告)
 * - poor: closure applied for after the deadline; first feedback late and urged (经催办后仍未办理);
 *   a failed rectification look-back (经督查督办后仍未按要求完成)
 * - excellent: written praise from a ministry or approving instructions of main leaders
 * - good: applied for closure ahead of the deadline, unprompted (no urging, warning, notice, extension)
 * - basic: within the deadline, possibly extended for reasons that were approved
 */
export const suggestGrade = (
  state: TaskState,
  now: string,
  ctx: DomainContext,
  /** The task's `dueTimes(state, ctx)`, when the caller has them already. */
  times?: readonly DueTime[],
): GradeSuggestion => {
  const reasons: GradeReason[] = [];
  const add = (grade: Grade, rule: string, text: string, events: EventRef[]) =>
    reasons.push({ grade, rule, text, events });

  for (const f of state.falsifications)
    add('very-poor', 'falsification', 'falsification or false reporting found (弄虚作假、虚报瞒报)', [
      ref('FalsificationFound', f),
    ]);
  for (const c of state.criticisms)
    add('very-poor', 'criticism', 'criticised by a ministry, at a meeting or by main leaders (点名批评)', [
      ref('CriticismRecorded', c),
    ]);

  // Timeliness is judged by the closure request that stands: one sent back (不予办结) did not finish the task.
  const closureAt = state.closureRequest?.at ?? now;
  const deadlinePassed = Date.parse(closureAt) > Date.parse(state.deadline);
  const supervision: EventRef[] = [
    ...state.urges.map((f) => ref('TaskUrged', f)),
    ...state.warnings.map((f) => ref('WarningIssued', f)),
    ...state.notices.map((f) => ref('SupervisionNoticeIssued', f)),
  ];

  if (state.leadReports === 0 && deadlinePassed && state.assigned)
    add(
      'very-poor',
      'no-progress',
      'no progress reported and the deadline passed (不推进、不落实，且不及时报告)',
      [ref('TaskAssigned', state.assigned), ...state.deadlinesMissed.map((f) => ref('DeadlineMissed', f))],
    );
  else if (deadlinePassed)
    add(
      'poor',
      'late',
      supervision.length > 0
        ? 'not done by the deadline even after urging (经催办后仍未办理)'
        : 'not done by the deadline (未按期办结)',
      [
        ...(state.closureRequest ? [ref('ClosureRequested', state.closureRequest)] : []),
        ...state.deadlinesMissed.map((f) => ref('DeadlineMissed', f)),
        ...supervision,
      ],
    );

  const limits = times ?? dueTimes(state, ctx);
  const nowMs = Date.parse(now);
  const late = (d: DueTime) => (d.metBy ? !metOnTime(d) : nowMs > Date.parse(d.due));
  // The unit's own time limits short of the deadline: 13710 milestones, plan milestones, periodic reports.
  const lateMilestones = limits.filter(
    (d) => (d.kind === 'milestone' || d.kind === 'plan-milestone' || d.kind === 'report') && late(d),
  );
  // 未能按时报告…经催办后仍未办理: a report that was due and had not come when the unit was urged. The
  // urge must fall after the report was due and before the report came (or still has not).
  for (const d of limits.filter((x) => (x.id === 'first-feedback' || x.kind === 'report') && late(x))) {
    const urgedMeanwhile = state.urges.filter(
      (u) => Date.parse(u.at) > Date.parse(d.due) && (!d.metBy || Date.parse(u.at) < Date.parse(d.metBy.at)),
    );
    if (urgedMeanwhile.length > 0) {
      add(
        'poor',
        'late-report-after-urging',
        `${d.id === 'first-feedback' ? 'the first feedback' : `periodic report ${d.id.slice('report-'.length)}`}, due ${ctx.calendar.localDateTime(d.due)}, ${d.metBy ? 'came only' : 'had not come'} after urging (未能按时报告，经催办后仍未办理)`,
        [...(d.metBy ? [ref(d.metByType!, d.metBy)] : []), ...urgedMeanwhile.map((f) => ref('TaskUrged', f))],
      );
      break;
    }
  }
  // A written notice asked for a reply by a date, and none came by then.
  for (const d of limits.filter((x) => x.kind === 'notice-response' && late(x))) {
    const notice = state.notices.find((n) => `notice:${n.noticeNo}` === d.id)!;
    add(
      'poor',
      'notice-unanswered',
      `did not reply to written notice ${notice.noticeNo} by ${ctx.calendar.localDateTime(d.due)} (书面督办后仍未办理)`,
      [
        ref('SupervisionNoticeIssued', notice),
        ...(notice.responded ? [ref('NoticeResponded', notice.responded)] : []),
      ],
    );
  }
  for (const f of state.lookBacksFailed)
    add('poor', 'rectification-failed', 'rectification look-back failed (整改不到位)', [
      ref('LookBackReviewed', f),
    ]);

  for (const r of state.recognitions)
    add(
      'excellent',
      'recognition',
      'praised by a ministry or endorsed by main leaders (书面表扬、批示肯定)',
      [ref('RecognitionRecorded', r)],
    );

  const request = state.closureRequest;
  const extended = state.extensions.filter((e) => e.outcome === 'approved');
  if (request && !deadlinePassed && state.partialClosure)
    add(
      'basic',
      'partial-explained',
      'not fully completed for objective reasons, explained with the closure request and approved with it (因客观原因未能全面完成，解释说明经批准认同)',
      [ref('ClosureRequested', request)],
    );
  else if (request && !deadlinePassed) {
    const early =
      ctx.calendar.workingDaysBetween(request.at, state.deadline) >= ctx.policy.aheadOfDeadlineWorkingDays;
    // "Proactive" (积极主动): early, unprompted, no extension, and no 13710 limit missed on the way.
    if (early && supervision.length === 0 && extended.length === 0 && lateMilestones.length === 0)
      add('good', 'ahead-of-deadline', 'applied for closure ahead of the deadline, unprompted (提前完成)', [
        ref('ClosureRequested', request),
      ]);
    else
      add(
        'basic',
        extended.length > 0 ? 'on-time-after-extension' : 'on-time',
        extended.length > 0
          ? 'done within a deadline extended on approved grounds (经批准认同)'
          : lateMilestones.length > 0
            ? `done within the deadline, but ${lateMilestones.map((d) => d.id).join(', ')} came late (规定时限内基本完成)`
            : 'done within the deadline (规定时限内基本完成)',
        [
          ref('ClosureRequested', request),
          ...extended.map((f) => ref('ExtensionApproved', f)),
          ...state.milestonesMissed.map((f) => ref('MilestoneMissed', f)),
        ],
      );
  }
  if (reasons.length === 0)
    add(
      'basic',
      'in-progress',
      'in progress within the deadline (规定时限内)',
      state.assigned ? [ref('TaskAssigned', state.assigned)] : [],
    );

  // Negative findings outweigh praise; praise outweighs timeliness.
  const negative = reasons.filter((r) => gradeRank(r.grade) >= gradeRank('poor'));
  const decisive = negative.length > 0 ? negative : reasons;
  const grade = decisive.reduce<Grade>(
    (g, r) =>
      negative.length > 0
        ? gradeRank(r.grade) > gradeRank(g)
          ? r.grade
          : g
        : gradeRank(r.grade) < gradeRank(g)
          ? r.grade
          : g,
    decisive[0]!.grade,
  );
  const ordered = [...reasons.filter((r) => r.grade === grade), ...reasons.filter((r) => r.grade !== grade)];
  return { grade, reasons: ordered };
};

/**
 * A co-unit (协办单位) graded on its own part (细化各自职责): it reported on its duty on time, late, or
 * never. On time, it shares a task completed on time (good) or not (basic); late, basic; never, poor
 * (配合不力). The first report is on time when it came by the task's first-feedback limit — or, with no
 * such limit, by the closure request.
 */
export const suggestCoUnitGrade = (
  state: TaskState,
  unitId: string,
  now: string,
  ctx: DomainContext,
  /** The task's `dueTimes(state, ctx)`, when the caller has them already. */
  times?: readonly DueTime[],
): GradeSuggestion => {
  const own = state.coUnitReports.find((r) => r.unitId === unitId);
  const duty = state.coUnitDuties.find((d) => d.unitId === unitId)?.duty;
  const part = duty ? `its part (${duty.length > 60 ? `${duty.slice(0, 57)}...` : duty})` : 'its part';
  if (!own)
    return {
      grade: 'poor',
      reasons: [
        {
          grade: 'poor',
          rule: 'co-unit-no-report',
          text: `never reported on ${part} (协办单位未报告配合工作情况)`,
          events: state.assigned ? [ref('TaskAssigned', state.assigned)] : [],
        },
      ],
    };
  const feedback = (times ?? dueTimes(state, ctx)).find((d) => d.id === 'first-feedback');
  const by = feedback?.due ?? state.closureRequest?.at ?? now;
  const onTime = Date.parse(own.first.at) <= Date.parse(by);
  const taskOnTime =
    state.closureRequest !== undefined && Date.parse(state.closureRequest.at) <= Date.parse(state.deadline);
  const grade: Grade = onTime ? (taskOnTime ? 'good' : 'basic') : 'basic';
  return {
    grade,
    reasons: [
      {
        grade,
        rule: onTime ? (taskOnTime ? 'co-unit-on-time' : 'co-unit-on-time-task-late') : 'co-unit-late',
        text: onTime
          ? taskOnTime
            ? `reported on ${part} in time, and the task was done within its deadline (积极配合)`
            : `reported on ${part} in time; the task was not done within its deadline`
          : `first reported on ${part} only on ${ctx.calendar.localDateTime(own.first.at)}, after ${ctx.calendar.localDateTime(by)}`,
        events: [ref('ProgressReported', own.first)],
      },
    ],
  };
};
