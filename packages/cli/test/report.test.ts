import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { defaultContext, DEFAULT_SCORING_POLICY } from '@duban/domain';
import { rebuild, supervisionProjection, unitScorecard } from '@duban/engine';
import { duban, ndjson, read, smallHistory, tempDir, write } from './helpers';

/*
 * The small history ranks, for 2022Q1 (numbers as in the engine's scorecard test):
 *   commerce 78.5 (T1 lead good, T3 co-unit poor, half of T3's late closure)
 *   finance 70 (T1 co-unit poor on its own part — it never reported —, T2 lead key basic, written notice −2)
 *   transport 57 (T3 lead poor, late closure −3)
 */
/** The small history ranks three units: a policy that flags the last two of a field that small, below 80. */
const SMALL_FIELD = JSON.stringify({ accountability: { minRankedUnits: 2, lowRankBelowScore: 80 } });

describe('duban report', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
    await write(dir, 'small-field.json', SMALL_FIELD);
  });

  it('prints the ranking, every line of every score, warnings and flags', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2022Q1', '--policy', 'small-field.json'], {
      cwd: dir,
    });
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
      ['2', 'bureau-of-finance', '70.00'],
      ['3', 'bureau-of-transport', '57.00'],
    ]);
    expect(r.stdout).toContain('#2 bureau-of-finance: 70.00');
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
    expect(csv.startsWith('\ufeff')).toBe(true); // UTF-8 with BOM: Excel reads Chinese names right
    const rows = csv.slice(1).trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'quarter,rank,unit,unit_name,score,average,deductions,overdue,line,task,points,text,evidence',
    );
    expect(rows).toContain(
      '2022Q1,1,bureau-of-commerce,,78.5,80,1.5,1,average,,80,weighted average: 120 / 1.5 = 80,',
    );
    expect(rows.find((l) => l.includes('T2 as lead unit, key task'))).toBe(
      '2022Q1,2,bureau-of-finance,,70,72,2,0,grade,T2,150,"T2 as lead unit, key task: basic = 75 points × weight 2",task-T2@7',
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
    const r = await duban(['report', 'h.ndjson', '--quarter', '2021Q4'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing was closed in 2021Q4 or overdue at its end: nobody to rank.');
    expect(r.stdout).toContain('No office record in this history: the default calendar');
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
    expect(bad.stderr).toContain('--policy typo.json: not a scoring policy (1 problem; nothing was reported');
    expect(bad.stderr).toContain('\n  deductions.lateClosing: is not part of a scoring policy\n');
  });
});

describe('duban report --policy refuses a policy that is not one', () => {
  let dir: string;
  beforeAll(async () => {
    const { lines } = await smallHistory();
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
  });

  it('names every field out of its range, and reports nothing', async () => {
    await write(
      dir,
      'absurd.json',
      '{"deductions":{"lateClosure":-1e308,"interview":500},"coUnitWeight":0,"accountability":{"bottomN":2.5}}',
    );
    const r = await duban(['report', 'h.ndjson', '--policy', 'absurd.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'duban: --policy absurd.json: not a scoring policy (4 problems; nothing was reported; the ranges are in docs/scoring-policy.md)\n' +
        '  coUnitWeight: must be a number greater than 0 and at most 1, got 0\n' +
        '  deductions.lateClosure: must be a number from 0 to 100, got -1e+308\n' +
        '  deductions.interview: must be a number from 0 to 100, got 500\n' +
        '  accountability.bottomN: must be a whole number from 0 to 100, got 2.5\n',
    );
  });

  it('reads the file as strictly as a history: no number out of range, no key twice', async () => {
    await write(dir, 'inf.json', '{"deductions":{"lateClosure":1e309}}');
    const inf = await duban(['report', 'h.ndjson', '--policy', 'inf.json'], { cwd: dir });
    expect(inf.code).toBe(2);
    expect(inf.stderr).toContain(
      '--policy inf.json: deductions.lateClosure: the number 1e309 is out of range',
    );
    await write(dir, 'twice.json', '{"deductions":{"lateClosure":1,"lateClosure":9}}');
    const twice = await duban(['report', 'h.ndjson', '--policy', 'twice.json'], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(
      '--policy twice.json: deductions.lateClosure: the key "lateClosure" occurs twice',
    );
    await write(dir, 'proto.json', '{"__proto__":{"keyTaskWeight":100}}');
    const proto = await duban(['report', 'h.ndjson', '--policy', 'proto.json'], { cwd: dir });
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('  __proto__: is not part of a scoring policy');
  });
});

describe('"as of" and the quarter reported', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
  });

  it('refuses a quarter that begins after the history ends, saying so plainly', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2023Q1'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'duban: h.ndjson: 2023Q1 lies past the end of the history: its last event is at 2022-03-21 09:00, and 2023Q1 begins on 2023-01-01.',
    );
    expect(r.stderr).not.toContain('working days past its deadline');
    const earlier = await duban(['report', 'h.ndjson', '--quarter', '2022Q1', '--as-of', '2021-12-31'], {
      cwd: dir,
    });
    expect(earlier.code).toBe(1);
    expect(earlier.stderr).toContain(
      'h.ndjson: holds no event at or before --as-of 2021-12-31T23:59:59.999+08:00',
    );
  });

  it('says when the quarter is not over as of the instant read, and when --as-of lies past the end', async () => {
    const mid = await duban(['report', 'h.ndjson', '--quarter', '2022Q1'], { cwd: dir });
    expect(mid.stdout).toContain(
      'Note: 2022Q1 is not over as of 2022-03-21 09:00 (it ends on 2022-03-31): the ranking counts the closures up to then',
    );
    const after = await duban(['report', 'h.ndjson', '--as-of', '2022-06-30'], { cwd: dir });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(
      'Note: the history ends at 2022-03-21 09:00, before --as-of 2022-06-30 23:59: read as though nothing happened after its last event',
    );
    expect(after.stdout).not.toContain('is not over');
    const json = await duban(['report', 'h.ndjson', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toEqual([
      expect.stringContaining('2022Q1 is not over as of 2022-03-21 09:00'),
    ]);
    expect(json.stderr).toContain('note: 2022Q1 is not over');
  });

  it('uses one "as of" everywhere: the demo page and report --format html on its history agree', async () => {
    const demo = await duban(['demo', '--units', '4', '--tasks', '6', '--quarters', '1', '--out', 'd'], {
      cwd: dir,
    });
    expect(demo.code).toBe(0);
    const asOf = (html: string) => /截至 As of: ([^<]*?) ·/.exec(html)![1];
    const page = await read(dir, 'd/report.html');
    const again = await duban(['report', 'd/history.ndjson', '--format', 'html', '--quarter', '2022Q1'], {
      cwd: dir,
    });
    expect(asOf(again.stdout)).toBe(asOf(page));
    // and it is the business time of the history's last event
    const last = (await read(dir, 'd/history.ndjson')).trimEnd().split('\n').at(-1)!;
    const lastAt = (JSON.parse(last) as { metadata: { at: string } }).metadata.at;
    expect(asOf(page)).toContain(`(${lastAt})`);
    expect(demo.stdout).toContain(`Warnings as of ${asOf(page)!.slice(0, 16)}`);
  });
});

describe('CSV for spreadsheets', () => {
  let dir: string;
  beforeAll(async () => {
    const { lines } = await smallHistory();
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
    await write(dir, 'names.json', JSON.stringify({ 'bureau-of-transport': '市交通运输局, "路桥"' }));
    await write(dir, 'small-field.json', SMALL_FIELD);
  });

  it('writes warnings and flags too, one row each, UTF-8 with a BOM, Chinese names quoted where needed', async () => {
    const flags = await duban(
      [
        'report',
        'h.ndjson',
        '--format',
        'csv-flags',
        '--unit-names',
        'names.json',
        '--as-of',
        '2022-03-31',
        '--policy',
        'small-field.json',
      ],
      { cwd: dir },
    );
    expect(flags.code).toBe(0);
    expect(
      flags.stdout.startsWith(
        '\ufeffquarter,unit,unit_name,action,action_zh,reason,reason_zh,detail,evidence\r\n',
      ),
    ).toBe(true);
    expect(flags.stdout).toContain(
      '2022Q1,bureau-of-transport,"市交通运输局, ""路桥""",interview,约谈,ranked-low,排名靠后,"among the last 2 of 2022Q1\'s ranking, below 80",task-T3@6\r\n',
    );
    const warnings = await duban(
      ['report', 'h.ndjson', '--format', 'csv-warnings', '--as-of', '2022-03-09'],
      {
        cwd: dir,
      },
    );
    expect(warnings.code).toBe(0);
    const rows = warnings.stdout.slice(1).trimEnd().split('\r\n');
    expect(rows[0]).toBe('as_of,task,lead_unit,lead_unit_name,warning,warning_zh,detail,evidence');
    expect(rows.slice(1).some((r) => /^2022-03-09 23:59,T3,bureau-of-transport,,overdue,逾期,/.test(r))).toBe(
      true,
    );
    const out = await duban(['report', 'h.ndjson', '--format', 'csv-warnings', '--out', 'w.csv'], {
      cwd: dir,
    });
    expect(out.code).toBe(0);
    expect((await read(dir, 'w.csv')).startsWith('\ufeffas_of,')).toBe(true);
  });
});

test('docs/scoring-policy.md shows what `duban report --policy` prints for a bad policy', async () => {
  const doc = await fs.readFile(path.join(__dirname, '../../../docs/scoring-policy.md'), 'utf8');
  const m =
    /\$ cat absurd\.json\n(.*)\n\$ duban report history\.ndjson --policy absurd\.json\n([\s\S]*?)\n```/.exec(
      doc,
    )!;
  const dir = tempDir();
  const { lines } = await smallHistory();
  await write(dir, 'history.ndjson', ndjson(lines));
  await write(dir, 'absurd.json', m[1]!);
  const r = await duban(['report', 'history.ndjson', '--policy', 'absurd.json'], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd()).toBe(m[2]);
});
