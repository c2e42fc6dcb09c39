import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Commands, Events } from '@duban/domain';
import { renderEventCatalogue } from '../src/docs/event-catalogue';

const FILE = path.resolve(__dirname, '../../../docs/event-catalogue.md');

describe('docs/event-catalogue.md', () => {
  it('is what the io-ts codecs say today (regenerate with `pnpm docs:catalogue`)', async () => {
    const committed = await fs.readFile(FILE, 'utf8').catch(() => '(missing)');
    const fresh = renderEventCatalogue();
    if (committed !== fresh)
      throw new Error(
        'docs/event-catalogue.md is stale: the codecs in @duban/domain changed. Run `pnpm docs:catalogue` ' +
          '(tsx scripts/generate-event-catalogue.ts) and commit the result.',
      );
  });

  it('has a section for every event and command, and every field of the codecs', () => {
    const text = renderEventCatalogue();
    for (const name of Object.keys(Events)) expect(text).toContain(`\n### ${name}\n`);
    for (const name of Object.keys(Commands)) expect(text).toContain(`\n### ${name} (command)\n`);
    expect(text).toContain('| `data.deadline` | `Instant` | yes |  |');
    expect(text).toContain('| `data.matrix.goals[].target` | `FiniteNumber` | yes |  |');
    expect(text).toContain('| `data.level` | one of | yes | `yellow`, `red` |');
  });
});
