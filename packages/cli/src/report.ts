import {
  canRead,
  defaultContext,
  readsEverything,
  type Actor,
  type DomainContext,
  type ScoringPolicy,
} from '@duban/domain';
import { quartersOf, type Envelope } from '@duban/engine';
import {
  asOfOf,
  loadHistory,
  parseInstant,
  parseQuarter,
  quarterLastDay,
  quarterStart,
  type LoadedHistory,
} from './history';
import { csv, csvChunks } from './csv';
import { renderHtmlReport } from './html-report';
import {
  CliError,
  EXIT,
  resolvePath,
  usageError,
  writeFileAtomically,
  chunkedWriter,
  writeLine,
  type ChunkedWriter,
  type CliIO,
} from './io';
import { FLAG_LABELS, WARNING_LABELS, localDate, localTime, unitLabel, type UnitNames } from './labels';
import { checkReaderKnown, parseReader, readerText } from './reader';
import {
  buildAnnualReport,
  buildProjectReport,
  buildReport,
  emptyRankingText,
  projectsOf,
  selectedQuarter,
  type AnnualReport,
  type ProjectReport,
  type ReportData,
} from './reporting';
import {
  annualTable,
  explanationLines,
  flagsTable,
  projectTable,
  rankingTable,
  unrankedLines,
  warningsTableChunks,
} from './tables';
import { inline, jsonText, terminalText } from './terminal';

/**
 * `duban report SOURCE --quarter 2022Q1 [--format …] [--out FILE]`: the quarterly scorecard and ranking
 * (按季度通报评分排名) with every line of every score, the warnings and the accountability flags. HTML
 * is one self-contained page with every quarter, trends and task timelines; the CSV formats are for
 * spreadsheets (UTF-8 with a byte-order mark, so Excel reads Chinese names right).
 */
export const REPORT_FORMATS = ['table', 'json', 'csv', 'csv-warnings', 'csv-flags', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FORMAT_HELP =
  'table; json; csv (one row per score line), csv-warnings, csv-flags (one row each; CSV is UTF-8 with a BOM for spreadsheets); html (one self-contained page)';

export interface ReportOptions {
  readonly quarter?: string;
  /** The year's evaluation instead of a quarter's ranking. */
  readonly year?: string;
  readonly format?: ReportFormat;
  readonly out?: string;
  readonly asOf?: string;
  readonly names?: UnitNames;
  readonly policy?: ScoringPolicy;
  readonly ctx?: DomainContext;
  /** Read as this actor, `KIND:ID` (--as); default: everything, as an auditor. */
  readonly as?: string;
  /** A major special project's staged 通报 instead of a quarter's ranking (--project). */
  readonly project?: string;
}

export const reportCommand = async (
  io: CliIO,
  spec: string,
  options: ReportOptions = {},
): Promise<number> => {
  const ctx = options.ctx ?? defaultContext();
  const format = options.format ?? 'table';
  if (!REPORT_FORMATS.includes(format))
    throw usageError(`--format ${inline(format)}: one of ${REPORT_FORMATS.join(', ')}`);
  if (options.year !== undefined && options.quarter !== undefined)
    throw usageError("--year and --quarter: give one (a year's evaluation, or a quarter's ranking)");
  const year = options.year === undefined ? undefined : parseYear(options.year);
  if (year !== undefined && (format === 'csv-warnings' || format === 'csv-flags'))
    throw usageError(`--year: the formats are table, json, csv and html`);
  if (options.project !== undefined && (year !== undefined || options.quarter !== undefined))
    throw usageError(
      "--project with --year or --quarter: give one (a project's staged 通报 as of --as-of, a year's evaluation, or a quarter's ranking)",
    );
  if (options.project !== undefined && (format === 'csv-warnings' || format === 'csv-flags'))
    throw usageError(`--project: the formats are table, json, csv and html`);
  const reader = options.as === undefined ? undefined : parseReader(options.as);
  const asked = options.quarter === undefined ? undefined : parseQuarter(options.quarter);
  const asOfOption = options.asOf === undefined ? undefined : parseInstant(options.asOf);
  const history = await loadHistory(io, spec, {
    ...(asOfOption ? { asOf: asOfOption } : {}),
    ...(format === 'html' ? { keep: () => true } : {}),
  });
  if (reader) checkReaderKnown(history.label, history.model, reader);
  const { asOf, note } = asOfOf(history, asOfOption, ctx);
  const project =
    options.project === undefined ? undefined : knownProject(history.label, history.model, options.project);
  // A year reads up to its last quarter the history reaches; a quarter defaults to the last one scored.
  const lastQuarter = ctx.calendar.quarterOf(history.lastAt!);
  const quarter =
    asked ??
    (year !== undefined
      ? `${year}Q4` <= lastQuarter
        ? `${year}Q4`
        : lastQuarter.startsWith(`${year}Q`)
          ? lastQuarter
          : `${year}Q4`
      : undefined) ??
    quartersOf(history.model, ctx).at(-1) ??
    ctx.calendar.quarterOf(asOf);
  const notes = [
    ...(note ? [note] : []),
    ...quarterNotes(history, quarter, asOf, asOfOption !== undefined, ctx),
  ];
  const data = buildReport({
    source: history.label,
    model: history.model,
    asOf,
    ctx,
    quarter,
    notes,
    ...(options.names ? { names: options.names } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(reader ? { as: reader } : {}),
  });
  // Only the table carries its notes in its text: elsewhere a person reads them on stderr.
  if (format !== 'table') for (const n of notes) writeLine(io.stderr, `note: ${n}`);
  // A year not published is computed from every unit's quarters, whoever reads it.
  const annual =
    year === undefined
      ? undefined
      : buildAnnualReport(
          data,
          history.model,
          year,
          reader ? buildReport({ source: history.label, model: history.model, asOf, ctx, quarter }) : data,
        );
  const projects = (project === undefined ? projectsOf(history.model) : [project]).map((p) =>
    buildProjectReport(history.model, p, asOf, ctx, reader),
  );
  const staged = project === undefined ? undefined : projects[0]!;
  const kept = reader ? history.kept.filter((e) => keptReadable(history.model, reader, e)) : history.kept;
  // Pieces of the output, made as they are written: the table's and CSVs' rows that grow with the
  // history are never one string. JSON and HTML are made whole (HTML holds every event anyway).
  const render = (): Iterable<string> => {
    if (staged)
      switch (format) {
        case 'json':
          return [
            `${jsonText({ source: data.source, asOf: data.asOf, ...readAsJson(data), notes, ...staged })}\n`,
          ];
        case 'csv':
          return [projectCsv(staged, data.names)];
        case 'html':
          return [renderHtmlReport(data, kept, ctx, undefined, projects)];
        default:
          return [projectText(data, staged, ctx)];
      }
    if (annual)
      switch (format) {
        case 'json':
          return [
            `${jsonText({ source: data.source, asOf: data.asOf, ...readAsJson(data), rules: data.rules, notes, ...annual })}\n`,
          ];
        case 'csv':
          return [annualCsv(annual, data.names)];
        case 'html':
          return [renderHtmlReport(data, kept, ctx, annual, projects)];
        default:
          return [annualText(data, annual, ctx)];
      }
    switch (format) {
      case 'json':
        return [`${jsonText(reportJson(data))}\n`];
      case 'csv':
        return reportCsvChunks(data);
      case 'csv-warnings':
        return warningsCsvChunks(data, ctx);
      case 'csv-flags':
        return [flagsCsv(data)];
      case 'html':
        return [renderHtmlReport(data, kept, ctx, undefined, projects)];
      case 'table':
        return reportTableChunks(data, ctx);
    }
  };
  const writeParts = async (writer: ChunkedWriter) => {
    for (const part of render()) await writer.write(part);
    await writer.flush();
  };
  if (options.out) {
    await writeFileAtomically(resolvePath(io, options.out), options.out, (out) =>
      writeParts(chunkedWriter(out, (text) => text)),
    );
    writeLine(
      io.stderr,
      `wrote the ${staged ? `${staged.project} project report` : annual ? `${annual.year} evaluation` : `${data.quarter} report`} (${format}) to ${options.out}`,
    );
  }
  // A table for a person is escaped for the terminal; JSON and HTML escape on their own; CSV fields are escaped.
  else await writeParts(chunkedWriter(io.stdout, format === 'table' ? terminalText : (text) => text));
  return EXIT.ok;
};

/**
 * A quarter is judged at its end. One that begins after the history's last event is not in the
 * history at all: refused, rather than flags computed over months nothing was recorded for. One that
 * ends after the "as of" instant is reported as far as the history goes, and the report says so.
 */
const quarterNotes = (
  history: LoadedHistory,
  quarter: string,
  asOf: string,
  asOfGiven: boolean,
  ctx: DomainContext,
): string[] => {
  const lastAt = history.lastAt!;
  const start = quarterStart(quarter, ctx);
  if (Date.parse(start) > Date.parse(lastAt))
    throw new CliError(
      `${history.label}: ${quarter} lies past the end of the history: its last event${asOfGiven ? ' up to --as-of' : ''} is at ${localTime(lastAt, ctx)}, ` +
        `and ${quarter} begins on ${localDate(start, ctx)}. Nothing of ${quarter} is recorded, so nothing can be ranked or flagged; ` +
        `report on ${ctx.calendar.quarterOf(lastAt)} or earlier, or on a history that reaches ${quarter}.`,
    );
  const lastDay = quarterLastDay(quarter);
  if (localDate(asOf, ctx) < lastDay)
    return [
      `${quarter} is not over as of ${localTime(asOf, ctx)} (it ends on ${lastDay}): the ranking counts the closures up to then, and the flags are judged at the quarter's end as though nothing more happens`,
    ];
  return [];
};

export const reportTable = (
  data: ReportData,
  ctx: DomainContext,
  options: { explain?: boolean } = {},
): string => [...reportTableChunks(data, ctx, options)].join('');

/**
 * The quarter's report as text, in pieces each ending with a line break: the score lines (one per
 * graded task) and the warnings (one per task warned) are made as they are written, never one string.
 */
export function* reportTableChunks(
  data: ReportData,
  ctx: DomainContext,
  options: { explain?: boolean } = {},
): Generator<string> {
  const q = selectedQuarter(data);
  const line = (text: string) => `${text}\n`;
  for (const l of readAsLines(data)) yield line(l);
  yield line(
    `通报 Quarterly ranking ${q.quarter} — ${inline(data.source)}, ${data.events} events, as of ${localTime(data.asOf, ctx)}`,
  );
  yield line(inline(data.rules.text));
  yield line(
    q.published
      ? `Published ${localTime(q.published.at, ctx)} (office record, revision ${q.published.revision}) under the ${inline(q.published.policy)} scoring policy: shown as published; a later change of grade is booked as a correction in the quarter it is recorded`
      : `Not published: computed from the history under the ${inline(q.policy)} scoring policy`,
  );
  for (const n of data.notes) yield line(`Note: ${n}`);
  yield line(q.ranking.length > 0 ? rankingTable(q.ranking, data.names) : inline(emptyRankingText(data, q)));
  if (q.unranked.length > 0) {
    yield line('');
    yield line(`未评分 Not ranked in ${q.quarter} (work in hand, nothing graded):`);
    yield line(unrankedLines(q.unranked, data.names));
  }
  if (options.explain !== false && q.ranking.length > 0) {
    yield line('');
    yield line(
      '评分说明 How each score was computed (points × weight, weighted average, deductions; [stream@revision] is the evidence)',
    );
    for (const l of explanationLines(q.ranking, data.names)) yield line(l);
  }
  yield line('');
  yield line(`预警 Warnings as of ${localTime(data.asOf, ctx)} (苗头性、倾向性问题)`);
  if (data.warnings.length > 0) yield* warningsTableChunks(data.warnings, data.names);
  else yield line('none');
  yield line('');
  yield line(`约谈问责 Accountability flags for ${q.quarter}`);
  yield line(q.flags.length > 0 ? flagsTable(q.flags, data.names) : 'none');
}

export const reportJson = (data: ReportData) => {
  const q = selectedQuarter(data);
  return {
    source: data.source,
    asOf: data.asOf,
    ...readAsJson(data),
    events: data.events,
    quarter: q.quarter,
    notes: data.notes,
    rules: data.rules,
    published: q.published ?? null,
    ranking: q.ranking,
    unranked: q.unranked,
    warnings: data.warnings,
    accountabilityFlags: q.flags,
    quarters: data.quarters.map((x) => x.quarter),
    trend: data.trend,
    policy: data.policy,
  };
};

const nameOf = (names: UnitNames, unitId: string): string => names.get(unitId) ?? '';

/** One row per line of every score, so a spreadsheet can sum and filter the explanation. */
export const reportCsv = (data: ReportData): string => [...reportCsvChunks(data)].join('');

/** `reportCsv` a row at a time: a row per graded task of the quarter. */
export const reportCsvChunks = (data: ReportData): Generator<string> => {
  const q = selectedQuarter(data);
  return csvChunks(
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
    (function* () {
      for (const s of q.ranking)
        for (const l of s.lines)
          yield [
            q.quarter,
            s.rank,
            s.unitId,
            nameOf(data.names, s.unitId),
            s.score,
            s.average,
            s.deductions,
            s.overdue,
            l.kind,
            l.taskId ?? '',
            l.points,
            l.text,
            l.evidence.map((e) => `${e.streamId}@${e.revision}`).join(' '),
          ];
    })(),
  );
};

/** One row per warning (苗头性、倾向性问题), as of the report's instant. */
export const warningsCsv = (data: ReportData, ctx: DomainContext): string =>
  [...warningsCsvChunks(data, ctx)].join('');

/** `warningsCsv` a row at a time: a row per task warned. */
export const warningsCsvChunks = (data: ReportData, ctx: DomainContext): Generator<string> =>
  csvChunks(
    ['as_of', 'task', 'lead_unit', 'lead_unit_name', 'warning', 'warning_zh', 'detail', 'evidence'],
    (function* () {
      for (const w of data.warnings)
        yield [
          localTime(data.asOf, ctx),
          w.taskId,
          w.leadUnit,
          nameOf(data.names, w.leadUnit),
          w.kind,
          WARNING_LABELS[w.kind] ?? '',
          w.text,
          w.revisions.map((r) => `task-${w.taskId}@${r}`).join(' '),
        ];
    })(),
  );

/** One row per accountability flag (约谈问责) of the quarter. */
export const flagsCsv = (data: ReportData): string => {
  const q = selectedQuarter(data);
  return csv([
    ['quarter', 'unit', 'unit_name', 'action', 'action_zh', 'reason', 'reason_zh', 'detail', 'evidence'],
    ...q.flags.map((f) => [
      q.quarter,
      f.unitId,
      nameOf(data.names, f.unitId),
      f.action,
      FLAG_LABELS[f.action] ?? '',
      f.reason,
      FLAG_LABELS[f.reason] ?? '',
      f.text,
      f.evidence.map((e) => `${e.streamId}@${e.revision}`).join(' '),
    ]),
  ]);
};

const parseYear = (value: string): number => {
  if (!/^\d{4}$/.test(value.trim()) || Number(value) < 2000 || Number(value) > 2099)
    throw usageError(`--year ${inline(value)}: must be a year like 2022`);
  return Number(value);
};

const RECIPIENTS: Readonly<Record<string, string>> = {
  'organization-personnel': '组织人事部门 the personnel department',
  'party-assessment': '市委考核部门 the municipal party assessment office',
};

/** 年度评价 as text: the table, how each score was added up, and to whom it was sent. */
export const annualText = (data: ReportData, a: AnnualReport, ctx: DomainContext): string => {
  const out: string[] = [];
  out.push(
    ...readAsLines(data),
    `年度评价 Annual evaluation ${a.year} — ${inline(data.source)}, ${data.events} events, as of ${localTime(data.asOf, ctx)}`,
  );
  out.push(inline(data.rules.text));
  out.push(
    a.published
      ? `Published ${localTime(a.published.at, ctx)} (office record, revision ${a.published.revision}): shown as published`
      : `Not published: computed from the quarters as they stand (${a.quarters.map((q) => `${q.quarter} ${q.published ? 'published' : 'computed'}`).join(', ') || 'none'})`,
  );
  out.push(`Rule: ${inline(a.evaluation.rule)}`);
  for (const n of data.notes) out.push(`Note: ${n}`);
  out.push(
    a.evaluation.units.length > 0
      ? annualTable(a.evaluation.units, data.names)
      : !data.readAs || a.published || readsEverything(data.readAs)
        ? `No unit was ranked in ${a.year}.`
        : data.readAs.kind === 'unit'
          ? `${inline(data.readAs.unitId ?? data.readAs.id)} has no result in ${a.year}; other units' results are read once the evaluation is published.`
          : `Units' results for ${a.year} are read once the evaluation is published.`,
  );
  if (a.evaluation.units.length > 0) {
    out.push('', '评分说明 How each score was added up');
    for (const u of a.evaluation.units) out.push(`  #${u.rank} ${inline(u.unitId)}: ${inline(u.text)}`);
  }
  out.push(
    '',
    `报送 Sent: ${a.sent.length === 0 ? 'not yet' : a.sent.map((r) => `${RECIPIENTS[r.recipient] ?? inline(r.recipient)} on ${localTime(r.at, ctx)} (${inline(r.reference)})`).join('; ')}`,
  );
  return `${out.join('\n')}\n`;
};

/** One row per unit of the year. */
export const annualCsv = (a: AnnualReport, names: UnitNames): string =>
  csv([
    ['year', 'rank', 'unit', 'unit_name', 'score', 'band', 'quarters', 'how'],
    ...a.evaluation.units.map((u) => [
      a.year,
      u.rank,
      u.unitId,
      nameOf(names, u.unitId),
      u.score,
      u.band,
      u.quarters.map((q) => `${q.quarter} ${q.score}`).join('; '),
      u.text,
    ]),
  ]);

/**
 * Read as one actor, a report says so first, and what it leaves out: a unit's or section's view is not
 * the office's. Read as everyone (no --as) it says nothing more.
 */
const readAsLines = (data: ReportData): string[] =>
  data.readAs
    ? [
        `Read as ${readerText(data.readAs)} (在一定范围内): ${
          data.readAs.kind === 'unit'
            ? "the tasks it leads or co-operates on, published 通报 in full, and of what is not published only its own lines; other units' scores, standings and flags are left out"
            : data.readAs.kind === 'section'
              ? "the tasks it handed out or supervises and published 通报; units' unpublished scores, standings and flags are left out"
              : data.readAs.kind === 'system'
                ? "every task and published 通报; units' unpublished scores, standings and flags are left out"
                : 'everything'
        }`,
      ]
    : [];

/** JSON says whom it was read as, always: a file travels without its command line. */
const readAsJson = (data: ReportData) => ({
  readAs: data.readAs ? readerText(data.readAs) : 'everything (as an auditor)',
});

/** Task and unit streams kept for the HTML timelines: only those the reader may read. */
const keptReadable = (model: LoadedHistory['model'], reader: Actor, e: Envelope): boolean => {
  const stream = e.metadata.streamId;
  if (stream.startsWith('task-')) {
    const task = model.tasks[stream.slice('task-'.length)];
    return task !== undefined && canRead(reader, { kind: 'task', task });
  }
  if (stream.startsWith('unit-'))
    return canRead(reader, { kind: 'unit', unitId: stream.slice('unit-'.length) });
  return canRead(reader, { kind: 'office-record' });
};

/** `--project ID` must name a project some task of the history belongs to. */
const knownProject = (label: string, model: LoadedHistory['model'], value: string): string => {
  const projects = projectsOf(model);
  if (projects.includes(value)) return value;
  throw new CliError(
    `${label}: --project ${inline(value)}: no task of this history belongs to it; ${projects.length > 0 ? `the projects are ${projects.map(inline).join(', ')}` : 'no task names a project (重大专项)'}`,
  );
};

/** 重大专项按实施阶段排队通报 as text: the table and what each line rests on. */
export const projectText = (data: ReportData, p: ProjectReport, ctx: DomainContext): string => {
  const out: string[] = [
    ...readAsLines(data),
    `重大专项 Major special project ${inline(p.project)} — staged ranking (按实施阶段排队), ${p.tasks} task${p.tasks === 1 ? '' : 's'}, ${inline(data.source)}, as of ${localTime(data.asOf, ctx)}`,
    'Lead units ranked by the mean stage their tasks reached (0 assigned, 1 accepted, 2 work plan, 3 closure applied for, 4 closed), then by work-plan milestones met on time of those due; not published',
  ];
  for (const n of data.notes) out.push(`Note: ${n}`);
  out.push(p.standings.length > 0 ? projectTable(p.standings, data.names) : 'No standing to show.');
  if (p.standings.length > 0) {
    out.push('', '说明 How each place was reached');
    for (const s of p.standings)
      out.push(`  #${s.rank} ${unitLabel(s.unitId, data.names)}: ${inline(s.text)}`);
  }
  return `${out.join('\n')}\n`;
};

/** One row per task of each standing. */
export const projectCsv = (p: ProjectReport, names: UnitNames): string =>
  csv([
    [
      'project',
      'rank',
      'unit',
      'unit_name',
      'mean_stage',
      'milestones_met_on_time',
      'milestones_due',
      'task',
      'stage',
      'task_milestones_met',
      'task_milestones_due',
      'task_milestones_total',
    ],
    ...p.standings.flatMap((s) =>
      s.tasks.map((t) => [
        p.project,
        s.rank,
        s.unitId,
        nameOf(names, s.unitId),
        s.stage,
        s.milestonesMetOnTime,
        s.milestonesDue,
        t.taskId,
        t.stage,
        t.milestonesMet,
        t.milestonesDue,
        t.milestonesTotal,
      ]),
    ),
  ]);
