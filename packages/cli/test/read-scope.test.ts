import type { Actor } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import { duban, historyFrom, ndjson, tempDir, write } from './helpers';

/**
 * Two tasks of one major special project (重大专项 ring-road), handed out by two sections:
 * - A-1 (section-2): commerce leads, finance co-operates with a duty and reports; a work plan with two
 *   dated milestones (Design met on time, Tender never reported); a difficulty answered by the section;
 *   a written notice with a reply date, replied to.
 * - B-1 (section-5): transport leads alone; accepted, never planned, its deadline missed.
 * - the inspection office's inspection on commerce's own record.
 */
const a = taskFixture({ taskId: 'A-1' });
const b = taskFixture({ taskId: 'B-1', deadlineInWorkingDays: 5 });
const transport: Actor = { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' };

let dir: string;
beforeAll(async () => {
  const { lines } = await historyFrom([
    a.assign({ project: 'ring-road' }),
    b.assign(
      { sectionId: 'section-5', leadUnit: 'bureau-of-transport', coUnits: [], project: 'ring-road' },
      b.actors.otherSection,
    ),
    a.accept(),
    b.accept(undefined, transport),
    a.submitPlan({
      milestones: [
        { name: 'Design', due: a.day(5) },
        { name: 'Tender', due: a.day(8) },
      ],
    }),
    a.report(
      { summary: 'Funds for the new windows set aside', percentComplete: 10 },
      a.day(3),
      a.actors.coUnit,
    ),
    a.report({ milestonesMet: ['Design'] }, a.day(4)),
    a.reportDifficulty(a.day(6)), // A-1 revision 5
    a.answerDifficulty(5, a.day(7)),
    {
      type: 'IssueSupervisionNotice',
      actor: a.actors.section,
      at: a.day(7, 2),
      data: { taskId: 'A-1', noticeNo: 'DB-7', requirements: 'Report the tender plan', respondBy: a.day(9) },
    },
    a.respondToNotice('DB-7', a.day(8)),
    {
      type: 'RecordInspection',
      actor: a.actors.inspectionOffice,
      at: a.day(8, 3),
      data: {
        unitId: 'bureau-of-commerce',
        inspectionId: 'DC-1',
        approval: { ref: 'Mayor approved inspection 3', by: 'mayor' },
        methods: ['hear-reports'],
        findings: 'Windows merged in two districts',
        opinion: 'Extend to the counties',
        taskIds: ['A-1'],
      },
    },
    b.checkDeadlines(b.day(10)),
  ]);
  dir = tempDir();
  await write(dir, 'h.ndjson', ndjson(lines));
});

const boardOf = async (as?: string) => {
  const r = await duban(['replay', 'h.ndjson', '--format', 'json', ...(as ? ['--as', as] : [])], {
    cwd: dir,
  });
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { readAs: string; tasks: Array<{ taskId: string }> };
  return { readAs: out.readAs, tasks: out.tasks.map((t) => t.taskId).sort() };
};

describe('duban --as ACTOR (在一定范围内)', () => {
  it('replay: each reader sees the board of the tasks it may read', async () => {
    expect(await boardOf()).toEqual({ readAs: 'everything (as an auditor)', tasks: ['A-1', 'B-1'] });
    expect((await boardOf('unit:bureau-of-commerce')).tasks).toEqual(['A-1']); // lead
    expect((await boardOf('unit:bureau-of-finance')).tasks).toEqual(['A-1']); // co-unit
    expect((await boardOf('unit:bureau-of-transport')).tasks).toEqual(['B-1']);
    expect((await boardOf('section:section-2')).tasks).toEqual(['A-1']);
    expect((await boardOf('section:section-5')).tasks).toEqual(['B-1']);
    for (const everyone of [
      'main-leader:mayor',
      'deputy-leader:vice-mayor-li',
      'inspection-office:inspector-sun',
      'auditor:audit-1',
    ])
      expect(await boardOf(everyone)).toEqual({ readAs: everyone, tasks: ['A-1', 'B-1'] });
    const table = await duban(['replay', 'h.ndjson', '--as', 'unit:bureau-of-transport'], { cwd: dir });
    expect(table.stdout).toContain('1 tasks read as unit:bureau-of-transport');
  });

  it("explain and replay refuse another unit's or section's task, and show nothing of it", async () => {
    for (const argv of [
      ['explain', 'h.ndjson', 'B-1', '--as', 'unit:bureau-of-commerce'],
      ['replay', 'h.ndjson', '--task', 'B-1', '--as', 'unit:bureau-of-commerce'],
      ['explain', 'h.ndjson', 'B-1', '--as', 'unit:bureau-of-finance', '--format', 'json'],
    ]) {
      const r = await duban(argv, { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /may not read task B-1: a unit reads only the tasks it leads or co-operates on \(在一定范围内\)/,
      );
    }
    const section = await duban(['explain', 'h.ndjson', 'A-1', '--as', 'section:section-5'], { cwd: dir });
    expect(section.code).toBe(1);
    expect(section.stderr).toContain('a section reads only the tasks it handed out or supervises');
    const coUnit = await duban(['explain', 'h.ndjson', 'A-1', '--as', 'unit:bureau-of-finance'], {
      cwd: dir,
    });
    expect(coUnit.code).toBe(0);
    expect(coUnit.stdout).toContain('Read as unit:bureau-of-finance');
    const leader = await duban(['explain', 'h.ndjson', 'B-1', '--as', 'main-leader:mayor'], { cwd: dir });
    expect(leader.code).toBe(0);
  });

  it('refuses a malformed reader (usage, exit 2) and one the history does not know (exit 1)', async () => {
    const bare = await duban(['report', 'h.ndjson', '--as', 'bureau-of-transport'], { cwd: dir });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--as bureau-of-transport: must be KIND:ID with KIND one of unit, section');
    const kind = await duban(['replay', 'h.ndjson', '--as', 'mayor:li'], { cwd: dir });
    expect(kind.code).toBe(2);
    const noId = await duban(['explain', 'h.ndjson', 'A-1', '--as', 'unit:'], { cwd: dir });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('--as unit:: the id');
    const typo = await duban(['report', 'h.ndjson', '--as', 'unit:bureau-of-transprt'], { cwd: dir });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('no unit bureau-of-transprt in this history');
  });

  it('report: a unit reads its own tasks, warnings, unpublished lines and flags; a section its tasks only', async () => {
    const json = async (as?: string) => {
      const r = await duban(['report', 'h.ndjson', '--format', 'json', ...(as ? ['--as', as] : [])], {
        cwd: dir,
      });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as {
        readAs: string;
        ranking: Array<{ unitId: string; rank: number; score: number }>;
        unranked: Array<{ unitId: string }>;
        warnings: Array<{ taskId: string }>;
        accountabilityFlags: Array<{ unitId: string }>;
      };
      return {
        readAs: out.readAs,
        ranking: out.ranking.map((s) => [s.unitId, s.rank, s.score]),
        unranked: out.unranked.map((u) => u.unitId),
        warnings: [...new Set(out.warnings.map((w) => w.taskId))],
        flags: [...new Set(out.accountabilityFlags.map((f) => f.unitId))],
      };
    };
    const all = await json();
    expect(all.readAs).toBe('everything (as an auditor)');
    expect(all.ranking.map((r) => r[0])).toEqual(['bureau-of-transport']);
    expect(all.unranked).toEqual(['bureau-of-commerce', 'bureau-of-finance']);
    expect(all.warnings).toEqual(['A-1', 'B-1']);
    expect(await json('auditor:audit-1')).toEqual({ ...all, readAs: 'auditor:audit-1' });

    const own = await json('unit:bureau-of-transport');
    expect(own).toEqual({
      readAs: 'unit:bureau-of-transport',
      ranking: all.ranking, // its own line, as the office computes it
      unranked: [],
      warnings: ['B-1'],
      flags: all.flags.filter((u) => u === 'bureau-of-transport'),
    });
    const commerce = await json('unit:bureau-of-commerce');
    expect(commerce.ranking).toEqual([]);
    expect(commerce.unranked).toEqual(['bureau-of-commerce']);
    expect(commerce.warnings).toEqual(['A-1']);
    const section = await json('section:section-5');
    expect(section).toMatchObject({ ranking: [], unranked: [], warnings: ['B-1'], flags: [] });

    const table = await duban(['report', 'h.ndjson', '--as', 'unit:bureau-of-commerce'], { cwd: dir });
    expect(table.stdout.split('\n')[0]).toMatch(/^Read as unit:bureau-of-commerce \(在一定范围内\)/);
    expect(table.stdout).toContain(
      "bureau-of-commerce has no score in 2022Q1; other units' scores are read once the 通报 is published.",
    );
    const bySection = await duban(['report', 'h.ndjson', '--as', 'section:section-2'], { cwd: dir });
    expect(bySection.stdout).toContain("Units' scores for 2022Q1 are read once the 通报 is published.");
    const plain = await duban(['report', 'h.ndjson'], { cwd: dir });
    expect(plain.stdout).not.toContain('Read as');
  });

  it('the HTML report read as a unit holds only its tasks and its own record', async () => {
    const all = await duban(['report', 'h.ndjson', '--format', 'html'], { cwd: dir });
    expect(all.stdout).toContain('id="task-A-1"');
    expect(all.stdout).toContain('id="unit-bureau-of-commerce"');
    const r = await duban(['report', 'h.ndjson', '--format', 'html', '--as', 'unit:bureau-of-transport'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<b>unit:bureau-of-transport</b>');
    expect(r.stdout).toContain('id="task-B-1"');
    expect(r.stdout).not.toContain('id="task-A-1"');
    expect(r.stdout).not.toContain('id="unit-bureau-of-commerce"');
    expect(r.stdout).not.toContain('Windows merged in two districts');
    const mine = await duban(['report', 'h.ndjson', '--format', 'html', '--as', 'unit:bureau-of-commerce'], {
      cwd: dir,
    });
    expect(mine.stdout).toContain('id="unit-bureau-of-commerce"');
  });
});

describe('duban report --project (对重大专项工作落实情况按实施阶段排队通报)', () => {
  it('ranks the lead units by stage reached, then milestones met on time', async () => {
    const r = await duban(['report', 'h.ndjson', '--project', 'ring-road'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '重大专项 Major special project ring-road — staged ranking (按实施阶段排队), 2 tasks',
    );
    const rows = r.stdout
      .split('\n')
      .filter((l) => /^│ +\d+ │/.test(l))
      .map((l) =>
        l
          .split('│')
          .map((c) => c.trim())
          .slice(1, 5),
      );
    expect(rows).toEqual([
      ['1', 'bureau-of-commerce', '2.00', '1/2'],
      ['2', 'bureau-of-transport', '1.00', '0/0'],
    ]);
    expect(r.stdout).toContain('A-1 planned (1/2 milestones on time): mean stage 2 of 4');
  });

  it('as CSV, JSON and an HTML section; read as a unit, its own standing only', async () => {
    const csv = await duban(['report', 'h.ndjson', '--project', 'ring-road', '--format', 'csv'], {
      cwd: dir,
    });
    expect(csv.code).toBe(0);
    const rows = csv.stdout
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      'project,rank,unit,unit_name,mean_stage,milestones_met_on_time,milestones_due,task,stage,task_milestones_met,task_milestones_due,task_milestones_total',
    );
    expect(rows.slice(1)).toEqual([
      'ring-road,1,bureau-of-commerce,,2,1,2,A-1,planned,1,2,2',
      'ring-road,2,bureau-of-transport,,1,0,0,B-1,accepted,0,0,0',
    ]);
    const json = await duban(
      [
        'report',
        'h.ndjson',
        '--project',
        'ring-road',
        '--format',
        'json',
        '--as',
        'unit:bureau-of-transport',
      ],
      { cwd: dir },
    );
    const out = JSON.parse(json.stdout) as {
      project: string;
      readAs: string;
      standings: Array<{ unitId: string; rank: number }>;
    };
    expect(out).toMatchObject({ project: 'ring-road', readAs: 'unit:bureau-of-transport' });
    expect(out.standings.map((s) => [s.unitId, s.rank])).toEqual([['bureau-of-transport', 2]]);
    const html = await duban(['report', 'h.ndjson', '--format', 'html'], { cwd: dir });
    expect(html.stdout).toContain('<section class="project" id="project-ring-road"');
    expect(html.stdout).toMatch(/<tr data-unit="bureau-of-commerce"><td class="num">1<\/td>/);
  });

  it('refuses a project no task belongs to, naming those that exist, and --project with --quarter', async () => {
    const r = await duban(['report', 'h.ndjson', '--project', 'metro'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '--project metro: no task of this history belongs to it; the projects are ring-road',
    );
    const both = await duban(['report', 'h.ndjson', '--project', 'ring-road', '--quarter', '2022Q1'], {
      cwd: dir,
    });
    expect(both.code).toBe(2);
  });
});

describe("explain: the task's work (办理情况)", () => {
  it('shows milestones met and missed, co-unit duties and reports, notice replies, difficulties and answers', async () => {
    const r = await duban(['explain', 'h.ndjson', 'A-1'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/Design: due .* — met on time \(按时\), reported .* \(rev 4\)/);
    expect(text).toMatch(/Tender: due .* — MISSED \(逾期未完成\)/);
    expect(text).toMatch(
      /bureau-of-finance: duty: bureau-of-finance: fees and funding for the reform; 1 report/,
    );
    expect(text).toContain('(rev 3) Funds for the new windows set aside');
    expect(text).toMatch(/DB-7 issued .*, reply due .*: met on time \(按时\); replied .*: Task force met/);
    expect(text).toContain(
      '(rev 5): No data-sharing agreement with the tax bureau; proposed: Ask the deputy mayor',
    );
    expect(text).toMatch(/answered .* \(rev 6\): Finance bureau to release the funds/);
    const json = await duban(['explain', 'h.ndjson', 'A-1', '--format', 'json'], { cwd: dir });
    const work = (
      JSON.parse(json.stdout) as { work: { milestones: Array<{ name: string; status: string }> } }
    ).work;
    expect(work.milestones).toEqual([
      expect.objectContaining({ name: 'Design', status: 'met-on-time' }),
      expect.objectContaining({ name: 'Tender', status: 'missed' }),
    ]);
  });

  it('replay --task tells the new events in words', async () => {
    const r = await duban(['replay', 'h.ndjson', '--task', 'A-1'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('DifficultyAnswered 答复困难和问题');
    expect(r.stdout).toContain('NoticeResponded 回复督办通知书');
  });
});
