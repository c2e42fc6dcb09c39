import {
  dueTimes,
  metOnTime,
  type DomainContext,
  type DueTime,
  type Grade,
  type TaskState,
} from '@duban/domain';
import type { ScoringPolicy } from '@duban/domain';
import type { SupervisionModel } from './supervision-model';

/** An event that a score line rests on, so an auditor can open it. */
export interface Evidence {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
}

/** One line of a score's explanation: what was added or deducted, and why. */
export interface ScoreLine {
  readonly kind: 'grade' | 'average' | 'deduction';
  readonly text: string;
  /** Points deducted (negative) for deductions; the weighted points for grade lines; the average for the average line. */
  readonly points: number;
  readonly taskId?: string;
  readonly weight?: number;
  /** For grade lines: the grade the points are for. */
  readonly grade?: Grade;
  readonly evidence: readonly Evidence[];
}

export interface UnitScore {
  readonly unitId: string;
  readonly quarter: string;
  readonly rank: number;
  readonly score: number;
  readonly average: number;
  readonly deductions: number;
  /** Sum of the weights the average is taken over. */
  readonly weights: number;
  readonly tasksByGrade: Readonly<Record<Grade, number>>;
  /** Tasks of the quarter whose deadline passed before closure was applied for: the tie-breaker. */
  readonly overdue: number;
  readonly lines: readonly ScoreLine[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const taskStream = (t: TaskState) => `task-${t.taskId}`;

/** What a task costs its lead unit (co-units carry a share), each with the events behind it. */
const taskDeductions = (
  t: TaskState,
  times: readonly DueTime[],
  policy: ScoringPolicy,
  ctx: DomainContext,
) => {
  const ev = (type: string, revision: number): Evidence => ({ streamId: taskStream(t), revision, type });
  const local = (instant: string) => ctx.calendar.localDateTime(instant);
  const out: Array<{ text: string; points: number; evidence: Evidence[] }> = [];
  const feedback = times.find((d) => d.id === 'first-feedback');
  if (feedback && !metOnTime(feedback))
    out.push({
      text: `first feedback due ${local(feedback.due)} ${feedback.metBy ? `came ${local(feedback.metBy.at)}` : 'never came'} (未按时反馈)`,
      points: policy.deductions.lateFeedback,
      evidence: feedback.metBy
        ? [ev('ProgressReported', feedback.metBy.revision)]
        : [ev('TaskAssigned', t.assigned!.revision)],
    });
  const deadline = times.find((d) => d.kind === 'deadline');
  if (deadline && !metOnTime(deadline))
    out.push({
      text: `closure applied for ${deadline.metBy ? local(deadline.metBy.at) : '(never)'} after the deadline ${local(deadline.due)} (逾期)`,
      points: policy.deductions.lateClosure,
      evidence: deadline.metBy ? [ev('ClosureRequested', deadline.metBy.revision)] : [],
    });
  for (const r of t.closureRejections)
    out.push({
      text: `closure sent back on ${local(r.at)} (不予办结)`,
      points: policy.deductions.closureSentBack,
      evidence: [ev('ClosureRejected', r.revision)],
    });
  for (const n of t.notices)
    out.push({
      text: `written supervision notice ${n.noticeNo} on ${local(n.at)} (书面督办通知书)`,
      points: policy.deductions.writtenNotice,
      evidence: [ev('SupervisionNoticeIssued', n.revision)],
    });
  return out;
};

const isOverdue = (times: readonly DueTime[]) => {
  const d = times.find((x) => x.kind === 'deadline');
  return d !== undefined && !metOnTime(d);
};

/**
 * The quarterly scorecard: for every unit with a task closed in the quarter (by closure date in the
 * deployment's time zone), its weighted average grade points less its deductions, its rank, and every
 * line that went into it.
 */
export const unitScorecard = (
  model: SupervisionModel,
  quarter: string,
  policy: ScoringPolicy,
  ctx: DomainContext,
): UnitScore[] => {
  type Acc = {
    lines: ScoreLine[];
    weighted: number;
    weights: number;
    deductions: number;
    overdue: number;
    byGrade: Record<Grade, number>;
  };
  const units = new Map<string, Acc>();
  const acc = (unitId: string): Acc => {
    let a = units.get(unitId);
    if (!a)
      units.set(
        unitId,
        (a = {
          lines: [],
          weighted: 0,
          weights: 0,
          deductions: 0,
          overdue: 0,
          byGrade: { excellent: 0, good: 0, basic: 0, poor: 0, 'very-poor': 0 },
        }),
      );
    return a;
  };

  const closed = Object.values(model.tasks)
    .filter((t) => t.closed && t.grade && ctx.calendar.quarterOf(t.closed.at) === quarter)
    .sort((a, b) => a.taskId.localeCompare(b.taskId));
  for (const t of closed) {
    const grade = t.grade!;
    const base = t.key ? policy.keyTaskWeight : 1;
    const times = dueTimes(t, ctx); // once per task: deductions and the tie-breaker both read it
    const deductions = taskDeductions(t, times, policy, ctx);
    const overdue = isOverdue(times);
    const closedEvidence: Evidence = {
      streamId: taskStream(t),
      revision: t.closed!.revision,
      type: 'TaskClosed',
    };
    const roles: Array<[string, 'lead unit' | 'co-unit', number, number]> = [
      [t.leadUnit, 'lead unit', base, 1],
      ...t.coUnits.map((u): [string, 'co-unit', number, number] => [
        u,
        'co-unit',
        base * policy.coUnitWeight,
        policy.coUnitDeductionShare,
      ]),
    ];
    for (const [unitId, role, weight, share] of roles) {
      const a = acc(unitId);
      a.byGrade[grade] += 1;
      a.weighted += policy.gradePoints[grade] * weight;
      a.weights += weight;
      if (overdue) a.overdue += 1;
      a.lines.push({
        kind: 'grade',
        taskId: t.taskId,
        weight,
        grade,
        points: round2(policy.gradePoints[grade] * weight),
        text: `${t.taskId} as ${role}${t.key ? ', key task' : ''}: ${grade} = ${policy.gradePoints[grade]} points × weight ${weight}`,
        evidence: [closedEvidence],
      });
      for (const d of deductions) {
        const points = round2(d.points * share);
        a.deductions += points;
        a.lines.push({
          kind: 'deduction',
          taskId: t.taskId,
          points: -points,
          text: `${t.taskId} as ${role}: ${d.text}${share !== 1 ? ` (${share} of ${d.points})` : ''}`,
          evidence: d.evidence,
        });
      }
    }
  }
  // Interviews count against the unit in the quarter they were held, if it is ranked that quarter.
  for (const [unitId, unit] of Object.entries(model.units))
    for (const i of unit.interviewsHeld)
      if (ctx.calendar.quarterOf(i.at) === quarter && units.has(unitId)) {
        const a = acc(unitId);
        a.deductions += policy.deductions.interview;
        a.lines.push({
          kind: 'deduction',
          points: -policy.deductions.interview,
          text: `interview ${i.id} held on ${ctx.calendar.localDateTime(i.at)} (约谈)`,
          evidence: [{ streamId: `unit-${unitId}`, revision: i.revision, type: 'InterviewRecorded' }],
        });
      }

  const scored = [...units.entries()].map(([unitId, a]) => {
    const average = round2(a.weighted / a.weights);
    const deductions = round2(a.deductions);
    const lines: ScoreLine[] = [
      ...a.lines.filter((l) => l.kind === 'grade'),
      {
        kind: 'average',
        points: average,
        text: `weighted average: ${round2(a.weighted)} / ${round2(a.weights)} = ${average}`,
        evidence: [],
      },
      ...a.lines.filter((l) => l.kind === 'deduction'),
    ];
    return {
      unitId,
      quarter,
      score: round2(average - deductions),
      average,
      deductions,
      weights: round2(a.weights),
      tasksByGrade: a.byGrade,
      overdue: a.overdue,
      lines,
    };
  });
  scored.sort((a, b) => b.score - a.score || a.overdue - b.overdue || a.unitId.localeCompare(b.unitId));
  // Competition ranking: units equal on score and overdue items share a rank (1, 2, 2, 4).
  return scored.map((s, i, all) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && all[j]!.score === s.score && all[j]!.overdue === s.overdue; j--)
      rank = j + 1;
    return { ...s, rank };
  });
};

/** Every quarter in which some task was closed, in order. */
export const quartersOf = (model: SupervisionModel, ctx: DomainContext): string[] =>
  [
    ...new Set(
      Object.values(model.tasks)
        .filter((t) => t.closed)
        .map((t) => ctx.calendar.quarterOf(t.closed!.at)),
    ),
  ].sort();
