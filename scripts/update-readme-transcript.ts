import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run, captureStream } from '@duban/cli';

/**
 * Rewrites the README's `$ pnpm demo` transcript with what the demo prints today (the test
 * packages/cli/test/readme-transcript.test.ts fails until it matches): `pnpm docs:transcript`.
 */
const main = async () => {
  const readmePath = path.join(__dirname, '..', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const stdout = captureStream();
  const code = await run(['demo'], {
    stdout,
    stderr: captureStream(),
    cwd: mkdtempSync(path.join(tmpdir(), 'duban-demo-')),
  });
  if (code !== 0) throw new Error(`duban demo exited ${code}`);
  const printed = stdout
    .text()
    .split('\n')
    .filter((l) => !l.startsWith('Next:') && !l.startsWith('      duban '))
    .join('\n')
    .trimEnd();
  const start = readme.indexOf('$ pnpm demo\n') + '$ pnpm demo\n'.length;
  const end = readme.indexOf('\n```', start);
  writeFileSync(readmePath, `${readme.slice(0, start)}${printed}${readme.slice(end)}`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
