import {
  canRead,
  defaultContext,
  readsEverything,
  scoringPolicyFor,
  type Actor,
  type AnnualEvaluation,
  type DomainContext,
  type ScoringPolicy,
} from '@duban/domain';
import {
  accountabilityFlags,
  annualEvaluationOf,
  contextOf,
  projectStages,
  quarterEnd,
  quarterScorecard,
  quartersOf,
  taskBoard,
  warnings,
  type AccountabilityFlag,
  type ProjectStanding,
  type UnrankedUnit,
  type SupervisionModel,
  type TaskCard,
  type UnitScore,
  type Warning,
} from '@duban/engine';
import { NO_NAMES, type UnitNames } from './labels';

/**
 * Everything a quarterly report (通报) shows, computed once from the supervision model with the
 * engine's projections: rankings with explained scores per quarter (the published 通报 where the office
 * published one), trends, warnings, flags, the task board, the rules it was scored under. The table, JSON,
 * CSV and HTML renderings all read this one value.
 */
export interface QuarterReport {
  readonly quarter: string;
  readonly ranking: readonly UnitScore[];
  /** Units with work in the quarter and nothing graded, with why. */
  readonly unranked: readonly UnrankedUnit[];
  readonly flags: readonly AccountabilityFlag[];
  /** The 通报 as published (frozen), when the office published this quarter. */
  readonly published?: { readonly at: string; readonly revision: number; readonly policy: string };
  /** The scoring policy the quarter was (or would be) scored under. */
  readonly policy: string;
}

export interface TrendLine {
  readonly unitId: string;
  readonly points: ReadonlyArray<{
    readonly quarter: string;
    readonly score?: number;
    readonly rank?: number;
  }>;
}

/** Where the rules a report was computed under come from, in one line a reader can check. */
export interface RulesSource {
  /** The office's record, or none: then the defaults. */
  readonly office?: {
    readonly officeId: string;
    readonly name: string;
    readonly calendars: readonly number[];
  };
  readonly text: string;
}

export interface ReportData {
  readonly source: string;
  /** The instant warnings and the board are read at. */
  readonly asOf: string;
  readonly events: number;
  /** The quarter asked for: the one the table, CSV and the demo print. */
  readonly quarter: string;
  /** Every quarter with something graded (and the one asked for), in order. */
  readonly quarters: readonly QuarterReport[];
  readonly trend: readonly TrendLine[];
  readonly warnings: readonly Warning[];
  readonly board: readonly TaskCard[];
  readonly names: UnitNames;
  /** The policy of the quarter asked for. */
  readonly policy: ScoringPolicy;
  readonly rules: RulesSource;
  /** What a reader must know to read the report right (a quarter not over, an --as-of past the end). */
  readonly notes: readonly string[];
  /** Whom the report is read as (--as); absent: everything, as an auditor reads it. */
  readonly readAs?: Actor;
}

export interface BuildReportOptions {
  readonly source: string;
  readonly model: SupervisionModel;
  readonly asOf: string;
  /** The defaults, for a history that keeps no office record. */
  readonly ctx: DomainContext;
  readonly quarter?: string;
  /** A policy given on the command line: used for every quarter instead of the office's. */
  readonly policy?: ScoringPolicy;
  readonly names?: UnitNames;
  readonly notes?: readonly string[];
  /**
   * Read as this actor (在一定范围内): its tasks on the board and in warnings, published 通报 whole,
   * unpublished rankings, standings and flags narrowed to what it may read (a unit: its own lines).
   */
  readonly as?: Actor;
}

/** The rules a report is read under: the office's record when the history keeps one, else the defaults. */
export const rulesSource = (model: SupervisionModel, override?: boolean): RulesSource => {
  const o = model.office;
  const policy = override ? '; scoring policy from --policy' : '';
  if (!o.established)
    return {
      text: `No office record in this history: the default calendar (Monday to Friday, UTC+8, no 调休), the 13710 time limits and the default scoring policy${policy}`,
    };
  const years = [...new Set(o.calendars.map((c) => c.year))].sort();
  return {
    office: { officeId: o.officeId, name: o.name, calendars: years },
    text: `Rules from the office's record (${o.name}): ${years.length > 0 ? `calendar ${years.join(', ')}` : 'no calendar adopted (Monday to Friday)'}, ${o.profiles.length > 0 ? `time-limit profile ${o.profiles.at(-1)!.profile.name}` : '13710 time limits'}, ${o.scoringPolicies.length > 0 ? `scoring policies ${o.scoringPolicies.map((p) => `${p.name} from ${p.fromQuarter}`).join(', ')}` : 'the default scoring policy'}${policy}`,
  };
};

const fromPublished = (p: NonNullable<SupervisionModel['office']['rankings'][string]>): UnitScore[] =>
  p.units.map((u) => ({ ...u, quarter: p.quarter, lines: u.lines.map((l) => ({ ...l })) }));

export const buildReport = (options: BuildReportOptions): ReportData => {
  const { model } = options;
  const defaults = options.ctx;
  const at = (instant: string) => contextOf(model, instant, defaults);
  const policyOf = (q: string) => options.policy ?? scoringPolicyFor(model.office, q).policy;
  const ctxNow = at(options.asOf);
  const scope = options.as ? { as: options.as } : {};
  const known = quartersOf(model, ctxNow);
  const quarter = options.quarter ?? known.at(-1) ?? ctxNow.calendar.quarterOf(options.asOf);
  const all = [...new Set([...known, quarter])].sort();
  const quarters = all.map((q): QuarterReport => {
    const end = quarterEnd(q, ctxNow);
    const ctx = at(Date.parse(end) < Date.parse(options.asOf) ? end : options.asOf);
    const published = options.policy ? undefined : model.office.rankings[q];
    const inForce = scoringPolicyFor(model.office, q);
    const card = published ? undefined : quarterScorecard(model, q, policyOf(q), ctx, scope);
    return {
      quarter: q,
      ranking: published ? fromPublished(published) : card!.ranked,
      unranked: published ? published.unranked.map((u) => ({ ...u, quarter: q })) : card!.unranked,
      flags: accountabilityFlags(model, q, policyOf(q), ctx, scope),
      ...(published
        ? { published: { at: published.at, revision: published.revision, policy: published.policy.name } }
        : {}),
      policy: options.policy ? '--policy' : inForce.name,
    };
  });
  const units = [...new Set(quarters.flatMap((q) => q.ranking.map((s) => s.unitId)))].sort();
  const trend = units.map((unitId) => ({
    unitId,
    points: quarters.map((q) => {
      const s = q.ranking.find((x) => x.unitId === unitId);
      return s ? { quarter: q.quarter, score: s.score, rank: s.rank } : { quarter: q.quarter };
    }),
  }));
  const policy = policyOf(quarter);
  return {
    source: options.source,
    asOf: options.asOf,
    events: model.events,
    quarter,
    quarters,
    trend,
    warnings: warnings(model, options.asOf, policy.accountability, ctxNow, scope),
    board: taskBoard(model, options.asOf, ctxNow, scope),
    names: options.names ?? NO_NAMES,
    policy,
    rules: rulesSource(model, options.policy !== undefined),
    notes: options.notes ?? [],
    ...(options.as ? { readAs: options.as } : {}),
  };
};

/**
 * What an empty ranking means to its reader: nothing graded, or — read as a unit or section before the
 * 通报 is published — nothing this reader may read yet.
 */
export const emptyRankingText = (data: ReportData, q: QuarterReport): string => {
  const reader = data.readAs;
  if (!reader || q.published || readsEverything(reader))
    return `Nothing was closed in ${q.quarter} or overdue at its end: nobody to rank.`;
  return reader.kind === 'unit'
    ? `${reader.unitId ?? reader.id} has no score in ${q.quarter}; other units' scores are read once the 通报 is published.`
    : `Units' scores for ${q.quarter} are read once the 通报 is published.`;
};

export const selectedQuarter = (data: ReportData): QuarterReport =>
  data.quarters.find((q) => q.quarter === data.quarter)!;

/** A year's evaluation (年度评价): as published, or as the published (else computed) quarters give it. */
export interface AnnualReport {
  readonly year: number;
  readonly evaluation: AnnualEvaluation;
  readonly published?: { readonly at: string; readonly revision: number };
  readonly sent: ReadonlyArray<{
    readonly recipient: string;
    readonly reference: string;
    readonly at: string;
  }>;
  /** How the quarters behind it stand: published, or computed as of the report. */
  readonly quarters: ReadonlyArray<{ readonly quarter: string; readonly published: boolean }>;
}

/**
 * `unscoped` is the same report read as everyone: a year not published is computed from every unit's
 * quarters, then narrowed to what `data.readAs` may read, so a unit's annual rank is its rank among all.
 */
export const buildAnnualReport = (
  data: ReportData,
  model: SupervisionModel,
  year: number,
  unscoped: ReportData = data,
): AnnualReport => {
  const own = model.office.annual[String(year)];
  const sent = model.office.resultsSent
    .filter((r) => r.year === year)
    .map((r) => ({ recipient: r.recipient, reference: r.reference, at: r.at }));
  const quarters = data.quarters
    .filter((q) => q.quarter.startsWith(`${year}Q`))
    .map((q) => ({ quarter: q.quarter, published: q.published !== undefined }));
  if (own) {
    const { revision, at, ...evaluation } = own;
    return { year, evaluation, published: { at, revision }, sent, quarters };
  }
  // Not published: the same rule, over the quarters as the report shows them (published or computed).
  const preview = Object.fromEntries(
    unscoped.quarters
      .filter((q) => q.quarter.startsWith(`${year}Q`) && !q.published)
      .map((q) => [q.quarter, q.ranking]),
  );
  const evaluation = annualEvaluationOf(model, year, defaultContext(), preview);
  const reader = data.readAs;
  return {
    year,
    evaluation: reader
      ? {
          ...evaluation,
          units: evaluation.units.filter((u) =>
            canRead(reader, { kind: 'assessment', unitId: u.unitId, published: false }),
          ),
        }
      : evaluation,
    sent,
    quarters,
  };
};

/** Every major special project (重大专项) the history's tasks name, in order. */
export const projectsOf = (model: SupervisionModel): string[] =>
  [
    ...new Set(
      Object.values(model.tasks)
        .map((t) => t.project)
        .filter((p): p is string => p !== undefined),
    ),
  ].sort();

/** A major special project's staged 通报 (对重大专项工作落实情况按实施阶段排队通报), as of the report. */
export interface ProjectReport {
  readonly project: string;
  readonly standings: readonly ProjectStanding[];
  /** Tasks of the project in all, whoever reads. */
  readonly tasks: number;
}

export const buildProjectReport = (
  model: SupervisionModel,
  project: string,
  asOf: string,
  defaults: DomainContext,
  as?: Actor,
): ProjectReport => ({
  project,
  standings: projectStages(model, project, asOf, contextOf(model, asOf, defaults), as ? { as } : {}),
  tasks: Object.values(model.tasks).filter((t) => t.project === project && t.assigned).length,
});
