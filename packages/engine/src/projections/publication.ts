import {
  scoringPolicyFor,
  type AnnualEvaluation,
  type DomainContext,
  type OfficeEvent,
  type PublishedRanking,
} from '@duban/domain';
import type { Envelope } from '../envelope/envelope';
import { canonicalJson } from '../envelope/hash-chain';
import { quarterEnd, quartersOfYear } from './quarters';
import { contextOf, supervisionProjection, type SupervisionModel } from './supervision-model';
import { quarterScorecard } from './unit-scorecard';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * What a 通报 freezes: the quarter's ranking as the scorecard computes it from the history at the moment
 * of publication, under the scoring policy in force for the quarter and the rules in force at its end,
 * every line with its evidence, and the units listed without a score.
 */
export const rankingToPublish = (
  model: SupervisionModel,
  quarter: string,
  defaults: DomainContext,
): PublishedRanking => {
  // Published once the quarter has ended: it is scored as of its end, whatever the history holds since.
  const asOf = quarterEnd(quarter, { calendar: { utcOffsetMinutes: zoneOf(model, defaults) } });
  const ctx = contextOf(model, asOf, defaults);
  const inForce = scoringPolicyFor(model.office, quarter);
  const card = quarterScorecard(model, quarter, inForce.policy, ctx, { asOf });
  return {
    quarter,
    asOf,
    policy: { name: inForce.name, revision: inForce.revision },
    units: card.ranked.map((s) => ({
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
        evidence: l.evidence.map((e) => ({ streamId: e.streamId, revision: e.revision, type: e.type })),
        ...(l.taskId === undefined ? {} : { taskId: l.taskId }),
        ...(l.weight === undefined ? {} : { weight: l.weight }),
        ...(l.grade === undefined ? {} : { grade: l.grade }),
      })),
    })),
    unranked: card.unranked.map((u) => ({ unitId: u.unitId, reason: u.reason })),
  };
};

const zoneOf = (model: SupervisionModel, defaults: DomainContext): number =>
  model.office.established ? model.office.utcOffsetMinutes : defaults.calendar.utcOffsetMinutes;

/** A unit's standing in one quarter, as an annual evaluation averages it. */
export interface QuarterStanding {
  readonly unitId: string;
  readonly score: number;
  readonly rank: number;
}

/**
 * 年度评价: for every unit ranked in a published quarter of the year, the mean of its published quarterly
 * scores, ranked, in the bands of the scoring policy in force for the year's last quarter.
 *
 * `preview` stands in for quarters the office has not published (a report read before publication): a
 * published quarter always counts as published, and the rule then names the quarters that were computed.
 */
export const annualEvaluationOf = (
  model: SupervisionModel,
  year: number,
  _defaults: DomainContext,
  preview: Readonly<Record<string, readonly QuarterStanding[]>> = {},
): AnnualEvaluation => {
  const { policy } = scoringPolicyFor(model.office, `${year}Q4`);
  const byUnit = new Map<string, Array<{ quarter: string; score: number; rank: number }>>();
  const computed: string[] = [];
  for (const quarter of quartersOfYear(year)) {
    const published = model.office.rankings[quarter]?.units;
    const standings = published ?? (Object.hasOwn(preview, quarter) ? preview[quarter] : undefined);
    if (!standings) continue;
    if (!published) computed.push(quarter);
    for (const u of standings) {
      const list = byUnit.get(u.unitId) ?? [];
      list.push({ quarter, score: u.score, rank: u.rank });
      byUnit.set(u.unitId, list);
    }
  }
  const bands = policy.annual.bands;
  const scored = [...byUnit.entries()]
    .map(([unitId, quarters]) => {
      const score = round2(quarters.reduce((sum, q) => sum + q.score, 0) / quarters.length);
      const band = (bands.find((b) => score >= b.min) ?? bands[bands.length - 1]!).label;
      return {
        unitId,
        score,
        band,
        quarters,
        text: `(${quarters.map((q) => `${q.quarter} ${q.score}`).join(' + ')}) / ${quarters.length} = ${score} → ${band}`,
      };
    })
    .sort((a, b) => b.score - a.score || a.unitId.localeCompare(b.unitId));
  return {
    year,
    rule: `the mean of the unit's ${computed.length > 0 ? `quarterly scores of ${year} (published; ${computed.join(', ')} computed, not yet published)` : `published quarterly scores of ${year}`}, in the bands ${bands.map((b) => `${b.label} from ${b.min}`).join(', ')}`,
    units: scored.map((s, i, all) => {
      let rank = i + 1;
      for (let j = i - 1; j >= 0 && all[j]!.score === s.score; j--) rank = j + 1;
      return { ...s, rank };
    }),
  };
};

/** A published 通报 or annual evaluation that the history before it does not reproduce. */
export interface PublicationMismatch {
  readonly type: 'QuarterlyRankingPublished' | 'AnnualEvaluationPublished';
  /** The quarter or the year. */
  readonly period: string;
  readonly revision: number;
  readonly detail: string;
}

/**
 * Replays publications: fed the history in global order, it recomputes every published ranking and
 * annual evaluation from the events before it, exactly as the engine did when it published, and
 * compares them byte for byte (canonical JSON). A mismatch means the history before a 通报 is not the
 * one it was computed from.
 */
export const createPublicationChecker = (defaults: DomainContext) => {
  const model = supervisionProjection.init();
  const mismatches: PublicationMismatch[] = [];
  let checked = 0;
  return {
    push(envelope: Envelope): void {
      if (envelope.type === 'QuarterlyRankingPublished' || envelope.type === 'AnnualEvaluationPublished') {
        checked += 1;
        const event = envelope as unknown as OfficeEvent;
        const { officeId: _o, at: _a, approval: _p, ...published } = event.data as Record<string, unknown>;
        const recomputed =
          envelope.type === 'QuarterlyRankingPublished'
            ? rankingToPublish(model, String(published.quarter), defaults)
            : annualEvaluationOf(model, Number(published.year), defaults);
        if (canonicalJson(recomputed) !== canonicalJson(published)) {
          const period = String(published.quarter ?? published.year);
          mismatches.push({
            type: envelope.type,
            period,
            revision: envelope.metadata.revision,
            detail: `the history before it gives another ${envelope.type === 'QuarterlyRankingPublished' ? 'ranking' : 'evaluation'} of ${period}: ${firstDifference(recomputed, published)}`,
          });
        }
      }
      supervisionProjection.apply(model, envelope);
    },
    report: () => ({ checked, mismatches: [...mismatches] }),
  };
};

/** The first path at which two JSON values differ, for a message. */
const firstDifference = (a: unknown, b: unknown, path = ''): string => {
  if (canonicalJson(a) === canonicalJson(b)) return '(none)';
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (canonicalJson(x ?? null) !== canonicalJson(y ?? null))
        return firstDifference(x, y, path ? `${path}.${k}` : k);
    }
  }
  return `${path || '(value)'}: recomputed ${JSON.stringify(a)?.slice(0, 80)}, published ${JSON.stringify(b)?.slice(0, 80)}`;
};
