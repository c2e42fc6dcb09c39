import { promises as fs } from 'node:fs';
import { defaultContext, type DomainContext } from '@duban/domain';
import type { ScoringPolicy } from '@duban/engine';
import { loadHistory, parseInstant, parseQuarter } from './history';
import { renderHtmlReport } from './html-report';
import { EXIT, resolvePath, usageError, writeAll, writeLine, type CliIO } from './io';
import { localTime, type UnitNames } from './labels';
import { buildReport, selectedQuarter, type ReportData } from './reporting';
import { explanations, flagsTable, rankingTable, warningsTable } from './tables';

/**
 * `duban report SOURCE --quarter 2022Q1 [--format table|json|csv|html] [--out FILE]`: the quarterly
 * scorecard and ranking (按季度通报评分排名) with every line of every score, the warnings and the
 * accountability flags. HTML is one self-contained page with every quarter, trends and task timelines.
 */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  readonly quarter?: string;
  readonly format?: ReportFormat;
  readonly out?: string;
  readonly asOf?: string;
  readonly names?: UnitNames;
  readonly policy?: ScoringPolicy;
  readonly ctx?: DomainContext;
}

export const reportCommand = async (
  io: CliIO,
  spec: string,
  options: ReportOptions = {},
): Promise<number> => {
  const ctx = options.ctx ?? defaultContext();
  const format = options.format ?? 'table';
  if (!REPORT_FORMATS.includes(format))
    throw usageError(`--format ${format}: one of ${REPORT_FORMATS.join(', ')}`);
  const quarter = options.quarter === undefined ? undefined : parseQuarter(options.quarter);
  const asOf = options.asOf === undefined ? undefined : parseInstant(options.asOf);
  const history = await loadHistory(io, spec, {
    ...(asOf ? { asOf } : {}),
    ...(format === 'html' ? { keep: () => true } : {}),
  });
  const data = buildReport({
    source: history.label,
    model: history.model,
    asOf: asOf ?? history.lastAt!,
    ctx,
    ...(quarter ? { quarter } : {}),
    ...(options.names ? { names: options.names } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const text =
    format === 'json'
      ? `${JSON.stringify(reportJson(data), null, 2)}\n`
      : format === 'csv'
        ? reportCsv(data)
        : format === 'html'
          ? renderHtmlReport(data, history.kept, ctx)
          : reportTable(data, ctx);
  if (options.out) {
    await fs.writeFile(resolvePath(io, options.out), text);
    writeLine(io.stderr, `wrote the ${data.quarter} report (${format}) to ${options.out}`);
  } else await writeAll(io.stdout, text);
  return EXIT.ok;
};

export const reportTable = (
  data: ReportData,
  ctx: DomainContext,
  options: { explain?: boolean } = {},
): string => {
  const q = selectedQuarter(data);
  const out: string[] = [];
  out.push(
    `通报 Quarterly ranking ${q.quarter} — ${data.source}, ${data.events} events, as of ${localTime(data.asOf, ctx)}`,
  );
  out.push(
    q.ranking.length > 0
      ? rankingTable(q.ranking, data.names)
      : `No task was closed in ${q.quarter}: nobody to rank.`,
  );
  if (options.explain !== false && q.ranking.length > 0) {
    out.push(
      '',
      '评分说明 How each score was computed (points × weight, weighted average, deductions; [stream@revision] is the evidence)',
    );
    out.push(explanations(q.ranking, data.names));
  }
  out.push('', `预警 Warnings as of ${localTime(data.asOf, ctx)} (苗头性、倾向性问题)`);
  out.push(data.warnings.length > 0 ? warningsTable(data.warnings, data.names) : 'none');
  out.push('', `约谈问责 Accountability flags for ${q.quarter}`);
  out.push(q.flags.length > 0 ? flagsTable(q.flags, data.names) : 'none');
  return `${out.join('\n')}\n`;
};

export const reportJson = (data: ReportData) => {
  const q = selectedQuarter(data);
  return {
    source: data.source,
    asOf: data.asOf,
    events: data.events,
    quarter: q.quarter,
    ranking: q.ranking,
    warnings: data.warnings,
    accountabilityFlags: q.flags,
    quarters: data.quarters.map((x) => x.quarter),
    trend: data.trend,
    policy: data.policy,
  };
};

/** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
const csvField = (value: unknown): string => {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per line of every score, so a spreadsheet can sum and filter the explanation. */
export const reportCsv = (data: ReportData): string => {
  const q = selectedQuarter(data);
  const rows: unknown[][] = [
    [
      'quarter',
      'rank',
      'unit',
      'unit_name',
      'score',
      'average',
      'deductions',
      'overdue',
      'line',
      'task',
      'points',
      'text',
      'evidence',
    ],
  ];
  for (const s of q.ranking)
    for (const l of s.lines)
      rows.push([
        q.quarter,
        s.rank,
        s.unitId,
        data.names[s.unitId] ?? '',
        s.score,
        s.average,
        s.deductions,
        s.overdue,
        l.kind,
        l.taskId ?? '',
        l.points,
        l.text,
        l.evidence.map((e) => `${e.streamId}@${e.revision}`).join(' '),
      ]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
};
