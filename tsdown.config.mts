import { defineConfig } from 'tsdown';

// One build for every publishable package (workspace mode): each packages/<name> with a package.json
// is built from its src/index.ts into dist/ — index.mjs + index.d.mts for `import`, index.cjs +
// index.d.cts for `require` — which is what the `exports` map of every package.json points at
// (CONTRIBUTING.md, "Adding a package"). Dependencies are never bundled: each package imports its
// dependencies, @duban/* included, by name. Deep imports of packages without an `exports` map
// (`fp-ts/Either`) are written out as the file Node resolves (`fp-ts/lib/Either.js`), so the ESM
// build and the .d.mts also load under Node's ESM resolver and TypeScript's node16 mode.
export default defineConfig({
  workspace: { include: ['packages/*'] },
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  // Relative to each package: @duban/* resolve to the sibling sources (paths), so packages build in
  // any order, and only src/ is compiled (tests, bench and examples are not).
  tsconfig: '../../tsconfig.build.json',
  failOnWarn: true,
  checks: { pluginTimings: false },
  // A dynamic import() of a dependency (the CLI loads EventStoreDB's client only when asked for it)
  // stays require() in the CommonJS build: import() there would load the package's ESM build beside
  // the CommonJS one already loaded (two copies of @duban/engine, its classes unequal).
  outputOptions: { dynamicImportInCjs: false },
});
