import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Every publishable package follows one pattern (CONTRIBUTING.md, "Adding a package"), so the shared
 * build, the consumer test, the API reference and the release tooling work for it without changes.
 * What a tarball actually holds, and how it installs and loads, is `pnpm test:consumer`'s part.
 */
const root = path.resolve(__dirname, '..');
const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  main?: string;
  module?: string;
  types?: string;
  exports?: unknown;
  files?: string[];
  bin?: Record<string, string>;
  sideEffects?: unknown;
  engines?: Record<string, string>;
  license?: string;
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  bugs?: string;
  keywords?: string[];
  publishConfig?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const workspaceDirs = [
  ...readdirSync(path.join(root, 'packages')).map((d) => `packages/${d}`),
  'examples',
  'bench',
].filter((d) => existsSync(path.join(root, d, 'package.json')));
const manifests = new Map(workspaceDirs.map((d) => [d, read<Manifest>(path.join(root, d, 'package.json'))]));
const published = [...manifests].filter(([d, m]) => d.startsWith('packages/') && !m.private);

const EXPORTS = {
  '.': {
    import: { types: './dist/index.d.mts', default: './dist/index.mjs' },
    require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
  },
  './package.json': './package.json',
};

describe('every published package', () => {
  it('is found (the test checks what it claims to)', () => {
    expect(published.map(([, m]) => m.name)).toEqual(
      expect.arrayContaining(['@duban/domain', '@duban/engine', '@duban/cli']),
    );
  });

  it.each(published)('%s follows the package pattern', (dir, m) => {
    const repo = manifests.get('packages/domain')!.repository!.url;
    expect({
      type: m.type,
      exports: m.exports,
      main: m.main,
      module: m.module,
      types: m.types,
      files: m.files?.[0],
      sideEffects: typeof m.sideEffects,
      engines: m.engines,
      license: m.license,
      repository: m.repository,
      homepage: m.homepage?.startsWith('https://') && m.homepage.includes(dir),
      keywords: (m.keywords?.length ?? 0) > 0,
      publishConfig: m.publishConfig,
    }).toEqual({
      type: 'commonjs',
      exports: EXPORTS,
      main: './dist/index.cjs',
      module: './dist/index.mjs',
      types: './dist/index.d.cts',
      files: 'dist',
      sideEffects: 'boolean',
      engines: { node: '>=20' },
      license: 'MIT',
      repository: { type: 'git', url: repo, directory: dir },
      homepage: true,
      keywords: true,
      publishConfig: { access: 'public' },
    });
    for (const file of ['src/index.ts', 'README.md', 'CHANGELOG.md', 'LICENSE'])
      expect([file, existsSync(path.join(root, dir, file))]).toEqual([file, true]);
    expect(readFileSync(path.join(root, dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(path.join(root, 'LICENSE'), 'utf8'),
    );
    // A bin ships with the package and runs compiled JavaScript, not TypeScript through a loader.
    for (const bin of Object.values(m.bin ?? {})) {
      expect(m.files).toContain(bin.split('/')[0]);
      expect(readFileSync(path.join(root, dir, bin), 'utf8')).not.toMatch(/tsx|ts-node|\.ts['"]/);
    }
    expect(Object.keys(m.dependencies ?? {})).not.toEqual(expect.arrayContaining(['tsx']));
  });
});

describe('workspace dependencies', () => {
  const names = new Map([...manifests].map(([d, m]) => [m.name, d]));
  const edges = (m: Manifest) =>
    Object.keys({ ...m.dependencies, ...m.devDependencies, ...m.peerDependencies }).filter((n) =>
      names.has(n),
    );

  it('form no cycle, dev dependencies included (pnpm warns about those)', () => {
    const cycles: string[] = [];
    const visit = (name: string, trail: string[]) => {
      if (trail.includes(name)) {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' → '));
        return;
      }
      for (const next of edges(manifests.get(names.get(name)!)!)) visit(next, [...trail, name]);
    };
    for (const name of names.keys()) visit(name, []);
    expect([...new Set(cycles)]).toEqual([]);
  });

  it('leave the domain on its own: it depends on no other workspace package', () => {
    expect(edges(manifests.get('packages/domain')!)).toEqual([]);
  });

  it('use the workspace protocol, which pnpm pack replaces with the version', () => {
    const loose = [...manifests].flatMap(([d, m]) =>
      Object.entries({ ...m.dependencies, ...m.devDependencies })
        .filter(([n, v]) => names.has(n) && !v.startsWith('workspace:'))
        .map(([n, v]) => `${d}: ${n}@${v}`),
    );
    expect(loose).toEqual([]);
  });
});
