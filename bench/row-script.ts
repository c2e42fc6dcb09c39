import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * row.ts as one JavaScript file, which the row processes run with plain `node`: under the tsx loader a
 * process starts some 40 MB heavier (79 MB against 41 MB here), and a row's peak RSS is meant to be what a
 * user of the built packages pays, as the CLI rows are. The bench's own files are bundled; every package
 * (@duban/* through their built dist, the peers, pg) stays a `require` resolved from bench/node_modules.
 * Built on every run: esbuild takes well under a second, and a stale copy would measure old bench code.
 */
export const buildRowScript = (
  outfile = join(__dirname, 'node_modules', '.cache', 'duban-bench', 'js', 'row.js'),
): string => {
  buildSync({
    entryPoints: [join(__dirname, 'row.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Not the root tsconfig: its `paths` would bundle @duban/* from their sources instead of their dist.
    tsconfig: join(__dirname, 'tsconfig.run.json'),
    // The bench finds its workload cache and sources next to its own files, not next to the bundle.
    define: { __dirname: JSON.stringify(__dirname) },
    logLevel: 'warning',
  });
  return outfile;
};
