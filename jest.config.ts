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
    '^@duban/(domain|engine|testing|eventstoredb|cli|esdb-test-server)$':
      '<rootDir>/packages/$1/src/index.ts',
  },
  testTimeout: 30_000,
};

export default config;
