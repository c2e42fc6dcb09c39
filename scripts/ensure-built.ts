/**
 * Builds the packages whose dist/ is missing or older than their sources, and nothing else: the
 * `duban` binary runs the compiled build, so `pnpm demo`, `pnpm duban` and the test run (jest's
 * globalSetup) call this first. On a fresh clone that is one full build; afterwards usually nothing.
 * Bundles never inline another @duban package, so a package is stale only when its own files changed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
/** What every package's dist/ must hold (the targets of its `exports` map). */
const OUTPUTS = ['index.mjs', 'index.cjs', 'index.d.mts', 'index.d.cts'];
/** Files outside a package that change every build. */
const SHARED_INPUTS = ['tsdown.config.mts', 'tsconfig.base.json', 'tsconfig.build.json'];

const newest = (target: string): number => {
  const s = statSync(target);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const entry of readdirSync(target)) max = Math.max(max, newest(path.join(target, entry)));
  return max;
};

export interface StalePackage {
  readonly name: string;
  readonly reason: string;
}

/** The publishable packages (packages/*, not private) whose build is missing or out of date. */
export const stalePackages = (): StalePackage[] => {
  const shared = Math.max(...SHARED_INPUTS.map((f) => newest(path.join(root, f))));
  const stale: StalePackage[] = [];
  for (const dir of readdirSync(path.join(root, 'packages'))) {
    const pkgDir = path.join(root, 'packages', dir);
    const manifest = path.join(pkgDir, 'package.json');
    if (!existsSync(manifest) || !existsSync(path.join(pkgDir, 'src', 'index.ts'))) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; private?: boolean };
    if (pkg.private) continue;
    const outputs = OUTPUTS.map((f) => path.join(pkgDir, 'dist', f));
    const missing = outputs.find((f) => !existsSync(f));
    if (missing) {
      stale.push({ name: pkg.name, reason: `no ${path.relative(pkgDir, missing)}` });
      continue;
    }
    const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
    const inputs = Math.max(shared, newest(path.join(pkgDir, 'src')), statSync(manifest).mtimeMs);
    if (inputs > built) stale.push({ name: pkg.name, reason: 'sources changed since the last build' });
  }
  return stale;
};

/** Builds what is stale (tsdown, filtered to those packages); throws when the build fails. */
export const ensureBuilt = (): void => {
  const stale = stalePackages();
  if (stale.length === 0) return;
  for (const s of stale) process.stderr.write(`building ${s.name}: ${s.reason}\n`);
  const tsdown = path.join(root, 'node_modules', '.bin', 'tsdown');
  const filters = stale.flatMap((s) => ['--filter', s.name]);
  const r = spawnSync(tsdown, ['--logLevel', 'warn', ...filters], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the build failed (${tsdown} exited with ${r.status ?? r.signal})`);
};

// jest's globalSetup calls the default export; `tsx scripts/ensure-built.ts` runs it directly.
export default ensureBuilt;

if (require.main === module) {
  try {
    ensureBuilt();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
