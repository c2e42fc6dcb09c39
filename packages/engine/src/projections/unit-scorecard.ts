import {
  deadlineDueTime,
  dueTimes,
  limitDueTimes,
  metOnTime,
  OFFICE_STREAM_ID,
  scoringPolicyFor,
  suggestCoUnitGrade,
  suggestGrade,
  type DomainContext,
  type DueTime,
  type Grade,
  type TaskState,
} from '@duban/domain';
import type { ScoringPolicy } from '@duban/domain';
import { nextQuarter, quarterEnd, quarterIndexOf, quarterName, quarterStart } from './quarters';
import { compareIds, tasksById } from './task-order';
import { readable, type ReadAs } from './read-as';
import type { SupervisionModel } from './supervision-model';

/** An event that a score line rests on, so an auditor can open it. */
export interface Evidence {
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
}

/** One line of a score's explanation: what was added or deducted, and why. */
export interface ScoreLine {
  readonly kind: 'grade' | 'average' | 'deduction' | 'correction';
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
  const stream = taskStream(t);
  const calendar = ctx.calendar;
  const out: Array<{ text: string; points: number; evidence: Evidence[] }> = [];
  let feedback: DueTime | undefined;
  let deadline: DueTime | undefined;
  for (const d of times) {
    if (feedback === undefined && d.id === 'first-feedback') feedback = d;
    if (deadline === undefined && d.kind === 'deadline') deadline = d;
  }
  if (feedback && !metOnTime(feedback))
    out.push({
      text: `first feedback due ${calendar.localDateTime(feedback.due)} ${feedback.metBy ? `came ${calendar.localDateTime(feedback.metBy.at)}` : 'never came'} (未按时反馈)`,
      points: policy.deductions.lateFeedback,
      evidence: feedback.metBy
        ? [
            {
              streamId: stream,
              revision: feedback.metBy.revision,
              type: feedback.metByType ?? 'ProgressReported',
            },
          ]
        : [{ streamId: stream, revision: t.assigned!.revision, type: 'TaskAssigned' }],
    });
  if (deadline && !metOnTime(deadline))
    out.push({
      text: `closure applied for ${deadline.metBy ? calendar.localDateTime(deadline.metBy.at) : '(never)'} after the deadline ${calendar.localDateTime(deadline.due)} (逾期)`,
      points: policy.deductions.lateClosure,
      evidence: deadline.metBy
        ? [{ streamId: stream, revision: deadline.metBy.revision, type: 'ClosureRequested' }]
        : [],
    });
  for (const r of t.closureRejections)
    out.push({
      text: `closure sent back on ${calendar.localDateTime(r.at)} (不予办结)`,
      points: policy.deductions.closureSentBack,
      evidence: [{ streamId: stream, revision: r.revision, type: 'ClosureRejected' }],
    });
  for (const n of t.notices)
    out.push({
      text: `written supervision notice ${n.noticeNo} on ${calendar.localDateTime(n.at)} (书面督办通知书)`,
      points: policy.deductions.writtenNotice,
      evidence: [{ streamId: stream, revision: n.revision, type: 'SupervisionNoticeIssued' }],
    });
  return out;
};

const isOverdue = (times: readonly DueTime[]) => {
  const d = times.find((x) => x.kind === 'deadline');
  return d !== undefined && !metOnTime(d);
};

/** A unit listed in a quarter with nothing graded (only open tasks within their deadlines). */
export interface UnrankedUnit {
  readonly unitId: string;
  readonly quarter: string;
  readonly reason: string;
}

/** A quarter's scorecard: the ranked units, and those listed without a score, each with why. */
export interface QuarterScorecard {
  readonly quarter: string;
  readonly ranked: readonly UnitScore[];
  readonly unranked: readonly UnrankedUnit[];
}

type Acc = {
  lines: ScoreLine[];
  weighted: number;
  weights: number;
  deductions: number;
  overdue: number;
  byGrade: Record<Grade, number>;
};

/**
 * The quarterly scorecard (按季度通报评分排名). A task is graded in the quarter it was closed (by closure
 * date in the office's zone) with its final grade, and — while it stays open past its deadline — in each
 * quarter whose end finds it overdue, provisionally, with the grade the engine suggests as of that end
 * (a unit whose only task is two months overdue and never accepted ranks, with its deductions; an
 * overdue task weighs on every quarter it stays overdue). A unit's score is its weighted average grade
 * points less its deductions; a grade changed after its quarter was published is booked as a correction
 * in the quarter the change is recorded. Units with open tasks only, all within their deadlines, are
 * listed unranked. Every line names the events behind it. With `as`, the units the reader may read
 * (an assessment not yet published: a unit reads its own score, lines and rank, ranked among all).
 */
export const quarterScorecard = (
  model: SupervisionModel,
  quarter: string,
  policy: ScoringPolicy,
  ctx: DomainContext,
  options: ReadAs & {
    /** The instant the quarter is scored as of; default its end, or the history's latest event before it. */
    readonly asOf?: string;
  } = {},
): QuarterScorecard => {
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
  const start = Date.parse(quarterStart(quarter, ctx));
  // A quarter the history has not finished is scored as far as the history goes.
  const end = options.asOf ?? cutOf(quarter, model, ctx);
  const endMs = Date.parse(end);
  const onTrack = new Map<string, number>();

  const tasks = tasksById(model);
  // The quarter as a number: a task closed in it is found without naming each closure's quarter.
  const index = quarterIndexOf(start, ctx);
  const endLocal = ctx.calendar.localDateTime(end);
  /** Books one unit's part of a scored task: its grade line, then its share of each deduction. */
  const book = (
    t: TaskState,
    unitId: string,
    role: 'lead unit' | 'co-unit',
    own: Grade,
    weight: number,
    share: number,
    scored: {
      provisional: boolean;
      overdue: boolean;
      deadlineLocal: string;
      evidence: Evidence;
      deductions: ReturnType<typeof taskDeductions>;
    },
  ) => {
    const a = acc(unitId);
    a.byGrade[own] += 1;
    a.weighted += policy.gradePoints[own] * weight;
    a.weights += weight;
    if (scored.overdue) a.overdue += 1;
    const onOwnPart = role === 'co-unit' && (scored.provisional || t.closed!.coUnitGrades !== undefined);
    a.lines.push({
      kind: 'grade',
      taskId: t.taskId,
      weight,
      grade: own,
      points: round2(policy.gradePoints[own] * weight),
      text: scored.provisional
        ? `${t.taskId} as ${role}${t.key ? ', key task' : ''}: open past its deadline ${scored.deadlineLocal} on ${endLocal}, suggested ${own}${onOwnPart ? ' on its own part' : ''} = ${policy.gradePoints[own]} points × weight ${weight} (provisional: 逾期未办结)`
        : `${t.taskId} as ${role}${t.key ? ', key task' : ''}: ${own}${onOwnPart ? ' on its own part' : ''} = ${policy.gradePoints[own]} points × weight ${weight}`,
      evidence: [scored.evidence],
    });
    for (const d of scored.deductions) {
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
  };

  for (const t of tasks) {
    const assigned = t.assigned;
    if (!assigned || Date.parse(assigned.at) > endMs) continue;
    const closed = t.closed;
    const closedMs = closed ? Date.parse(closed.at) : Number.NaN;
    const closedHere =
      closed !== undefined && t.grade !== undefined && quarterIndexOf(closedMs, ctx) === index;
    const openAtEnd = !closed || closedMs > endMs;
    const overdueAtEnd = openAtEnd && Date.parse(t.deadline) < endMs;
    if (!closedHere && !overdueAtEnd) {
      if (openAtEnd && (!closed || closedMs >= start)) {
        onTrack.set(t.leadUnit, (onTrack.get(t.leadUnit) ?? 0) + 1);
        for (const unitId of t.coUnits) onTrack.set(unitId, (onTrack.get(unitId) ?? 0) + 1);
      }
      continue;
    }
    const provisional = !closedHere;
    // Once per task: the grade, the co-units' grades, the deductions and the tie-breaker all read them.
    // Graded at closure, a task's deductions and tie-breaker read only its first feedback and deadline:
    // the periodic reports and the rest of its limits are not worked out.
    const times = provisional ? dueTimes(t, ctx) : [...limitDueTimes(t, ctx), deadlineDueTime(t)];
    const grade: Grade = provisional ? suggestGrade(t, end, ctx, times).grade : t.grade!;
    const base = t.key ? policy.keyTaskWeight : 1;
    const scored = {
      provisional,
      overdue: isOverdue(times),
      deadlineLocal: provisional ? ctx.calendar.localDateTime(t.deadline) : '',
      evidence: provisional
        ? { streamId: taskStream(t), revision: assigned.revision, type: 'TaskAssigned' }
        : { streamId: taskStream(t), revision: closed!.revision, type: 'TaskClosed' },
      deductions: taskDeductions(t, times, policy, ctx),
    };
    book(t, t.leadUnit, 'lead unit', grade, base, 1, scored);
    for (const unitId of t.coUnits) {
      // A co-unit is graded on its own part (细化各自职责): its grade at closure, or as suggested now;
      // closures recorded before co-units were graded carry the task's grade for them.
      const own = provisional
        ? suggestCoUnitGrade(t, unitId, end, ctx, times).grade
        : (closed!.coUnitGrades?.find((c) => c.unitId === unitId)?.grade ?? grade);
      book(t, unitId, 'co-unit', own, base * policy.coUnitWeight, policy.coUnitDeductionShare, scored);
    }
  }

  // A grade changed after its quarter was published: the change is booked in the quarter it is recorded.
  const corrections: Array<{ unitId: string; line: ScoreLine }> = [];
  for (const t of tasks)
    for (const r of t.regrades) {
      if (ctx.calendar.quarterOf(r.at) !== quarter) continue;
      const published = Object.values(model.office.rankings)
        .filter((p) => p.quarter < quarter && Date.parse(p.at) < Date.parse(r.at))
        .flatMap((p) =>
          p.units.flatMap((u) =>
            u.lines
              .filter((l) => l.kind === 'grade' && l.taskId === t.taskId && l.grade === r.from)
              .map((l) => ({ p, u, l })),
          ),
        );
      for (const { p, u, l } of published) {
        const pointsThen = scoringPolicyFor(model.office, p.quarter).policy.gradePoints;
        const weight = l.weight ?? 1;
        const delta = round2(((pointsThen[r.to] - pointsThen[r.from]) * weight) / (u.weights || 1));
        if (delta === 0) continue;
        corrections.push({
          unitId: u.unitId,
          line: {
            kind: 'correction',
            taskId: t.taskId,
            points: delta,
            text: `${t.taskId} regraded ${r.from} → ${r.to} on ${ctx.calendar.localDateTime(r.at)}, after ${p.quarter}'s 通报: (${pointsThen[r.to]} − ${pointsThen[r.from]}) × weight ${weight} / ${u.weights} = ${delta} on ${p.quarter}'s score, booked here (更正)`,
            evidence: [
              { streamId: taskStream(t), revision: r.revision, type: 'TaskRegraded' },
              { streamId: OFFICE_STREAM_ID, revision: p.revision, type: 'QuarterlyRankingPublished' },
            ],
          },
        });
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

  const unranked: UnrankedUnit[] = [];
  for (const { unitId, line } of corrections) {
    const a = units.get(unitId);
    if (a) {
      a.deductions -= line.points;
      a.lines.push(line);
    } else
      unranked.push({
        unitId,
        quarter,
        reason: `nothing graded in ${quarter}; a correction of ${line.points} to an earlier 通报 is recorded: ${line.text}`,
      });
  }
  for (const [unitId, open] of [...onTrack.entries()].sort(([a], [b]) => compareIds(a, b)))
    if (!units.has(unitId) && !unranked.some((u) => u.unitId === unitId))
      unranked.push({
        unitId,
        quarter,
        reason: `nothing closed or overdue in ${quarter}: ${open} open task${open === 1 ? '' : 's'} within ${open === 1 ? 'its deadline' : 'their deadlines'}`,
      });

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
      ...a.lines.filter((l) => l.kind === 'deduction' || l.kind === 'correction'),
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
  scored.sort((a, b) => b.score - a.score || a.overdue - b.overdue || compareIds(a.unitId, b.unitId));
  // Competition ranking: units equal on score and overdue items share a rank (1, 2, 2, 4).
  const ranked = scored.map((s, i, all) => {
    let rank = i + 1;
    for (let j = i - 1; j >= 0 && all[j]!.score === s.score && all[j]!.overdue === s.overdue; j--)
      rank = j + 1;
    return { ...s, rank };
  });
  const mine = (u: { unitId: string }) =>
    readable(options, { kind: 'assessment', unitId: u.unitId, published: false });
  return { quarter, ranked: ranked.filter(mine), unranked: unranked.filter(mine) };
};

/** The ranked units of a quarter (see `quarterScorecard` for the rule and the unranked). */
export const unitScorecard = (
  model: SupervisionModel,
  quarter: string,
  policy: ScoringPolicy,
  ctx: DomainContext,
  options: ReadAs = {},
): UnitScore[] => [...quarterScorecard(model, quarter, policy, ctx, options).ranked];

/**
 * Every quarter with something graded, in order: a task closed, a task open past its deadline at the
 * end of a quarter that ended before the history's latest event, or a 通报 published.
 */
export const quartersOf = (model: SupervisionModel, ctx: DomainContext): string[] => {
  const quarters = new Set<string>(Object.keys(model.office.rankings));
  const last = model.lastAt === undefined ? undefined : Date.parse(model.lastAt);
  // Quarters as numbers, each one's cut worked out once: thousands of tasks ask about the same few.
  const found = new Set<number>();
  const cuts = new Map<number, number>();
  const cut = (q: number) => {
    let ms = cuts.get(q);
    if (ms === undefined) cuts.set(q, (ms = Date.parse(cutOf(quarterName(q), model, ctx))));
    return ms;
  };
  for (const t of Object.values(model.tasks)) {
    const closedMs = t.closed ? Date.parse(t.closed.at) : Number.POSITIVE_INFINITY;
    if (t.closed) found.add(quarterIndexOf(closedMs, ctx));
    if (!t.assigned || last === undefined) continue;
    const until = Math.min(last, closedMs);
    const deadline = Date.parse(t.deadline);
    if (until < deadline) continue; // no quarter from the deadline's to the end's
    const lastQuarter = quarterIndexOf(until, ctx);
    for (let q = quarterIndexOf(deadline, ctx); q <= lastQuarter; q++) {
      const ms = cut(q);
      if (ms > deadline && ms < closedMs) found.add(q);
    }
  }
  for (const q of found) quarters.add(quarterName(q));
  return [...quarters].sort();
};

/** The instant a quarter is scored as of: its end, or the history's latest event when that comes first. */
export const cutOf = (quarter: string, model: SupervisionModel, ctx: DomainContext): string => {
  const end = quarterEnd(quarter, ctx);
  return model.lastAt !== undefined && Date.parse(model.lastAt) < Date.parse(end)
    ? new Date(Date.parse(model.lastAt)).toISOString()
    : end;
};

/** The quarters from the one of `from` to the one of `to`, inclusive. */
export const quartersBetween = (from: string, to: string, ctx: DomainContext): string[] => {
  const out: string[] = [];
  if (Date.parse(to) < Date.parse(from)) return out;
  const last = ctx.calendar.quarterOf(to);
  for (let q = ctx.calendar.quarterOf(from); q <= last; q = nextQuarter(q)) out.push(q);
  return out;
};
