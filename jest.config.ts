import type { Config } from 'jest';

// One jest run covers every package. Sources are compiled by ts-jest without type checking
// (`pnpm typecheck` does that once for the whole tree), and @duban/* resolves to each package's src.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@duban/(domain|engine|testing|eventstoredb|postgres|cli|esdb-test-server)$':
      '<rootDir>/packages/$1/src/index.ts',
  },
  testTimeout: 30_000,
  // One PostgreSQL server per run (or DUBAN_PG_URL's); each PostgreSQL test file makes a database on it.
  globalSetup: '<rootDir>/packages/postgres/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/packages/postgres/test/support/global-teardown.ts',
};

export default config;
