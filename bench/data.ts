import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SizeName, WorkloadCommand } from './workload';

/** The rows of each measurement, as run.ts runs them and row.ts measures them. */
export const MEASUREMENTS = {
  replay: ['baseline', 'duban', 'duban-nofreeze', 'duban-immer', 'duban-store', 'emmett', 'castore'],
  ndjson: ['parse', 'baseline', 'duban', 'duban-verify'],
  // The cache rows: the Duban row without its stream cache, and with one smaller than the tasks in play.
  command: ['baseline', 'duban', 'duban-nocache', 'duban-small-cache', 'emmett', 'castore'],
  // The built `duban` binary on the same NDJSON file, one process per command (cli.ts).
  cli: ['verify', 'replay', 'report'],
  // On one PostgreSQL server that run.ts starts (postgres.ts).
  'pg-command-1': ['floor', 'duban', 'emmett'],
  'pg-command-8': ['floor', 'duban', 'duban-append-lock', 'duban-no-order', 'emmett'],
  'pg-replay': ['floor', 'duban', 'emmett'],
} as const;
export type Measurement = keyof typeof MEASUREMENTS;

/** The small-cache row's `cacheSize`: fewer streams than the command slice has tasks in play at once. */
export const SMALL_CACHE = 64;

/**
 * Where a generated workload lives: `bench/node_modules/.cache/duban-bench/<size>/`, out of git's, tsc's
 * and prettier's way (the full NDJSON is ~800 MB), rebuilt when its key changes.
 */
export const cacheDir = (size: SizeName): string =>
  join(__dirname, 'node_modules', '.cache', 'duban-bench', size);

export const FILES = {
  meta: 'meta.json',
  /** `{ commandId, command }` per line, in global order. */
  commands: 'commands.ndjson',
  /** The command path's slice: the commands of whole tasks holding about `commandEvents` events. */
  commandSlice: 'command-slice.ndjson',
  /** Hash-chained envelopes as the engine writes them, per line, in global order (with v1 history). */
  envelopes: 'envelopes.ndjson',
} as const;

export interface WorkloadMeta {
  readonly key: string;
  readonly size: SizeName;
  readonly seed: number;
  readonly tasks: number;
  readonly units: number;
  readonly commands: number;
  readonly events: number;
  /** Events written at schema version 1 (upcast on read). */
  readonly v1Events: number;
  readonly envelopeBytes: number;
  /** The command path's slice (whole tasks, in global order; see SIZES in workload.ts). */
  readonly commandSlice: { readonly commands: number; readonly events: number; readonly tasks: number };
  readonly generatedIn: string;
}

const root = join(__dirname, '..');

const listTs = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(dir, f));

/** A digest of what a workload's content depends on: its generator, the domain, the envelope code. */
export const sourceKey = (size: SizeName): string => {
  const hash = createHash('sha256').update(size);
  const files = [
    ...['workload.ts', 'envelopes.ts', 'prng.ts'].map((f) => join(__dirname, f)),
    ...listTs(join(root, 'packages/domain/src')),
    ...listTs(join(root, 'packages/engine/src/envelope')),
  ];
  // Paths relative to the repository, so a clone elsewhere (or a copied cache) keeps the same key.
  for (const f of files) hash.update(relative(root, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
};

export const readMeta = (size: SizeName): WorkloadMeta =>
  JSON.parse(readFileSync(join(cacheDir(size), FILES.meta), 'utf8')) as WorkloadMeta;

/**
 * Calls `onLine` for every line of a file, reading 1 MiB at a time: constant memory whatever the file's
 * size. Splitting on the byte 0x0A is safe in UTF-8 (it never occurs inside a multi-byte character).
 */
export const forEachLine = (
  path: string,
  onLine: (line: string) => void,
  maxLines = Number.POSITIVE_INFINITY,
  chunkSize = 1 << 20,
): number => {
  const fd = openSync(path, 'r');
  let buffer = Buffer.allocUnsafe(chunkSize);
  let filled = 0;
  let lines = 0;
  try {
    while (lines < maxLines) {
      if (filled === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) break;
      const view = buffer.subarray(0, filled + read);
      let start = 0;
      for (let nl = view.indexOf(10, start); nl !== -1 && lines < maxLines; nl = view.indexOf(10, start)) {
        if (nl > start) {
          onLine(view.toString('utf8', start, nl));
          lines++;
        }
        start = nl + 1;
      }
      view.copy(buffer, 0, start);
      filled = view.length - start;
    }
    if (filled > 0 && lines < maxLines) {
      onLine(buffer.toString('utf8', 0, filled));
      lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
};

export const loadNdjson = <T>(path: string): T[] => {
  const out: T[] = [];
  forEachLine(path, (line) => out.push(JSON.parse(line) as T));
  return out;
};

export const loadCommandSlice = (size: SizeName): WorkloadCommand[] =>
  loadNdjson<WorkloadCommand>(join(cacheDir(size), FILES.commandSlice));

export const envelopesPath = (size: SizeName): string => join(cacheDir(size), FILES.envelopes);
