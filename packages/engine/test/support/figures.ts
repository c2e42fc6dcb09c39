import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Figures a test measured, for `pnpm run reliability` (docs/reliability.md): written only when that
 * script runs the test and names a folder in DUBAN_RELIABILITY_DIR; a plain test run writes nothing.
 */
export const recordFigures = (name: string, figures: unknown): void => {
  const dir = process.env.DUBAN_RELIABILITY_DIR;
  if (dir) writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
};
