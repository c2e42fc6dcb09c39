import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from '@duban/domain';
import type { DomainContext } from '@duban/domain';
import {
  accountabilityFlags,
  quartersOf,
  taskBoard,
  unitScorecard,
  warnings,
  type AccountabilityFlag,
  type SupervisionModel,
  type TaskCard,
  type UnitScore,
  type Warning,
} from '@duban/engine';
import { NO_NAMES, type UnitNames } from './labels';

/**
 * Everything a quarterly report (通报) shows, computed once from the supervision model with the
 * engine's projections: rankings with explained scores per quarter, trends, warnings, flags, the
 * task board. The table, JSON, CSV and HTML renderings all read this one value.
 */
export interface QuarterReport {
  readonly quarter: string;
  readonly ranking: readonly UnitScore[];
  readonly flags: readonly AccountabilityFlag[];
}

export interface TrendLine {
  readonly unitId: string;
  readonly points: ReadonlyArray<{
    readonly quarter: string;
    readonly score?: number;
    readonly rank?: number;
  }>;
}

export interface ReportData {
  readonly source: string;
  /** The instant warnings and the board are read at. */
  readonly asOf: string;
  readonly events: number;
  /** The quarter asked for: the one the table, CSV and the demo print. */
  readonly quarter: string;
  /** Every quarter with closures (and the one asked for), in order. */
  readonly quarters: readonly QuarterReport[];
  readonly trend: readonly TrendLine[];
  readonly warnings: readonly Warning[];
  readonly board: readonly TaskCard[];
  readonly names: UnitNames;
  readonly policy: ScoringPolicy;
  /** What a reader must know to read the report right (a quarter not over, an --as-of past the end). */
  readonly notes: readonly string[];
}

export interface BuildReportOptions {
  readonly source: string;
  readonly model: SupervisionModel;
  readonly asOf: string;
  readonly ctx: DomainContext;
  readonly quarter?: string;
  readonly policy?: ScoringPolicy;
  readonly names?: UnitNames;
  readonly notes?: readonly string[];
}

export const buildReport = (options: BuildReportOptions): ReportData => {
  const { model, ctx } = options;
  const policy = options.policy ?? DEFAULT_SCORING_POLICY;
  const known = quartersOf(model, ctx);
  const quarter = options.quarter ?? known.at(-1) ?? ctx.calendar.quarterOf(options.asOf);
  const all = [...new Set([...known, quarter])].sort();
  const quarters = all.map((q) => ({
    quarter: q,
    ranking: unitScorecard(model, q, policy, ctx),
    flags: accountabilityFlags(model, q, policy, ctx),
  }));
  const units = [...new Set(quarters.flatMap((q) => q.ranking.map((s) => s.unitId)))].sort();
  const trend = units.map((unitId) => ({
    unitId,
    points: quarters.map((q) => {
      const s = q.ranking.find((x) => x.unitId === unitId);
      return s ? { quarter: q.quarter, score: s.score, rank: s.rank } : { quarter: q.quarter };
    }),
  }));
  return {
    source: options.source,
    asOf: options.asOf,
    events: model.events,
    quarter,
    quarters,
    trend,
    warnings: warnings(model, options.asOf, policy.accountability, ctx),
    board: taskBoard(model, options.asOf, ctx),
    names: options.names ?? NO_NAMES,
    policy,
    notes: options.notes ?? [],
  };
};

export const selectedQuarter = (data: ReportData): QuarterReport =>
  data.quarters.find((q) => q.quarter === data.quarter)!;
