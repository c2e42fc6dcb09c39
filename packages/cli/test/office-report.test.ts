import { officeFixture, runQuarterScenario, taskFixture } from '@duban/testing';
import { DOMAIN_STREAM_PREFIXES, createEngine, createInMemoryEventStore, type Engine } from '@duban/engine';
import { isLeft } from 'fp-ts/Either';
import { DEFAULT_SCORING_POLICY, type Command } from '@duban/domain';
import { envelopeLine } from '../src/export';
import { duban, read, tempDir, write } from './helpers';

/**
 * A history that keeps its office record: the organisation, 2022's calendar, the quarter published on
 * 2 April, a criticism in August that regrades T1 after publication, and the year published and sent.
 */
const o = officeFixture();
let n = 0;
const exec = async (engine: Engine, c: Command) => {
  const r = await engine.execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `c-${++n}` },
  );
  if (isLeft(r)) throw new Error(`${c.type}: ${r.left.message}`);
};
const officeHistory = async (withYear: boolean): Promise<string> => {
  const engine = createEngine({ store: createInMemoryEventStore() });
  for (const c of [...o.setup(), o.stateCouncilCalendar(2022)]) await exec(engine, c);
  await runQuarterScenario(engine);
  await exec(engine, o.publish('2022Q1', '2022-04-02T09:00:00.000+08:00'));
  await exec(engine, taskFixture({ taskId: 'T1' }).criticise('C-9', '2022-08-01T09:00:00.000+08:00'));
  if (withYear) {
    await exec(engine, o.publishYear(2022, '2023-01-05T09:00:00.000+08:00'));
    await exec(
      engine,
      o.command(
        'RecordAnnualResultsSent',
        { year: 2022, recipient: 'organization-personnel', reference: 'CZ-2023-4' },
        o.inspectionOffice,
        '2023-01-06T09:00:00.000+08:00',
      ),
    );
  }
  const lines: string[] = [];
  for await (const e of engine.store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
    lines.push(envelopeLine({ type: e.type, data: e.data, metadata: e.metadata }));
  return lines.join('');
};

describe('reports on a history that keeps its office record', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await write(dir, 'office.ndjson', await officeHistory(false));
    await write(dir, 'year.ndjson', await officeHistory(true));
  });

  it('a published quarter shows as published, under the rules on record, whatever was recorded since', async () => {
    const r = await duban(['report', 'office.ndjson', '--quarter', '2022Q1'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Rules from the office's record (长治市人民政府办公室): calendar 2022, 13710 time limits, the default scoring policy",
    );
    expect(r.stdout).toMatch(
      /Published 2022-04-02 09:00 \(office record, revision \d+\) under the default scoring policy/,
    );
    const rows = r.stdout
      .split('\n')
      .filter((l) => /^│ +\d+ │/.test(l))
      .map((l) =>
        l
          .split('│')
          .map((c) => c.trim())
          .slice(1, 4),
      );
    expect(rows).toEqual([
      ['1', 'bureau-of-commerce', '78.50'],
      ['2', 'bureau-of-finance', '70.00'],
      ['3', 'bureau-of-transport', '57.00'],
    ]);
  });

  it('the regrade after publication is booked in the quarter it was recorded', async () => {
    const r = await duban(['report', 'office.ndjson', '--quarter', '2022Q3', '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      published: unknown;
      unranked: Array<{ unitId: string; reason: string }>;
    };
    expect(json.published).toBeNull();
    expect(json.unranked.map((u) => [u.unitId, /a correction of (-?[\d.]+)/.exec(u.reason)?.[1]])).toEqual([
      ['bureau-of-commerce', '-33.33'],
    ]);
  });

  it('--year: the evaluation as computed before it is published, as published after, and to whom it was sent', async () => {
    const before = await duban(['report', 'office.ndjson', '--year', '2022'], { cwd: dir });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('年度评价 Annual evaluation 2022');
    expect(before.stdout).toContain(
      'Not published: computed from the quarters as they stand (2022Q1 published, 2022Q3 computed)',
    );
    expect(before.stdout).toContain('Sent: not yet');
    // The rule says which quarters were computed rather than published.
    expect(before.stdout).toContain(
      "Rule: the mean of the unit's quarterly scores of 2022 (published; 2022Q3 computed, not yet published)",
    );
    const after = await duban(['report', 'year.ndjson', '--year', '2022'], { cwd: dir });
    expect(after.stdout).toContain("Rule: the mean of the unit's published quarterly scores of 2022");
    expect(after.stdout).toMatch(
      /Published 2023-01-05 09:00 \(office record, revision \d+\): shown as published/,
    );
    expect(after.stdout).toMatch(/1 │ bureau-of-commerce +│ +78\.50 │ 合格 satisfactory/);
    expect(after.stdout).toContain(
      'Sent: 组织人事部门 the personnel department on 2023-01-06 09:00 (CZ-2023-4)',
    );
    const html = await duban(
      ['report', 'year.ndjson', '--year', '2022', '--format', 'html', '--out', 'year.html'],
      { cwd: dir },
    );
    expect(html.code).toBe(0);
    const page = await read(dir, 'year.html');
    expect(page).toContain('id="year-2022"');
    expect(page).toContain('<svg class="bar-chart" data-quarter="2022"');
    expect(page).toContain('组织人事部门');
    const csv = await duban(['report', 'year.ndjson', '--year', '2022', '--format', 'csv'], { cwd: dir });
    expect(csv.stdout).toContain('2022,1,bureau-of-commerce,,78.5,合格 satisfactory,2022Q1 78.5,');
    const both = await duban(['report', 'year.ndjson', '--year', '2022', '--quarter', '2022Q1'], {
      cwd: dir,
    });
    expect(both.code).toBe(2);
  });

  it('read as a unit: a published 通报 in full; an unpublished quarter and year its own line only', async () => {
    const json = async (args: string[]) => {
      const r = await duban(['report', 'office.ndjson', '--format', 'json', ...args], { cwd: dir });
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as {
        readAs: string;
        ranking: Array<{ unitId: string }>;
        unranked: Array<{ unitId: string }>;
        evaluation?: { units: Array<{ unitId: string; rank: number; score: number }> };
      };
    };
    const published = await json(['--quarter', '2022Q1', '--as', 'unit:bureau-of-transport']);
    expect(published.readAs).toBe('unit:bureau-of-transport');
    expect(published.ranking.map((s) => s.unitId)).toEqual([
      'bureau-of-commerce',
      'bureau-of-finance',
      'bureau-of-transport',
    ]);
    // 2022Q3 is not published: commerce's correction is its own line, not finance's to read.
    expect((await json(['--quarter', '2022Q3'])).unranked.map((u) => u.unitId)).toEqual([
      'bureau-of-commerce',
    ]);
    expect((await json(['--quarter', '2022Q3', '--as', 'unit:bureau-of-finance'])).unranked).toEqual([]);
    // The year is not published: the unit reads its own result, ranked among all.
    const year = await json(['--year', '2022']);
    const mine = await json(['--year', '2022', '--as', 'unit:bureau-of-finance']);
    expect(mine.evaluation!.units).toEqual(
      year.evaluation!.units.filter((u) => u.unitId === 'bureau-of-finance'),
    );
    expect(mine.evaluation!.units[0]!.rank).toBe(2);
    const bySection = await duban(
      ['report', 'office.ndjson', '--year', '2022', '--as', 'section:section-2'],
      {
        cwd: dir,
      },
    );
    expect(bySection.stdout).toContain("Units' results for 2022 are read once the evaluation is published.");
  });

  it('explain scores a task under the scoring policy the office had in force for its quarter', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const strict = {
      ...DEFAULT_SCORING_POLICY,
      gradePoints: { excellent: 100, good: 85, basic: 70, poor: 50, 'very-poor': 30 },
    };
    for (const c of [
      ...o.setup(),
      o.stateCouncilCalendar(2022),
      o.command(
        'AdoptScoringPolicy',
        { policy: strict, name: 'strict 2022', effectiveFromQuarter: '2022Q1' },
        o.mainLeader,
        '2022-01-04T09:00:00.000+08:00',
      ),
    ])
      await exec(engine, c);
    await runQuarterScenario(engine);
    const lines: string[] = [];
    for await (const e of engine.store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
      lines.push(envelopeLine({ type: e.type, data: e.data, metadata: e.metadata }));
    await write(dir, 'strict.ndjson', lines.join(''));
    const onRecord = await duban(['explain', 'strict.ndjson', 'T1'], { cwd: dir });
    const plain = await duban(['explain', 'office.ndjson', 'T1'], { cwd: dir });
    expect(onRecord.code).toBe(0);
    expect(onRecord.stdout).toContain(
      'What this task adds to the 2022Q1 scores (scoring policy "strict 2022" on record):',
    );
    expect(plain.stdout).toContain('What this task adds to the 2022Q1 scores (default scoring policy):');
    // The grade's points are the office's, not the defaults.
    const gradeLine = (out: string) => out.split('\n').find((l) => /^ +\+\d+/.test(l));
    expect(gradeLine(plain.stdout)).not.toEqual(gradeLine(onRecord.stdout));
  });

  it('a history without an office record says in one line that the defaults apply', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    await runQuarterScenario(engine);
    const lines: string[] = [];
    for await (const e of engine.store.readAll()) lines.push(envelopeLine(e));
    await write(dir, 'plain.ndjson', lines.join(''));
    const r = await duban(['report', 'plain.ndjson', '--quarter', '2022Q1'], { cwd: dir });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('No office record in this history'))).toHaveLength(
      1,
    );
    expect(r.stdout).toContain('Not published: computed from the history under the default scoring policy');
  });
});
