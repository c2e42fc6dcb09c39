/**
 * `pnpm test:consumer`: Duban as a user gets it. Packs every public package with `pnpm pack`, checks
 * each tarball (dist/, README, LICENSE, no tests, no `workspace:` left), lints it with publint and
 * Are the Types Wrong, installs the tarballs with plain npm into a fresh project outside the workspace,
 * and there requires and imports every package, runs the quickstart's flow from CommonJS and from ESM,
 * type-checks a TypeScript consumer (strict, skipLibCheck off) under node16 and bundler resolution,
 * and runs `npx duban --version` (the package's own), `npx duban demo` and `npx duban verify`. Exits 1 on the first failure, naming it.
 * KEEP=1 keeps the temporary folder; it is removed otherwise.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './ensure-built';

const root = path.resolve(__dirname, '..');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (text: string) => process.stdout.write(`\n=== ${text} (${elapsed()})\n`);

class Failure extends Error {}
const fail = (message: string): never => {
  throw new Failure(message);
};
const check = (ok: boolean, message: string) => {
  if (!ok) fail(message);
};

/** Runs a command; fails with its output unless it exits 0. Returns stdout. */
const sh = (cmd: string, args: readonly string[], options: SpawnSyncOptions & { quiet?: boolean } = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const out = `${r.stdout ?? ''}`;
  const err = `${r.stderr ?? ''}`;
  if (r.status !== 0)
    fail(`${cmd} ${args.join(' ')} (in ${options.cwd ?? root}) exited ${r.status ?? r.signal}\n${out}${err}`);
  if (!options.quiet && out.trim()) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return out;
};

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  [key: string]: unknown;
}

const publicPackages = (): Array<{ dir: string; manifest: Manifest }> =>
  readdirSync(path.join(root, 'packages'))
    .map((d) => path.join(root, 'packages', d))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter((p) => !p.manifest.private);

const main = () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'duban-consumer-'));
  const tarballs = path.join(work, 'tarballs');
  const app = path.join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  check(path.relative(root, work).startsWith('..'), `${work} is inside the workspace`);
  let ok = false;
  try {
    step('build (packages whose dist/ is missing or stale)');
    ensureBuilt();

    const packages = publicPackages();
    check(packages.length > 0, 'no public package found under packages/');
    const names = packages.map((p) => p.manifest.name);

    step(`pack ${names.join(', ')}`);
    const packed: Array<{ name: string; file: string; bytes: number; files: number }> = [];
    for (const p of packages) {
      const before = new Set(readdirSync(tarballs));
      sh('pnpm', ['pack', '--pack-destination', tarballs], { cwd: p.dir, quiet: true });
      const made = readdirSync(tarballs).filter((f) => !before.has(f));
      check(made.length === 1, `pnpm pack of ${p.manifest.name} made ${made.length} tarballs`);
      const file = path.join(tarballs, made[0]!);
      const entries = sh('tar', ['-tzf', file], { quiet: true }).split('\n').filter(Boolean);
      const has = (f: string) => entries.includes(`package/${f}`);
      for (const f of [
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.mjs',
        'dist/index.cjs',
        'dist/index.d.mts',
        'dist/index.d.cts',
      ])
        check(has(f), `${path.basename(file)} lacks ${f}`);
      const tests = entries.filter((e) =>
        /(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]s$/.test(e),
      );
      check(tests.length === 0, `${path.basename(file)} ships tests: ${tests.join(', ')}`);
      const sources = entries.filter((e) => e.startsWith('package/src/'));
      check(
        sources.length === 0,
        `${path.basename(file)} ships TypeScript sources: ${sources.slice(0, 3).join(', ')}…`,
      );
      const manifest = sh('tar', ['-xzOf', file, 'package/package.json'], { quiet: true });
      check(
        !manifest.includes('workspace:'),
        `${path.basename(file)}: package.json still says workspace:\n${manifest}`,
      );
      check(
        readFileSync(path.join(root, 'LICENSE'), 'utf8') ===
          sh('tar', ['-xzOf', file, 'package/LICENSE'], { quiet: true }),
        `${path.basename(file)}: LICENSE differs from the repository's`,
      );
      packed.push({ name: p.manifest.name, file, bytes: statSync(file).size, files: entries.length });
    }
    for (const t of packed)
      process.stdout.write(
        `${t.name.padEnd(24)} ${path.basename(t.file).padEnd(36)} ${(t.bytes / 1024).toFixed(1).padStart(7)} KiB  ${t.files} files\n`,
      );

    step('publint and Are the Types Wrong on every tarball');
    for (const t of packed) {
      // publint prints "All good!" only when it has no error, warning or suggestion at all.
      const lint = sh(
        path.join(root, 'node_modules/.bin/publint'),
        ['run', '--level', 'suggestion', '--strict', t.file],
        { quiet: true },
      );
      check(lint.includes('All good!'), `publint on ${t.name}:\n${lint}`);
      // attw exits non-zero on any problem under its strict profile (node10, node16 CJS and ESM, bundler).
      sh(
        path.join(root, 'node_modules/.bin/attw'),
        ['--no-definitely-typed', '--no-color', '--format', 'table-flipped', '--profile', 'strict', t.file],
        { quiet: true },
      );
      process.stdout.write(`${t.name}: publint all good; attw no problems\n`);
    }

    step('npm install the tarballs into a fresh project');
    const tsVersion = (
      JSON.parse(readFileSync(path.join(root, 'node_modules/typescript/package.json'), 'utf8')) as Manifest
    ).version;
    writeFileSync(
      path.join(app, 'package.json'),
      `${JSON.stringify({ name: 'duban-consumer', version: '1.0.0', private: true }, null, 2)}\n`,
    );
    // Plain npm, no workspace: the registry serves third-party packages; @duban/* come from the tarballs only.
    sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...packed.map((t) => t.file),
        `typescript@${tsVersion}`,
        '@types/node@20',
      ],
      { cwd: app, quiet: true },
    );
    for (const name of names) {
      const dir = path.join(app, 'node_modules', name);
      check(
        existsSync(dir) && !lstatSync(dir).isSymbolicLink(),
        `${name} is not installed as a copy in node_modules`,
      );
      const installed = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
      const source = packages.find((p) => p.manifest.name === name)!.manifest;
      check(
        installed.version === source.version,
        `${name}: installed ${installed.version}, packed ${source.version}`,
      );
    }
    // Every @duban/* package in the tree must be the one packed here (none fetched from a registry).
    const tree = JSON.parse(sh('npm', ['ls', '--all', '--json'], { cwd: app, quiet: true })) as {
      dependencies?: Record<string, { resolved?: string; dependencies?: unknown }>;
    };
    const walk = (deps: Record<string, { resolved?: string; dependencies?: unknown }> | undefined): void => {
      for (const [name, d] of Object.entries(deps ?? {})) {
        if (name.startsWith('@duban/'))
          check(
            !d.resolved || d.resolved.startsWith('file:'),
            `${name} was resolved from ${d.resolved}, not from a tarball`,
          );
        walk(d.dependencies as typeof deps);
      }
    };
    walk(tree.dependencies);
    process.stdout.write(`installed ${names.length} tarballs and their dependencies in ${app}\n`);

    step('require and import every package; the quickstart flow from CommonJS and from ESM');
    writeFileSync(path.join(app, 'load.cjs'), loadCjs(names));
    writeFileSync(path.join(app, 'load.mjs'), loadMjs(names));
    sh('node', ['load.cjs'], { cwd: app });
    sh('node', ['load.mjs'], { cwd: app });
    writeFileSync(path.join(app, 'quickstart.cjs'), quickstart('cjs'));
    writeFileSync(path.join(app, 'quickstart.mjs'), quickstart('esm'));
    const fromCjs = sh('node', ['quickstart.cjs'], { cwd: app });
    const fromEsm = sh('node', ['quickstart.mjs'], { cwd: app });
    check(fromCjs === fromEsm, 'the CommonJS and ESM builds printed different results');

    step('type-check a TypeScript consumer: strict, skipLibCheck false; node16, then bundler');
    writeFileSync(path.join(app, 'consumer.ts'), consumerTs);
    writeFileSync(path.join(app, 'consumer.mts'), consumerTs);
    // Every public package's declarations, a package added later included, in both module kinds.
    writeFileSync(path.join(app, 'all.ts'), everyPackageTs(names));
    writeFileSync(path.join(app, 'all.mts'), everyPackageTs(names));
    const compilerOptions = {
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022'],
      types: ['node'],
    };
    writeFileSync(
      path.join(app, 'tsconfig.node16.json'),
      JSON.stringify(
        {
          compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
          files: ['consumer.ts', 'consumer.mts', 'all.ts', 'all.mts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      path.join(app, 'tsconfig.bundler.json'),
      JSON.stringify(
        {
          compilerOptions: { ...compilerOptions, module: 'preserve', moduleResolution: 'bundler' },
          files: ['consumer.ts', 'all.ts'],
        },
        null,
        2,
      ),
    );
    for (const config of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
      // One compile: it fails on any error, and --listFiles shows what it read for @duban/*.
      const read = sh('npx', ['tsc', '-p', config, '--listFiles'], { cwd: app, quiet: true })
        .split('\n')
        .filter((f) => f.includes('/node_modules/@duban/'));
      check(read.length >= names.length, `${config}: the compiler read ${read.length} files of @duban/*`);
      for (const f of read)
        check(/\.d\.[cm]?ts$/.test(f), `${config}: the compiler read ${f}, not a declaration file`);
      process.stdout.write(`${config}: no errors\n`);
    }

    step('the installed duban binary: npx duban --version, demo, verify');
    const cliVersion = packages.find((p) => p.manifest.name === '@duban/cli')?.manifest.version;
    const reported = sh('npx', ['duban', '--version'], { cwd: app }).trim();
    check(reported === cliVersion, `duban --version printed ${reported}, the package is ${cliVersion}`);
    const demo = sh('npx', ['duban', 'demo'], { cwd: app, quiet: true });
    check(/every hash chain verifies/.test(demo), `duban demo printed:\n${demo}`);
    process.stdout.write(`${demo.split('\n')[0]}\n`);
    const verify = sh('npx', ['duban', 'verify', 'duban-demo-out/history.ndjson'], { cwd: app });
    check(/: intact — \d+ events/.test(verify), `duban verify printed:\n${verify}`);
    const tampered = readFileSync(path.join(app, 'duban-demo-out/history.ndjson'), 'utf8').replace(
      '"revision":1,',
      '"revision":7,',
    );
    writeFileSync(path.join(app, 'tampered.ndjson'), tampered);
    const broken = spawnSync('npx', ['duban', 'verify', 'tampered.ndjson'], { cwd: app, encoding: 'utf8' });
    check(
      broken.status === 1 && /BROKEN/.test(broken.stdout),
      `duban verify on a tampered history exited ${broken.status}:\n${broken.stdout}${broken.stderr}`,
    );
    process.stdout.write('a tampered copy: exit 1, BROKEN\n');

    ok = true;
    process.stdout.write(
      `\nconsumer test passed in ${elapsed()}: ${packed.length} tarballs, ${(packed.reduce((n, t) => n + t.bytes, 0) / 1024).toFixed(0)} KiB in all\n`,
    );
  } finally {
    if (ok && !process.env.KEEP) rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`kept ${work}\n`);
  }
};

const loadCjs = (names: readonly string[]) => `'use strict';
// Every package loads through require() and resolves to its CommonJS build.
const assert = require('node:assert');
for (const name of ${JSON.stringify(names)}) {
  const resolved = require.resolve(name);
  assert.match(resolved, /\\/dist\\/index\\.cjs$/, name + ' resolved to ' + resolved);
  const m = require(name);
  assert.ok(Object.keys(m).length > 0, name + ' exports nothing');
  console.log('require ' + name + ': ' + Object.keys(m).length + ' exports from ' + require('node:path').relative(process.cwd(), resolved));
}
`;

const loadMjs = (
  names: readonly string[],
) => `// Every package loads through import and resolves to its ESM build.
import assert from 'node:assert';
import { createRequire } from 'node:module';
for (const name of ${JSON.stringify(names)}) {
  const resolved = import.meta.resolve(name);
  assert.match(resolved, /\\/dist\\/index\\.mjs$/, name + ' resolved to ' + resolved);
  const m = await import(name);
  const cjs = createRequire(import.meta.url)(name);
  assert.deepStrictEqual(Object.keys(m).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort(), name + ': ESM and CJS export different names');
  console.log('import ' + name + ': ' + Object.keys(m).length + ' exports from ' + resolved.slice(resolved.indexOf('node_modules')));
}
`;

/** examples/quickstart.ts as a user writes it in plain JavaScript, once per module format. */
const quickstart = (format: 'cjs' | 'esm') => `${
  format === 'cjs'
    ? `'use strict';
const assert = require('node:assert');
const { createEngine, createInMemoryEventStore, rebuild, supervisionProjection, taskBoard, unitScorecard } = require('@duban/engine');
const { DEFAULT_SCORING_POLICY, defaultContext } = require('@duban/domain');`
    : `import assert from 'node:assert';
import { createEngine, createInMemoryEventStore, rebuild, supervisionProjection, taskBoard, unitScorecard } from '@duban/engine';
import { DEFAULT_SCORING_POLICY, defaultContext } from '@duban/domain';`
}

const section = { id: 'clerk-zhao', kind: 'section', unitId: 'section-2' };
const commerce = { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' };
const viceMayor = { id: 'vice-mayor-li', kind: 'deputy-leader' };
const steps = [
  [section, '2022-03-01T09:00:00+08:00', 'AssignTask', {
    title: 'Cut business registration to 3 working days', source: 'government-meeting-decisions',
    leadUnit: 'bureau-of-commerce', coUnits: ['bureau-of-finance'], coUnitDuties: [{ unitId: 'bureau-of-finance', duty: 'Waive the fees' }], deadline: '2022-03-31T17:00:00+08:00',
    approval: { ref: 'CZ-GOV-2022-017', by: 'mayor' }, origin: { kind: 'deputy-leader', leaderId: 'vice-mayor-li' },
    sectionId: 'section-2' }],
  [commerce, '2022-03-01T15:00:00+08:00', 'AcceptTask', { deployment: 'Task force set up' }],
  [commerce, '2022-03-03T10:00:00+08:00', 'ReportProgress', { status: 'on-track', summary: 'Windows merged', percentComplete: 60 }],
  [commerce, '2022-03-15T10:00:00+08:00', 'RequestClosure', { summary: 'Done citywide', results: '3 working days' }],
  [section, '2022-03-16T10:00:00+08:00', 'ReviewClosure', { proposedGrade: 'good', opinion: 'Ahead of time' }],
  [viceMayor, '2022-03-17T10:00:00+08:00', 'ApproveClosure', { grade: 'good' }],
];

async function main() {
  const engine = createEngine({ store: createInMemoryEventStore(), context: defaultContext() });
  const committed = [];
  for (const [actor, at, type, data] of steps) {
    const result = await engine.execute({ type, data: { taskId: 'T-001', ...data } }, { actor, at, commandId: type + '-T-001' });
    assert.strictEqual(result._tag, 'Right', type + ': ' + JSON.stringify(result.left));
    committed.push(...result.right.events.map((e) => e.type));
  }
  // Executing a command again commits nothing: the command id is the idempotency key.
  const again = await engine.execute({ type: 'AcceptTask', data: { taskId: 'T-001', deployment: 'Task force set up' } }, { actor: commerce, at: '2022-03-01T15:00:00+08:00', commandId: 'AcceptTask-T-001' });
  assert.strictEqual(again.right.replayed, true);
  const verified = await engine.verify();
  assert.ok(verified.ok, JSON.stringify(verified));
  const model = await rebuild(supervisionProjection, engine.readAll());
  const board = taskBoard(model, '2022-03-18T09:00:00+08:00', engine.context);
  assert.deepStrictEqual(board.map((c) => [c.taskId, c.status, c.finalGrade]), [['T-001', 'closed', 'good']]);
  const ranking = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, engine.context);
  // The co-unit had a duty and never reported on it: graded poor on its own part (as examples/quickstart.ts prints).
  assert.deepStrictEqual(ranking.map((s) => [s.rank, s.unitId, s.score]), [[1, 'bureau-of-commerce', 90], [2, 'bureau-of-finance', 60]]);
  console.log('events: ' + committed.join(', '));
  console.log('board: ' + board.map((c) => c.taskId + ' ' + c.status + ' ' + c.finalGrade).join('; '));
  console.log('ranking: ' + ranking.map((s) => '#' + s.rank + ' ' + s.unitId + ' ' + s.score).join('; '));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** Imports every public package: its declarations must compile as the consumer's compiler reads them. */
const everyPackageTs = (names: readonly string[]) =>
  `${names.map((n, i) => `import * as p${i} from '${n}';`).join('\n')}\n\nexport const packages = [${names.map((_, i) => `p${i}`).join(', ')}];\n`;

/**
 * A consumer's TypeScript: typed calls into every package. The @ts-expect-error lines fail the check if
 * a package's types degrade to any (an unused @ts-expect-error is itself an error).
 */
const consumerTs = `import type { Actor, TaskCommand } from '@duban/domain';
import { DEFAULT_SCORING_POLICY, defaultContext, taskDecider } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  type Committed,
  type EngineError,
  type TaskCard,
  type UnitScore,
} from '@duban/engine';
import { createEventStoreDbStore } from '@duban/eventstoredb';
import { spec, taskFixture } from '@duban/testing';
import { captureStream, run } from '@duban/cli';

const commerce: Actor = { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' };

export async function embed(): Promise<readonly UnitScore[]> {
  const engine = createEngine({ store: createInMemoryEventStore(), context: defaultContext() });
  const result = await engine.execute(
    { type: 'AcceptTask', data: { taskId: 'T-001', deployment: 'Task force set up' } },
    { actor: commerce, at: '2022-03-01T15:00:00+08:00', commandId: 'accept-T-001' },
  );
  if (result._tag === 'Left') {
    const error: EngineError = result.left;
    console.log(error.kind, error.code);
  } else {
    const committed: Committed = result.right;
    console.log(committed.events.length);
  }
  const model = await rebuild(supervisionProjection, engine.readAll());
  const board: TaskCard[] = taskBoard(model, '2022-03-18T09:00:00+08:00', engine.context);
  // @ts-expect-error a task card's status is a string union, not a number
  const wrong: number = board[0]!.status;
  void wrong;
  return unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, engine.context);
}

export function kit(): void {
  const f = taskFixture();
  const command: TaskCommand = f.assign();
  spec(taskDecider).given([]).when(command).thenEvents(() => undefined);
  // @ts-expect-error createEventStoreDbStore wants a connection string or a client
  createEventStoreDbStore(42);
}

export async function cli(): Promise<number> {
  const out = captureStream();
  return run(['--help'], { stdout: out, stderr: out, cwd: process.cwd() });
}
`;

try {
  main();
} catch (error) {
  process.stderr.write(
    `\nconsumer test FAILED after ${elapsed()}: ${error instanceof Failure ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exitCode = 1;
}
