import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { envelopesPath, readMeta } from './data';
import type { RowResult } from './row';
import type { SizeName } from './workload';

/**
 * The `duban` binary itself on the workload's NDJSON file: `verify` (no read model), `replay` (the
 * board, as a table) and `report` (the default quarter). Each is one process of the built CLI under
 * GNU time, so its peak RSS is the command's own (no TypeScript loader in it), and its output goes to
 * /dev/null. One run each: at a million events a run takes tens of seconds.
 */

const root = join(__dirname, '..');
const bin = join(root, 'packages/cli/bin/duban.js');

export const CLI_ARGS: Record<string, (file: string) => string[]> = {
  verify: (file) => ['verify', file],
  replay: (file) => ['replay', file],
  report: (file) => ['report', file],
};

/** `pnpm build` when a package's dist/ is missing or older than its sources (what `pnpm duban` does). */
export const ensureBuilt = (): void => {
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/ensure-built.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('building the packages failed');
};

export const measureCli = (row: string, size: SizeName): RowResult => {
  const args = CLI_ARGS[row];
  if (!args) throw new Error(`no cli row ${row}`);
  if (!existsSync('/usr/bin/time')) throw new Error('the cli rows need GNU time (/usr/bin/time)');
  const meta = readMeta(size);
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'BENCH_TIME %e %M', process.execPath, bin, ...args(envelopesPath(size))],
    {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    },
  );
  const measured = /BENCH_TIME ([\d.]+) (\d+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !measured)
    throw new Error(
      `duban ${row} exited ${run.status ?? run.signal}: ${(run.stderr ?? '').trim().split('\n').slice(0, 3).join(' ')}`,
    );
  const ms = Number(measured[1]) * 1000;
  return {
    measurement: 'cli',
    row,
    size,
    unit: 'events',
    work: meta.events,
    runsMs: [ms],
    medianMs: ms,
    rate: meta.events / (ms / 1000),
    peakRssBytes: Number(measured[2]) * 1024,
    loadedRssBytes: 0,
    digest: 0,
    extras: {},
  };
};
