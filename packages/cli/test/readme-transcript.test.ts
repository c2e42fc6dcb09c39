import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { duban, tempDir } from './helpers';

// The README shows `pnpm demo`'s output; it must be what the demo prints today.
test('the README transcript is what `duban demo` prints', async () => {
  const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('$ pnpm demo\n') + '$ pnpm demo\n'.length);
  const transcript = block.slice(0, block.indexOf('\n```')).trimEnd();
  const r = await duban(['demo'], { cwd: tempDir() });
  expect(r.code).toBe(0);
  const printed = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('Next:') && !l.startsWith('      duban '))
    .join('\n')
    .trimEnd();
  expect(transcript).toBe(printed);
});
