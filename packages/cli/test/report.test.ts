import { defaultContext } from '@duban/domain';
import { DEFAULT_SCORING_POLICY, rebuild, supervisionProjection, unitScorecard } from '@duban/engine';
import { duban, ndjson, read, smallHistory, tempDir, write } from './helpers';

/*
 * The small history ranks, for 2022Q1 (numbers as in the engine's scorecard test):
 *   commerce 78.5 (T1 lead good, T3 co-unit poor, half of T3's late closure)
 *   finance 76 (T1 co-unit good, T2 lead key basic, written notice −2)
 *   transport 57 (T3 lead poor, late closure −3)
 */
describe('duban report', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
  });

  it('prints the ranking, every line of every score, warnings and flags', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2022Q1'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('通报 Quarterly ranking 2022Q1 — h.ndjson, 23 events');
    const rows = r.stdout.split('\n').filter((l) => /^│ +\d+ │/.test(l));
    expect(
      rows.map((l) =>
        l
          .split('│')
          .map((c) => c.trim())
          .slice(1, 4),
      ),
    ).toEqual([
      ['1', 'bureau-of-commerce', '78.50'],
      ['2', 'bureau-of-finance', '76.00'],
      ['3', 'bureau-of-transport', '57.00'],
    ]);
    expect(r.stdout).toContain('#2 bureau-of-finance: 76.00');
    expect(r.stdout).toMatch(/-2 +T2 as lead unit: written supervision notice DB-2022-09 .* \[task-T2@4\]/);
    expect(r.stdout).toContain('约谈问责 Accountability flags for 2022Q1');
    expect(r.stdout).toMatch(/bureau-of-transport +│ interview 约谈 +│ ranked-low 排名靠后/);
  });

  it('answers in JSON with the same numbers as the engine', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2022Q1', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ranking: unknown[];
      quarters: string[];
      accountabilityFlags: unknown[];
    };
    const model = await rebuild(
      supervisionProjection,
      lines.map((l) => JSON.parse(l)),
    );
    expect(out.ranking).toEqual(unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, defaultContext()));
    expect(out.quarters).toEqual(['2022Q1']);
  });

  it('writes CSV, one row per score line, quoted where needed', async () => {
    const r = await duban(['report', 'h.ndjson', '--format', 'csv', '--out', 'r.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote the 2022Q1 report (csv) to r.csv');
    const csv = await read(dir, 'r.csv');
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'quarter,rank,unit,unit_name,score,average,deductions,overdue,line,task,points,text,evidence',
    );
    expect(rows).toContain(
      '2022Q1,1,bureau-of-commerce,,78.5,80,1.5,1,average,,80,weighted average: 120 / 1.5 = 80,',
    );
    expect(rows.find((l) => l.includes('T2 as lead unit, key task'))).toBe(
      '2022Q1,2,bureau-of-finance,,76,78,2,0,grade,T2,150,"T2 as lead unit, key task: basic = 75 points × weight 2",task-T2@7',
    );
  });

  it('writes one self-contained HTML page', async () => {
    const r = await duban(['report', 'h.ndjson', '--format', 'html', '--out', 'r.html'], { cwd: dir });
    expect(r.code).toBe(0);
    const html = await read(dir, 'r.html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script|<link |@import|url\(/);
    expect(html).toContain('<table class="ranking" data-quarter="2022Q1">');
    expect((html.match(/<rect class="bar /g) ?? []).length).toBe(3);
    expect(html).toContain('id="task-T2"');
    expect(html).toContain('href="#task-T2-r4"');
    expect(html).toContain('id="task-T2-r4"');
    expect(html).toContain('评分排名 <span class="en">Ranking</span>');
  });

  it('says there is nobody to rank in a quarter without closures, and refuses a bad quarter', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2022Q3'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No task was closed in 2022Q3: nobody to rank.');
    const bad = await duban(['report', 'h.ndjson', '--quarter', 'spring'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quarter spring: must be a quarter like 2022Q1');
    const format = await duban(['report', 'h.ndjson', '--format', 'pdf'], { cwd: dir });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'pdf' is invalid");
  });

  it('refuses a history with an unknown event type, naming the line', async () => {
    const v = JSON.parse(lines[7]!);
    await write(
      dir,
      'odd.ndjson',
      ndjson([...lines.slice(0, 7), JSON.stringify({ ...v, type: 'TaskForgotten' }), ...lines.slice(8)]),
    );
    const r = await duban(['report', 'odd.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^duban: odd\.ndjson:8: task-T1 revision 3: /);
  });

  it('uses unit names given in a file', async () => {
    await write(dir, 'names.json', JSON.stringify({ 'bureau-of-commerce': '市商务局' }));
    const r = await duban(['report', 'h.ndjson', '--unit-names', 'names.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('市商务局 bureau-of-commerce');
    await write(dir, 'bad-names.json', '["x"]');
    const bad = await duban(['report', 'h.ndjson', '--unit-names', 'bad-names.json'], { cwd: dir });
    expect(bad.code).toBe(2);
  });
});

describe('duban report --policy', () => {
  it('scores with a deployment policy merged onto the default, and names a bad key', async () => {
    const { lines } = await smallHistory();
    const dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
    await write(dir, 'policy.json', JSON.stringify({ deductions: { lateClosure: 10 } }));
    const r = await duban(['report', 'h.ndjson', '--policy', 'policy.json', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ranking: Array<{ unitId: string; score: number }>;
      policy: { deductions: { lateClosure: number; writtenNotice: number } };
    };
    expect(out.policy.deductions).toMatchObject({ lateClosure: 10, writtenNotice: 2 });
    // transport: 60 − 10 for its late closure
    expect(out.ranking.find((s) => s.unitId === 'bureau-of-transport')!.score).toBe(50);
    await write(dir, 'typo.json', JSON.stringify({ deductions: { lateClosing: 10 } }));
    const bad = await duban(['report', 'h.ndjson', '--policy', 'typo.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--policy typo.json: deductions.lateClosing is not part of a scoring policy',
    );
  });
});
