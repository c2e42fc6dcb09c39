/**
 * Writes docs/event-catalogue.md from the io-ts codecs of @duban/domain (see
 * packages/cli/src/docs/event-catalogue.ts). `--check` writes nothing and exits 1 when the committed
 * file is stale. Run with `tsx scripts/generate-event-catalogue.ts`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { renderEventCatalogue } from '../packages/cli/src/docs/event-catalogue';

const target = path.resolve(__dirname, '..', 'docs', 'event-catalogue.md');

const main = async () => {
  const text = renderEventCatalogue();
  if (process.argv.includes('--check')) {
    const current = await fs.readFile(target, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write('docs/event-catalogue.md is stale: run `pnpm docs:catalogue` and commit it\n');
      process.exitCode = 1;
    }
    return;
  }
  await fs.writeFile(target, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
};

void main();
