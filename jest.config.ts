import type { Config } from 'jest';

// One jest run covers every package and the repository-wide checks in test/. Sources are compiled by
// ts-jest without type checking (`pnpm typecheck` does that once for the whole tree), and @duban/*
// resolves to each package's src, so tests never wait for a build. Only the tests that spawn the
// `duban` binary need dist/: globalSetup builds the packages whose dist/ is missing or stale.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    // tsconfig.json's options, but not its node16 module: under it TypeScript keeps `import()` in
    // CommonJS files as a real dynamic import, which jest runs only with --experimental-vm-modules.
    // With an ES module kind, ts-jest emits CommonJS (import() becomes require) on its own.
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: { module: 'preserve', moduleResolution: 'bundler' }, diagnostics: false },
    ],
  },
  moduleNameMapper: {
    '^@duban/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testTimeout: 30_000,
  // The stale-build check, then one PostgreSQL server per run (or DUBAN_PG_URL's); each PostgreSQL
  // test file makes a database on it.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/packages/postgres/test/support/global-teardown.ts',
};

export default config;
