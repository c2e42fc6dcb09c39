import { dueTimes, OFFICE_STREAM_ID, scoringPolicyFor, type DomainContext } from '@duban/domain';
import type { ScoringPolicy } from '@duban/domain';
import { compareIds, tasksById } from './task-order';
import { readable, type ReadAs } from './read-as';
import type { SupervisionModel } from './supervision-model';
import { previousQuarter, quarterEnd, quarterStart } from './quarters';
import { quartersOf, unitScorecard, type Evidence } from './unit-scorecard';

/**
 * 约谈问责: units to interview (约谈主要负责人或分管负责人) or to refer (移交纪检监察机关), as of the end
 * of a quarter. The flags suggest; the main leader or the inspection office acts, as commands on the
 * unit's stream (ScheduleInterview, RecordInterview, ReferToDiscipline).
 */
export interface AccountabilityFlag {
  readonly unitId: string;
  readonly action: 'interview' | 'referral';
  readonly reason:
    | 'ranked-low' // 落实不力: bottom of this quarter's ranking
    | 'seriously-behind' // 进度严重滞后
    | 'rectification-not-done' // 整改不到位
    | 'ranked-low-repeatedly' // 多次排名靠后
    | 'interviewed-repeatedly' // 多次被约谈
    | 'long-unrectified'; // 久拖不改
  readonly text: string;
  readonly evidence: readonly Evidence[];
}

export const accountabilityFlags = (
  model: SupervisionModel,
  quarter: string,
  policy: ScoringPolicy,
  ctx: DomainContext,
  /** With `as`: the flags the reader may read (a unit: its own; a section: none). */
  options: ReadAs = {},
): AccountabilityFlag[] => {
  const p = policy.accountability;
  const flags: AccountabilityFlag[] = [];
  const end = quarterEnd(quarter, ctx);
  const known = new Set(quartersOf(model, ctx));
  /**
   * Ranked low: among the last `bottomN` of a ranking of at least `minRankedUnits`, and below the line —
   * in the published 通报 when the quarter has one (what the units were told), else as computed now.
   */
  const lowOf = (q: string): Map<string, Evidence[]> => {
    const published = model.office.rankings[q];
    const ranking: ReadonlyArray<{
      unitId: string;
      score: number;
      lines: ReadonlyArray<{ kind: string; evidence: readonly Evidence[] }>;
    }> = published ? published.units : unitScorecard(model, q, scoringPolicyFor(model.office, q).policy, ctx);
    const out = new Map<string, Evidence[]>();
    if (ranking.length < p.minRankedUnits) return out;
    // The evidence: the published 通报 when there is one, else the graded events the score rests on.
    for (const s of ranking.slice(Math.max(0, ranking.length - p.bottomN)))
      if (s.score < p.lowRankBelowScore)
        out.set(
          s.unitId,
          published
            ? [
                {
                  streamId: OFFICE_STREAM_ID,
                  revision: published.revision,
                  type: 'QuarterlyRankingPublished',
                },
              ]
            : s.lines.filter((l) => l.kind === 'grade').flatMap((l) => l.evidence),
        );
    return out;
  };

  // Each quarter's ranking scored once: every low unit walks back through the same earlier quarters.
  const lows = new Map<string, Map<string, Evidence[]>>();
  const low = (q: string): Map<string, Evidence[]> => {
    let found = lows.get(q);
    if (!found) lows.set(q, (found = lowOf(q)));
    return found;
  };

  for (const [unitId, evidence] of low(quarter)) {
    let run = 1;
    for (let q = previousQuarter(quarter); known.has(q) && low(q).has(unitId); q = previousQuarter(q))
      run += 1;
    flags.push({
      unitId,
      action: 'interview',
      reason: 'ranked-low',
      text: `among the last ${p.bottomN} of ${quarter}'s ranking, below ${p.lowRankBelowScore}`,
      evidence,
    });
    if (run >= p.consecutiveQuartersForReferral)
      flags.push({
        unitId,
        action: 'referral',
        reason: 'ranked-low-repeatedly',
        text: `among the last ${p.bottomN}, below ${p.lowRankBelowScore}, for ${run} consecutive quarters`,
        evidence,
      });
  }

  for (const t of tasksById(model)) {
    if (!t.assigned || Date.parse(t.assigned.at) > Date.parse(end)) continue;
    const stream = `task-${t.taskId}`;
    const deadline = dueTimes(t, ctx).find((d) => d.kind === 'deadline')!;
    const doneAt = deadline.metBy?.at ?? end;
    if (Date.parse(doneAt) > Date.parse(deadline.due)) {
      const late = ctx.calendar.workingDaysBetween(deadline.due, doneAt);
      if (late >= p.severeDelayWorkingDays)
        flags.push({
          unitId: t.leadUnit,
          action: 'interview',
          reason: 'seriously-behind',
          text: `${t.taskId} ${deadline.metBy ? 'was' : 'is'} ${late} working days past its deadline ${ctx.calendar.localDateTime(deadline.due)}`,
          evidence: t.deadlinesMissed.map((f) => ({
            streamId: stream,
            revision: f.revision,
            type: 'DeadlineMissed',
          })),
        });
    }
    for (const r of t.rectifications) {
      if (Date.parse(r.opened.at) > Date.parse(end)) continue;
      const failed = r.lookBacks.filter((l) => l.result === 'failed' && Date.parse(l.at) <= Date.parse(end));
      const unfinished = r.status !== 'passed' && r.status !== 'completed';
      const overdueDays =
        unfinished && Date.parse(end) > Date.parse(r.dueBy)
          ? ctx.calendar.workingDaysBetween(r.dueBy, end)
          : 0;
      const evidence: Evidence[] = [
        { streamId: stream, revision: r.opened.revision, type: 'RectificationOpened' },
        ...failed.map((l) => ({ streamId: stream, revision: l.revision, type: 'LookBackReviewed' })),
      ];
      if (r.status === 'failed' || overdueDays > 0)
        flags.push({
          unitId: t.leadUnit,
          action: 'interview',
          reason: 'rectification-not-done',
          text: `${t.taskId} rectification ${r.id} ${r.status === 'failed' ? 'failed its look-back' : `is ${overdueDays} working days past due ${ctx.calendar.localDateTime(r.dueBy)}`}`,
          evidence,
        });
      if (overdueDays >= p.longUnrectifiedWorkingDays)
        flags.push({
          unitId: t.leadUnit,
          action: 'referral',
          reason: 'long-unrectified',
          text: `${t.taskId} rectification ${r.id} unfinished ${overdueDays} working days after ${ctx.calendar.localDateTime(r.dueBy)}`,
          evidence,
        });
    }
  }

  // 多次被约谈: counted within a window of quarters ending with this one, so a unit is not flagged
  // every quarter for ever once it was interviewed twice.
  let first = quarter;
  for (let k = 1; k < p.interviewWindowQuarters; k++) first = previousQuarter(first);
  const windowStart = Date.parse(quarterStart(first, ctx));
  for (const [unitId, unit] of Object.entries(model.units)) {
    const held = unit.interviewsHeld.filter(
      (i) => Date.parse(i.at) <= Date.parse(end) && Date.parse(i.at) >= windowStart,
    );
    if (held.length >= p.interviewsForReferral)
      flags.push({
        unitId,
        action: 'referral',
        reason: 'interviewed-repeatedly',
        text: `interviewed ${held.length} times from ${first} to ${quarter}`,
        evidence: held.map((i) => ({
          streamId: `unit-${unitId}`,
          revision: i.revision,
          type: 'InterviewRecorded',
        })),
      });
  }
  return flags
    .filter((f) => readable(options, { kind: 'assessment', unitId: f.unitId, published: false }))
    .sort(
      (a, b) =>
        compareIds(a.unitId, b.unitId) || compareIds(a.action, b.action) || compareIds(a.reason, b.reason),
    );
};
