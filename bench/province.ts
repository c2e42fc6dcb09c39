import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import type { WorkloadMeta } from './data';
import { CLI_ARGS, ensureBuilt, measureCli } from './cli';
import type { RowResult } from './row';

/**
 * `tsx bench/run.ts province [--events=N]` (`pnpm bench:province`): a province instead of a city
 * (workload.ts SIZES.province: ~10M events, 760k tasks, 1,500 units), or its first N events. Opt-in,
 * never in CI. Only the `duban` binary's streaming rows run (verify, replay, report: cli.ts, one
 * process each under GNU time), one after the other; the result goes to bench/results/province.md.
 * A row that fails (out of memory) is reported with its error, not dropped.
 */
export const runProvince = (argv: readonly string[]): void => {
  const started = Date.now();
  const loadAtStart = loadavg();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const events = argv.find((a) => a.startsWith('--events='));
  ensureBuilt();
  log('bench province: building the workload (cached in bench/node_modules/.cache/duban-bench/province)…');
  const generated = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=12288',
      '--import',
      'tsx',
      join(__dirname, 'generate.ts'),
      'province',
      ...(events ? [events] : []),
    ],
    {
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (generated.status !== 0) process.exit(generated.status ?? 1);
  const meta = JSON.parse(generated.stdout.trim().split('\n').at(-1)!) as WorkloadMeta;
  log(
    `workload: ${meta.events} events, ${meta.tasks} tasks over ${meta.units} units (built in ${meta.generatedIn})`,
  );

  const rows: Array<[string, RowResult | { error: string }]> = [];
  for (const row of Object.keys(CLI_ARGS)) {
    log(`duban ${row}…`);
    try {
      rows.push([row, measureCli(row, 'province')]);
    } catch (error) {
      rows.push([row, { error: (error as Error).message }]);
    }
    const [, r] = rows.at(-1)!;
    log(
      'error' in r
        ? `  failed: ${r.error}`
        : `  ${(r.medianMs / 1000).toFixed(1)} s, peak RSS ${mb(r.peakRssBytes)}`,
    );
  }

  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8' }).trim();
  const table = [
    '| command | time | events/s | peak RSS |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(([row, r]) =>
      'error' in r
        ? `| \`duban ${CLI_ARGS[row]!('FILE').join(' ')}\` | failed: ${r.error.replace(/\|/g, '\\|')} | | |`
        : `| \`duban ${CLI_ARGS[row]!('FILE').join(' ')}\` | ${(r.medianMs / 1000).toFixed(1)} s | ${Math.round(r.rate).toLocaleString('en')} | ${mb(r.peakRssBytes)} |`,
    ),
  ].join('\n');
  const markdown = [
    `# Benchmark results (province${events ? `, cut at ${meta.events} events` : ''})`,
    '',
    `- **Command:** \`tsx bench/run.ts province${events ? ` ${events}` : ''}\``,
    `- **Date:** ${new Date(started).toISOString()} (took ${((Date.now() - started) / 1000).toFixed(0)} s, generation included)`,
    `- **Machine:** ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${mb(totalmem())} memory, ${osType()} ${release()}`,
    `- **Load average** (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(loadavg())}`,
    `- **Node** ${process.version}, \`NODE_ENV=production\`, the default heap limit`,
    `- **Code:** ${git('rev-parse', '--short', 'HEAD')}`,
    `- **Workload** (seed ${meta.seed}): ${meta.tasks} tasks over ${meta.units} units, ${meta.events} events in business-time order${events ? ` (the first ${meta.events} of the province's ~10M)` : ''}; NDJSON ${mb(meta.envelopeBytes)}; generated in ${meta.generatedIn}.`,
    '',
    table,
    '',
    "One process and one run each, the built CLI under GNU time (`%e`, `%M`), output to /dev/null. `verify` reads every record (envelope, hash chain, codecs) and keeps no read model; `replay` and `report` check the same and fold the supervision model, then print the board (every task) or the default quarter's report.",
    '',
  ].join('\n');
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'province.md'), markdown);
  console.log(markdown);
  if (rows.some(([, r]) => 'error' in r)) process.exitCode = 1;
};

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MB`;
