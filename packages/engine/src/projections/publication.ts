import type { AnnualEvaluation, DomainContext, PublishedRanking } from '@duban/domain';
import { DEFAULT_SCORING_POLICY } from '@duban/domain';
import { contextOf, type SupervisionModel } from './supervision-model';
import { quarterEnd, quartersOfYear } from './quarters';
import { unitScorecard } from './unit-scorecard';

/**
 * What a 通报 freezes: the quarter's ranking as the scorecard computes it from the history at the moment
 * of publication, with the rules in force at the quarter's end, every line with its evidence.
 */
export const rankingToPublish = (
  model: SupervisionModel,
  quarter: string,
  defaults: DomainContext,
): PublishedRanking => {
  const zone = model.office.established ? model.office.utcOffsetMinutes : defaults.calendar.utcOffsetMinutes;
  const asOf = quarterEnd(quarter, { calendar: { utcOffsetMinutes: zone } });
  const ctx = contextOf(model, asOf, defaults);
  const scores = unitScorecard(model, quarter, DEFAULT_SCORING_POLICY, ctx);
  return {
    quarter,
    asOf,
    policy: { name: 'default', revision: -1 },
    units: scores.map((s) => ({
      unitId: s.unitId,
      rank: s.rank,
      score: s.score,
      average: s.average,
      deductions: s.deductions,
      weights: s.weights,
      overdue: s.overdue,
      tasksByGrade: { ...s.tasksByGrade },
      lines: s.lines.map((l) => ({
        kind: l.kind,
        text: l.text,
        points: l.points,
        evidence: l.evidence.map((e) => ({ ...e })),
        ...(l.taskId === undefined ? {} : { taskId: l.taskId }),
        ...(l.weight === undefined ? {} : { weight: l.weight }),
        ...(l.grade === undefined ? {} : { grade: l.grade }),
      })),
    })),
    unranked: [],
  };
};

/** 年度评价 by default: the mean of a unit's published quarterly scores, ranked, in bands. */
export const ANNUAL_RULE = {
  text: 'mean of the published quarterly scores of the year; bands: 90 and above 优秀, 80 良好, 60 合格, below 不合格',
  bands: [
    { min: 90, label: '优秀 excellent' },
    { min: 80, label: '良好 good' },
    { min: 60, label: '合格 satisfactory' },
    { min: Number.NEGATIVE_INFINITY, label: '不合格 unsatisfactory' },
  ],
} as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The year's evaluation of every unit ranked in a published quarter of that year. */
export const annualEvaluationOf = (
  model: SupervisionModel,
  year: number,
  _defaults: DomainContext,
): AnnualEvaluation => {
  const byUnit = new Map<string, Array<{ quarter: string; score: number; rank: number }>>();
  for (const quarter of quartersOfYear(year)) {
    const published = model.office.rankings[quarter];
    if (!published) continue;
    for (const u of published.units) {
      const list = byUnit.get(u.unitId) ?? [];
      list.push({ quarter, score: u.score, rank: u.rank });
      byUnit.set(u.unitId, list);
    }
  }
  const scored = [...byUnit.entries()]
    .map(([unitId, quarters]) => {
      const score = round2(quarters.reduce((sum, q) => sum + q.score, 0) / quarters.length);
      const band = ANNUAL_RULE.bands.find((b) => score >= b.min)!.label;
      return {
        unitId,
        score,
        band,
        quarters,
        text: `${quarters.map((q) => `${q.quarter} ${q.score}`).join(' + ')} / ${quarters.length} = ${score} → ${band}`,
      };
    })
    .sort((a, b) => b.score - a.score || a.unitId.localeCompare(b.unitId));
  return {
    year,
    rule: ANNUAL_RULE.text,
    units: scored.map((s, i, all) => {
      let rank = i + 1;
      for (let j = i - 1; j >= 0 && all[j]!.score === s.score; j--) rank = j + 1;
      return { ...s, rank };
    }),
  };
};
