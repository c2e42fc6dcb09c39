import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureBuilt } from './cli';
import { buildRowScript } from './row-script';

/**
 * `profile.ts <measurement> <row> <size> [top]`: runs one row with a CPU profile of its timed runs
 * (written to bench/results/<measurement>-<row>-<size>.cpuprofile) and prints where the time goes:
 * self time and total (inclusive) time per function, as shares of all samples.
 */

interface CallFrame {
  functionName: string;
  url: string;
  scriptId: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface SourceMap {
  sources: string[];
  mappings: string;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  sourceMaps?: Record<string, SourceMap | null>;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes a source map's mappings: per generated line, [generated column, original line] pairs. */
const decodeMappings = (mappings: string): Array<Array<[number, number]>> => {
  const lines: Array<Array<[number, number]>> = [];
  let sourceLine = 0;
  for (const line of mappings.split(';')) {
    const segments: Array<[number, number]> = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0]!;
      if (values.length >= 4) {
        sourceLine += values[2]!;
        segments.push([column, sourceLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
};

/** Maps a generated position to the original (1-based) line, through the script's source map. */
const originalLine = (
  map: Array<Array<[number, number]>>,
  line: number,
  column: number,
): number | undefined => {
  let found: number | undefined;
  for (const [c, l] of map[line] ?? []) {
    if (c > column) break;
    found = l;
  }
  return found === undefined ? undefined : found + 1;
};

const sourceCache = new Map<string, string[]>();
const sourceLineText = (file: string, line: number): string => {
  let lines = sourceCache.get(file);
  if (!lines) sourceCache.set(file, (lines = readFileSync(file, 'utf8').split('\n')));
  return (lines[line - 1] ?? '').trim().slice(0, 70);
};

const root = join(__dirname, '..');

const decoded = new Map<string, Array<Array<[number, number]>> | null>();

const keyOf = (
  profile: Profile,
  { functionName, url, scriptId, lineNumber, columnNumber }: CallFrame,
): string => {
  const path = url.startsWith('file://') ? url.slice(7) : '';
  const file = path ? relative(root, path) : url || '(native)';
  const map = profile.sourceMaps?.[scriptId];
  if (map && path) {
    if (!decoded.has(scriptId)) decoded.set(scriptId, decodeMappings(map.mappings));
    const line = originalLine(decoded.get(scriptId)!, lineNumber, columnNumber);
    if (line !== undefined) return `${file}:${line}  ${functionName || sourceLineText(path, line)}`;
  }
  return `${file.replace(/^node_modules\/\.pnpm\//, '')}:${lineNumber + 1}  ${functionName || '(anonymous)'}`;
};

export const summarise = (profile: Profile, top = 30): string => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.samples.length;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const walk = (node: ProfileNode, onStack: Set<string>): number => {
    const key = keyOf(profile, node.callFrame);
    let hits = node.hitCount ?? 0;
    self.set(key, (self.get(key) ?? 0) + hits);
    const nested = onStack.has(key);
    onStack.add(key);
    for (const child of node.children ?? []) hits += walk(byId.get(child)!, onStack);
    if (!nested) {
      onStack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
    }
    return hits;
  };
  walk(profile.nodes[0]!, new Set());
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, n]) => `${pct(n)}  ${k}`)
      .join('\n');
  return `samples: ${total}\n\n— self time —\n${rows(self)}\n\n— total time (inclusive) —\n${rows(inclusive)}`;
};

if (require.main === module) {
  const [measurement, row, size = 'quick', top = '30'] = process.argv.slice(2);
  const file = join(__dirname, 'results', `${measurement}-${row}-${size}.cpuprofile`);
  ensureBuilt();
  const child = spawnSync(process.execPath, ['--expose-gc', buildRowScript(), measurement!, row!, size], {
    // As run.ts runs rows: production mode, plain JavaScript on the packages' built dist.
    env: { ...process.env, NODE_ENV: 'production', BENCH_PROFILE: file },
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (child.status !== 0) process.exit(child.status ?? 1);
  console.log(child.stdout.split('\n').find((l) => l.startsWith('RESULT ')));
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top)));
}
