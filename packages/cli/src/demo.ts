import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { defaultContext, type DomainContext } from '@duban/domain';
import { DOMAIN_STREAM_PREFIXES, type EventStore, type SupervisionModel } from '@duban/engine';
import { envelopeLine } from './export';
import { loadHistory } from './history';
import { renderHtmlReport } from './html-report';
import {
  CliError,
  EXIT,
  resolvePath,
  usageError,
  writeAll,
  writeFileAtomically,
  writeLine,
  writeText,
  type CliIO,
} from './io';
import { progressBar } from './progress';
import { buildReport } from './reporting';
import { reportTable } from './report';
import { displayPath, openStore, parseLocation } from './source';
import { OFFICE_UNIT_NAMES } from './simulation/office';
import { simulateOffice, type SimulationResult } from './simulation/simulate';

/**
 * `duban demo [--store URL] [--units N] [--tasks N] [--seed S] [--quarters N] [--out DIR]`: simulates
 * the office (see simulation/simulate.ts) on the store — the embedded in-memory one unless told
 * otherwise: the office on record first, then its work under that record — then prints what the office
 * put on record, the last quarter's ranking as the office published it (通报), the warnings and the
 * accountability flags, and writes the history as NDJSON and the HTML report to DIR. The same seed gives
 * the same files.
 */
export interface DemoOptions {
  readonly store?: string;
  readonly units?: number;
  readonly tasks?: number;
  readonly seed?: string;
  readonly quarters?: number;
  /** The last quarter simulated. */
  readonly until?: string;
  readonly out?: string;
  readonly ctx?: DomainContext;
}

export const DEMO_DEFAULTS = {
  store: 'memory:',
  units: 10,
  tasks: 30,
  seed: '2022',
  quarters: 2,
  until: '2022Q1',
  out: 'duban-demo-out',
} as const;

const previousQuarter = (q: string): string => {
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(5));
  return n === 1 ? `${year - 1}Q4` : `${year}Q${n - 1}`;
};

const positive = (name: string, value: number | undefined, fallback: number, max: number): number => {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw usageError(`${name} ${value}: a whole number from 1 to ${max}`);
  return n;
};

export const demoCommand = async (io: CliIO, options: DemoOptions = {}): Promise<number> => {
  const ctx = options.ctx ?? defaultContext();
  const units = positive('--units', options.units, DEMO_DEFAULTS.units, 25);
  if (units < 2) throw usageError('--units: a ranking needs at least 2 units');
  const tasks = positive('--tasks', options.tasks, DEMO_DEFAULTS.tasks, 2000);
  const count = positive('--quarters', options.quarters, DEMO_DEFAULTS.quarters, 8);
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const until = options.until ?? DEMO_DEFAULTS.until;
  if (!/^\d{4}Q[1-4]$/.test(until)) throw usageError(`--until ${until}: a quarter like 2022Q1`);
  const quarters = [until];
  while (quarters.length < count) quarters.unshift(previousQuarter(quarters[0]!));
  const outDir = resolvePath(io, options.out ?? DEMO_DEFAULTS.out);
  const location = parseLocation(io, options.store ?? DEMO_DEFAULTS.store);
  const store = await openStore(location);

  let sim: SimulationResult;
  const historyFile = path.join(outDir, 'history.ndjson');
  const htmlFile = path.join(outDir, 'report.html');
  try {
    await assertEmpty(store, location.label);
    let bar: ReturnType<typeof progressBar> | undefined;
    sim = await simulateOffice({
      store,
      ctx,
      units,
      tasks,
      seed,
      quarters,
      onDay: (done, total) => {
        bar ??= progressBar(io.stderr, 'simulating', total, 'working days');
        bar.update(done);
      },
    });
    bar?.stop();
    await fs.mkdir(outDir, { recursive: true });
    await writeFileAtomically(historyFile, displayPath(io, historyFile), async (out) => {
      for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
        await writeAll(out, envelopeLine({ type: e.type, data: e.data, metadata: e.metadata }));
    });
  } finally {
    await store.close();
  }

  // The report is drawn from the file just written, through the same checks as `duban report`, and
  // "as of" follows the same rule: the time of the history's last event.
  const history = await loadHistory(io, historyFile, { keep: () => true });
  const data = buildReport({
    source: displayPath(io, historyFile),
    model: history.model,
    asOf: history.lastAt!,
    ctx,
    quarter: until,
    names: OFFICE_UNIT_NAMES,
  });
  // The page names its history as the file beside it, so the same seed gives the same page wherever it is written.
  const html = renderHtmlReport({ ...data, source: path.basename(historyFile) }, history.kept, ctx);
  await writeFileAtomically(htmlFile, displayPath(io, htmlFile), (out) => writeAll(out, html));

  const out = io.stdout;
  writeLine(
    out,
    `duban demo — the Changzhi municipal government office (长治市人民政府办公室), simulated ${quarters[0]}${quarters.length > 1 ? `–${until}` : ''}: ${sim.unitIds.length} units, ${sim.tasks} tasks, seed "${seed}"`,
  );
  const where = location.kind === 'memory' ? 'the in-memory store (memory:)' : location.label;
  writeLine(
    out,
    `${history.events} events from ${sim.commands} commands in ${where}; every hash chain verifies`,
  );
  for (const line of officeLines(history.model.office)) writeLine(out, line);
  writeLine(out);
  await writeText(out, reportTable(data, ctx, { explain: false }));
  writeLine(out);
  writeLine(
    out,
    `Wrote ${displayPath(io, historyFile)} (${history.events} events) and ${displayPath(io, htmlFile)}`,
  );
  const example =
    Object.values(history.model.tasks).find(
      (t) => t.closed && ctx.calendar.quarterOf(t.closed.at) === until && t.grade !== t.closed.suggestedGrade,
    ) ?? Object.values(history.model.tasks).find((t) => t.closed);
  const file = displayPath(io, historyFile);
  writeLine(out, `Next: duban report ${file} --quarter ${until}    every score explained line by line`);
  if (example) {
    writeLine(out, `      duban explain ${file} ${example.taskId}    why ${example.taskId} got its grade`);
    writeLine(out, `      duban replay ${file} --task ${example.taskId}    who did what, when`);
  }
  writeLine(out, `      duban verify ${file}    prove nothing was altered`);
  if (sim.refusals.length > 0) {
    writeLine(
      io.stderr,
      `warning: the rules refused ${sim.refusals.length} of the simulation's commands (the simulation and the domain disagree):`,
    );
    for (const r of sim.refusals.slice(0, 10))
      writeLine(io.stderr, `  ${r.commandId}: ${r.code}: ${r.message}`);
  }
  return EXIT.ok;
};

const RECIPIENTS: Readonly<Record<string, string>> = {
  'organization-personnel': '组织人事部门',
  'party-assessment': '市委考核部门',
};

/** What the office put on record: who is in charge of what, its calendars, and what it published. */
const officeLines = (office: SupervisionModel['office']): string[] => {
  if (!office.established) return ['No office record: the default calendar and rules'];
  const role = (r: string) =>
    Object.values(office.leaders).filter((l) => l.tenures.some((t) => t.role === r)).length;
  const deputies = role('deputy-leader');
  const calendars = [...new Set(office.calendars.map((c) => c.year))].sort();
  const lines = [
    `On record first: ${office.name} — the main leader and ${deputies} deputy leaders in charge (分管) of ${Object.keys(office.sections).length} sections and ${Object.keys(office.units).length} units, ${Object.keys(office.staff).length} staff, ${calendars.length > 0 ? `the State Council calendars ${calendars.join(', ')} (调休 included)` : 'no calendar adopted (Monday to Friday)'}; every command was decided under it`,
  ];
  const quarters = Object.keys(office.rankings).sort();
  if (quarters.length > 0) lines.push(`Published: 通报 ${quarters.join(', ')}`);
  for (const year of Object.keys(office.annual).sort()) {
    const sent = office.resultsSent
      .filter((r) => String(r.year) === year)
      .map((r) => RECIPIENTS[r.recipient] ?? r.recipient);
    lines.push(
      `Published: the ${year} annual evaluation (年度评价)${sent.length > 0 ? `, sent to ${[...new Set(sent)].join(' and ')}` : ''}`,
    );
  }
  return lines;
};

/** The demo writes a fresh history: its command ids would collide with an earlier run's. */
const assertEmpty = async (store: EventStore, label: string) => {
  for await (const _ of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES, maxCount: 1 }))
    throw new CliError(`${label} already holds history; the demo needs an empty store`);
};
