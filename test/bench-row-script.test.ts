import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRowScript } from '../bench/row-script';

/**
 * The bench's rows run a bundle of its TypeScript; what they measure must be the packages users install
 * (each one's built dist, loaded by `require`), not their sources compiled into the bundle — which the
 * root tsconfig's `paths` would do if the bundler followed them.
 */
it("the bench's row script loads every package, @duban/* included, instead of bundling its sources", () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-row-script-'));
  try {
    const script = readFileSync(buildRowScript(join(dir, 'row.js')), 'utf8');
    const required = new Set([...script.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    for (const name of ['@duban/domain', '@duban/engine', '@castore/core', '@event-driven-io/emmett', 'pg'])
      expect(required).toContain(name);
    // esbuild heads each bundled file with its path: none of the packages' sources may be among them.
    expect(script).not.toMatch(/^\/\/ packages\/(domain|engine|postgres)\//m);
    expect(script).toMatch(/^\/\/ bench\/row\.ts$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
