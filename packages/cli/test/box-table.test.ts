import Table from 'cli-table3';
import fc from 'fast-check';
import { BoxTable, type Align } from '../src/box-table';

/**
 * The CLI draws its tables itself, in linear time, in place of cli-table3 (whose layout grows faster
 * than the rows: minutes for a 74k-task board). Users' scripts and the README read the same text, so
 * the drawing must be exactly cli-table3's for every table the CLI draws.
 */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/** Cell text as the CLI hands it over: control characters are escaped before (`inline`), bar newlines. */
const printable = (s: string): string =>
  [...s]
    .filter((ch) => {
      const c = ch.codePointAt(0)!;
      return c >= 0x20 && (c < 0x7f || c > 0x9f);
    })
    .join('');

const both = (
  head: string[],
  rows: Array<Array<string | number>>,
  options: { compact?: boolean; colAligns?: Align[] } = {},
) => {
  const theirs = new Table({
    head,
    style: { head: [], border: [] },
    ...(options.compact ? { chars: COMPACT } : {}),
    ...(options.colAligns ? { colAligns: options.colAligns } : {}),
  });
  const ours = new BoxTable({
    head,
    ...(options.compact ? { chars: COMPACT } : {}),
    ...(options.colAligns ? { colAligns: options.colAligns } : {}),
  });
  for (const row of rows) {
    theirs.push(row);
    ours.push(row);
  }
  return { theirs: theirs.toString(), ours: ours.toString() };
};

describe('boxed tables drawn as cli-table3 draws them', () => {
  it('draws a task board (CJK, wide and narrow, multi-line cells, numbers) exactly alike', () => {
    const { theirs, ours } = both(
      ['任务 Task', '事项 Title', '状态 Status', '%', '等级 Grade'],
      [
        ['DB2022-009 ★', '加强安全生产检查，\n消除重大隐患', 'closed 已办结', 100, 'good 较好'],
        ['DB2022-010', 'Repair the bridge', 'in-progress 办理中', 35, '(basic)'],
        ['X', '', '—', 0, ''],
      ],
    );
    expect(ours).toBe(theirs);
  });

  it('aligns columns right, centre and left, compact (no row rules) or not, exactly alike', () => {
    const rows = [
      [1, '单位 unit-001', '12.50'],
      [12, 'unit-2', '7'],
    ];
    for (const compact of [false, true]) {
      const { theirs, ours } = both(['名次\nRank', '单位\nUnit', '得分\nScore'], rows, {
        compact,
        colAligns: ['right', 'center', 'right'],
      });
      expect(ours).toBe(theirs);
    }
  });

  it('draws any table of text alike (property)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12, unit: 'grapheme' }).map(printable),
      fc.constantFrom('督办', '任务台账\n第二行', '—', '★ key', '', 'a\nb\nc'),
      fc.integer({ min: -50, max: 5000 }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((columns) =>
          fc.record({
            head: fc.array(fc.string({ maxLength: 8, unit: 'grapheme' }).map(printable), {
              minLength: columns,
              maxLength: columns,
            }),
            rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { maxLength: 6 }),
            compact: fc.boolean(),
            aligns: fc.array(fc.constantFrom<Align>('left', 'right', 'center'), {
              minLength: columns,
              maxLength: columns,
            }),
          }),
        ),
        ({ head, rows, compact, aligns }) => {
          const { theirs, ours } = both(head, rows, { compact, colAligns: aligns });
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 300 },
    );
  });
});
