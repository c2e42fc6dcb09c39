/**
 * `pnpm run reliability [--quick]`: runs the tests behind docs/reliability.md and prints their figures,
 * so the document can be refreshed from a real run. The tests write what they measured (attacks caught,
 * the authorization matrix, fuzz runs made) into a folder named by DUBAN_RELIABILITY_DIR; every other
 * guarantee is reported as the tests that prove it, passed or failed. `--quick` leaves out the
 * PostgreSQL and EventStoreDB runs. Nothing here is timed: speed lives in `pnpm bench`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const quick = process.argv.includes('--quick');
const root = path.resolve(__dirname, '..');

interface Group {
  readonly guarantee: string;
  readonly files: readonly string[];
  readonly store?: 'postgres' | 'eventstoredb';
}

const GROUPS: readonly Group[] = [
  { guarantee: 'tamper sweep', files: ['packages/cli/test/tamper-sweep.test.ts'] },
  { guarantee: 'authorization matrix', files: ['packages/engine/test/authorization-matrix.test.ts'] },
  {
    guarantee: 'who is calling, signed commands, a 通报 names its seal',
    files: [
      'packages/engine/test/signed-commands.test.ts',
      'packages/engine/test/publication-seal.test.ts',
      'packages/cli/test/verify-signatures.test.ts',
    ],
  },
  {
    guarantee: 'hostile input (fast-check)',
    files: [
      'packages/cli/test/hostile-input-fuzz.test.ts',
      'packages/domain/test/properties.test.ts',
      'packages/domain/test/decoding.test.ts',
      'packages/domain/test/calendar.test.ts',
      'packages/cli/test/strict-json.test.ts',
      'packages/engine/test/canonical-json.test.ts',
    ],
  },
  {
    guarantee: 'concurrency and store faults, in memory',
    files: ['packages/engine/test/concurrency.test.ts', 'packages/engine/test/engine-contract.test.ts'],
  },
  {
    guarantee: 'concurrency and store faults, PostgreSQL',
    files: [
      'packages/postgres/test/engine-contract.test.ts',
      'packages/postgres/test/concurrency.test.ts',
      'packages/postgres/test/faults.test.ts',
    ],
    store: 'postgres',
  },
  {
    guarantee: 'concurrency and store faults, EventStoreDB (test server)',
    files: ['packages/eventstoredb/test/engine-contract.test.ts'],
    store: 'eventstoredb',
  },
  {
    guarantee: 'replay determinism',
    files: [
      'packages/engine/test/office.test.ts',
      'packages/cli/test/demo.test.ts',
      'packages/engine/test/upcasting.test.ts',
    ],
  },
];

interface JestJson {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly assertionResults: ReadonlyArray<{ readonly status: string; readonly fullName: string }>;
  }>;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'duban-reliability-'));
const groups = GROUPS.filter((g) => !quick || g.store === undefined);
const files = groups.flatMap((g) => g.files);
const command = ['jest', '--runInBand', '--json', `--outputFile=${path.join(dir, 'jest.json')}`, ...files];
console.log(`$ DUBAN_RELIABILITY_DIR=${dir} npx ${command.join(' ')}`);
spawnSync('npx', command, {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DUBAN_RELIABILITY_DIR: dir },
});
const jest = JSON.parse(readFileSync(path.join(dir, 'jest.json'), 'utf8')) as JestJson;
const figures = (name: string): Record<string, unknown> | undefined => {
  const file = path.join(dir, `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
};

console.log(
  `\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${os.platform()}`,
);
let failed = 0;
for (const g of groups) {
  console.log(`\n${g.guarantee}`);
  for (const f of g.files) {
    const result = jest.testResults.find((r) => path.relative(root, r.name) === f);
    const tests = result?.assertionResults ?? [];
    const passed = tests.filter((t) => t.status === 'passed').length;
    failed += tests.length - passed + (result ? 0 : 1);
    // The contract suite names its races in its titles: "(200 races)".
    const races = tests.reduce((n, t) => n + Number(/\((\d+) races\)/.exec(t.fullName)?.[1] ?? 0), 0);
    console.log(
      `  ${f}: ${result ? `${passed}/${tests.length} tests passed${races > 0 ? `, ${races} races` : ''}` : 'DID NOT RUN'}`,
    );
  }
}

const sweep = figures('tamper-sweep');
if (sweep)
  console.log(
    `\ntamper sweep: ${sweep.attacks} attacks; caught by verify without heads ${sweep.caughtWithoutHeads}, with heads ${sweep.caughtWithHeads}, with a seal ${sweep.caughtWithSeal}`,
  );
const matrix = figures('authorization-matrix');
if (matrix)
  console.log(
    `authorization matrix: ${matrix.commands} commands × ${matrix.actors} actors (${matrix.actorKinds} kinds) = ${matrix.cells} cells; ${matrix.accepted} accepted, ${matrix.denied} refused (typed), ${matrix.deniedAndAppended} refusals appended anything\n  refusals by code: ${Object.entries(
      matrix.deniedByCode as Record<string, number>,
    )
      .map(([code, n]) => `${code} ${n}`)
      .join(', ')}`,
  );
const fuzz = figures('fuzz');
if (fuzz) {
  const total = Object.values(fuzz as Record<string, number>).reduce((a, b) => a + b, 0);
  console.log(`hostile-input runs made (hostile-input-fuzz.test.ts): ${total}`);
  for (const [name, n] of Object.entries(fuzz)) console.log(`  ${name}: ${String(n)}`);
}
// The other property tests state their runs; fast-check's default is 100.
const configured = groups
  .find((g) => g.guarantee.startsWith('hostile input'))!
  .files.filter((f) => !f.includes('hostile-input-fuzz'))
  .map((f) => {
    const text = readFileSync(path.join(root, f), 'utf8');
    const properties = (text.match(/fc\.assert\(/g) ?? []).length;
    const stated = [...text.matchAll(/numRuns:\s*([\d_]+)/g)].map((m) => Number(m[1]!.replace(/_/g, '')));
    const runs = stated.reduce((a, b) => a + b, 0) + (properties - stated.length) * 100;
    return { f, properties, runs };
  });
console.log(
  `other property tests, runs as configured: ${configured.reduce((a, c) => a + c.runs, 0)} in ${configured.reduce((a, c) => a + c.properties, 0)} properties`,
);
for (const c of configured) console.log(`  ${c.f}: ${c.properties} properties, ${c.runs} runs`);
console.log(failed === 0 ? '\nevery test passed' : `\n${failed} tests failed or did not run`);
process.exitCode = failed === 0 ? 0 : 1;
