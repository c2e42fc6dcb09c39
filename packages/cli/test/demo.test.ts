import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contextAt, defaultContext, dueTimes } from '@duban/domain';
import { DOMAIN_STREAM_PREFIXES, createInMemoryEventStore, type RecordedEvent } from '@duban/engine';
import { simulateOffice } from '@duban/cli';
import { duban, tempDir } from './helpers';

describe('duban demo', () => {
  it('simulates the office through every step the seed describes, with no command refused', async () => {
    const store = createInMemoryEventStore();
    const sim = await simulateOffice({
      store,
      units: 8,
      tasks: 16,
      seed: 'coverage',
      quarters: ['2021Q4', '2022Q1'],
    });
    expect(sim.refusals).toEqual([]);
    const types = new Map<string, number>();
    const sources = new Set<string>();
    const actors = new Set<string>();
    for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES })) {
      types.set(e.type, (types.get(e.type) ?? 0) + 1);
      if (e.type === 'TaskAssigned') sources.add((e.data as { source: string }).source);
      actors.add((e.metadata as { actor: { kind: string } }).actor.kind);
    }
    // tasks from the eight sources
    expect(sources.size).toBe(8);
    const required = [
      'TaskAssigned',
      'TaskAccepted',
      'WorkPlanSubmitted',
      'ProgressReported',
      'TaskUrged',
      'WarningIssued',
      'SupervisionNoticeIssued',
      'TaskEscalated',
      'ExtensionRequested',
      'ExtensionApproved',
      'ExtensionRejected',
      'ClosureRequested',
      'ClosureReviewed',
      'TaskClosed',
      'ClosureRejected',
      'DeadlineApproaching',
      'DeadlineMissed',
      'MilestoneMissed',
      'RectificationOpened',
      'RectificationPlanSubmitted',
      'RectificationCompleted',
      'LookBackReviewed',
      'RecognitionRecorded',
      'CriticismRecorded',
      'TaskRegraded',
      'InspectionRecorded',
      'InterviewScheduled',
      'InterviewRecorded',
      'CommendationPublished',
      // the office on record first, its 通报 and year published
      'OfficeEstablished',
      'UnitRegistered',
      'SectionRegistered',
      'LeaderAppointed',
      'PortfolioAssigned',
      'StaffRegistered',
      'CalendarAdopted',
      'QuarterlyRankingPublished',
      'AnnualEvaluationPublished',
      'AnnualResultsSent',
      // the workflow of issue 13
      'NoticeResponded',
      'NoticeResponseMissed',
      'DifficultyAnswered',
    ];
    expect(required.filter((type) => !types.has(type))).toEqual([]);
    // closures sent back at both stages; the deadline sweeper ran as the system
    const rejections: string[] = [];
    for await (const e of store.readAll({ streamPrefixes: ['task-'] }))
      if (e.type === 'ClosureRejected') rejections.push((e.data as { stage: string }).stage);
    expect(new Set(rejections)).toEqual(new Set(['review', 'approval']));
    expect(actors).toEqual(
      new Set(['section', 'unit', 'main-leader', 'deputy-leader', 'inspection-office', 'system']),
    );
  });

  it('records the office first and runs every task under it: 分管 leaders, working days, 通报 and 年度评价', async () => {
    const store = createInMemoryEventStore();
    const sim = await simulateOffice({
      store,
      units: 8,
      tasks: 16,
      seed: 'office',
      quarters: ['2021Q4', '2022Q1'],
    });
    expect(sim.refusals).toEqual([]);
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES })) events.push(e);
    type Data = Record<string, unknown>;
    const data = (e: RecordedEvent) => e.data as Data;
    const actor = (e: RecordedEvent) => (e.metadata as { actor: { id: string; kind: string } }).actor;
    const of = (type: string) => events.filter((e) => e.type === type);

    // The office's record comes first: nothing is assigned before its leaders, units, staff and calendars.
    const firstTask = events.findIndex((e) => e.streamId.startsWith('task-'));
    expect(events[0]!.type).toBe('OfficeEstablished');
    expect(events.slice(0, firstTask).every((e) => e.streamId === 'office')).toBe(true);
    expect(of('CalendarAdopted').map((e) => data(e).year)).toEqual([2021, 2022]);
    // 分管: every task names the deputy leader whose portfolio holds its lead unit, and goes to that leader's section.
    const portfolios = of('PortfolioAssigned').map(
      (e) => data(e) as { deputyLeaderId: string; sections: string[]; units: string[] },
    );
    expect(portfolios).toHaveLength(3);
    const assigned = new Map(of('TaskAssigned').map((e) => [e.streamId, data(e)]));
    for (const task of assigned.values()) {
      const portfolio = portfolios.find((p) => p.units.includes(task.leadUnit as string))!;
      expect(task).toMatchObject({
        deputyInCharge: portfolio.deputyLeaderId,
        sectionId: portfolio.sections[0],
      });
    }
    // Closures are approved by that deputy leader, a key task's by the main leader.
    const closed = of('TaskClosed');
    expect(closed.length).toBeGreaterThan(10);
    for (const e of closed) {
      const task = assigned.get(e.streamId)!;
      expect(actor(e)).toEqual(
        task.key ? { id: 'mayor', kind: 'main-leader' } : { id: task.deputyInCharge, kind: 'deputy-leader' },
      );
    }

    // Working days of the adopted calendar: nothing happens on a holiday (but on a 调休 Saturday it does),
    // and nothing falls due on one.
    const model = sim.model; // read back from the log as it was written
    const ctx = contextAt(model.office, sim.asOf, defaultContext());
    const dates = new Set(events.map((e) => ctx.calendar.localDate((e.metadata as { at: string }).at)));
    expect([...dates].filter((d) => !ctx.calendar.isWorkingDay(d))).toEqual([]);
    expect(dates.has('2021-10-09')).toBe(true); // the Saturday worked for National Day (调休)
    expect(dates.has('2021-10-08')).toBe(true);
    expect(ctx.calendar.isWorkingDay('2021-10-04')).toBe(false);
    const dueOnHolidays = Object.values(model.tasks).flatMap((s) =>
      dueTimes(s, ctx)
        .filter((d) => !ctx.calendar.isWorkingDay(ctx.calendar.localDate(d.due)))
        .map((d) => `${s.taskId} ${d.id} ${d.due}`),
    );
    expect(dueOnHolidays).toEqual([]);
    // Periodic reports are owed by the major items that run over a month, and reported.
    const reports = Object.values(model.tasks).flatMap((s) =>
      dueTimes(s, ctx).filter((d) => d.kind === 'report'),
    );
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.some((d) => d.metBy)).toBe(true);

    // 通报 of both quarters by the inspection office with the mayor's approval, after each quarter ended;
    // the year's evaluation, sent to both recipients.
    const published = of('QuarterlyRankingPublished');
    expect(published.map((e) => data(e).quarter)).toEqual(['2021Q4', '2022Q1']);
    for (const e of published) {
      expect(actor(e).kind).toBe('inspection-office');
      expect(data(e).approval).toMatchObject({ by: 'mayor' });
    }
    expect(ctx.calendar.localDate(data(published[0]!).at as string)).toBe('2022-01-04');
    expect(of('AnnualEvaluationPublished').map((e) => data(e).year)).toEqual([2021]);
    expect(of('AnnualResultsSent').map((e) => data(e).recipient)).toEqual([
      'organization-personnel',
      'party-assessment',
    ]);

    // Issue 13: co-units report on their part or not, and are graded apart; plan milestones met and
    // missed; a partial closure explained.
    const coUnitGrades = new Set(
      closed.flatMap((e) => ((data(e).coUnitGrades ?? []) as Array<{ grade: string }>).map((g) => g.grade)),
    );
    expect(coUnitGrades).toContain('good');
    expect(coUnitGrades).toContain('poor');
    expect(of('ProgressReported').some((e) => data(e).role === 'co-unit')).toBe(true);
    expect(of('ProgressReported').some((e) => (data(e).milestonesMet as unknown[] | undefined)?.length)).toBe(
      true,
    );
    expect(of('MilestoneMissed').some((e) => String(data(e).milestone).startsWith('plan:'))).toBe(true);
    expect(of('ClosureRequested').some((e) => data(e).partial)).toBe(true);
  });

  it('prints the ranking, warnings and flags and writes history.ndjson and report.html', async () => {
    const dir = tempDir();
    const r = await duban(['demo', '--units', '6', '--tasks', '12', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^duban demo — the Changzhi municipal government office \(长治市人民政府办公室\), simulated 2021Q4–2022Q1: 6 units, 24 tasks, seed "2022"/,
    );
    expect(r.stdout).toContain('every hash chain verifies');
    expect(r.stdout).toContain('通报 Quarterly ranking 2022Q1');
    expect(r.stdout.split('\n').filter((l) => /^│ +\d+ │/.test(l)).length).toBeGreaterThanOrEqual(5);
    expect(r.stdout).toMatch(/Published 2022-04-01 08:00 \(office record, revision \d+\)/);
    expect(r.stdout).toContain('On record first: 长治市人民政府办公室');
    expect(r.stdout).toContain('Published: 通报 2021Q4, 2022Q1');
    expect(r.stdout).toContain(
      'Published: the 2021 annual evaluation (年度评价), sent to 组织人事部门 and 市委考核部门',
    );
    expect(r.stdout).toContain('预警 Warnings as of 2022-04-01 08:');
    expect(r.stdout).toContain('约谈问责 Accountability flags for 2022Q1');
    expect(r.stdout).toContain('Wrote out/history.ndjson');
    const html = await fs.readFile(path.join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<svg class="bar-chart" data-quarter="2022Q1"');
    expect(html).toContain('<svg class="bar-chart" data-quarter="2021Q4"');
    const verified = await duban(['verify', 'out/history.ndjson'], { cwd: dir });
    expect(verified.code).toBe(0);
    // The office writes its urgings and warnings in Chinese, not half in the engine's English labels.
    const reasons = (await fs.readFile(path.join(dir, 'out', 'history.ndjson'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: { reason?: string } })
      .filter((e) => e.type === 'TaskUrged' || e.type === 'WarningIssued')
      .map((e) => e.data.reason!);
    expect(reasons.length).toBeGreaterThan(3);
    expect(reasons.filter((r) => /[A-Za-z]{2,}/.test(r))).toEqual([]);
  });

  it('is deterministic: the same seed gives the same bytes, another seed another history', async () => {
    const dir = tempDir();
    const runs = [
      ['demo', '--units', '5', '--tasks', '8', '--quarters', '1', '--seed', 'abc', '--out', 'a'],
      ['demo', '--units', '5', '--tasks', '8', '--quarters', '1', '--seed', 'abc', '--out', 'b'],
      ['demo', '--units', '5', '--tasks', '8', '--quarters', '1', '--seed', 'xyz', '--out', 'c'],
    ];
    for (const argv of runs) expect((await duban(argv, { cwd: dir })).code).toBe(0);
    const file = (d: string, f: string) => fs.readFile(path.join(dir, d, f), 'utf8');
    expect(await file('a', 'history.ndjson')).toBe(await file('b', 'history.ndjson'));
    expect(await file('a', 'report.html')).toBe(await file('b', 'report.html'));
    expect(await file('a', 'history.ndjson')).not.toBe(await file('c', 'history.ndjson'));
  });

  it('refuses nonsense sizes and a store that is not a store', async () => {
    const dir = tempDir();
    const units = await duban(['demo', '--units', '1'], { cwd: dir });
    expect(units.code).toBe(2);
    expect(units.stderr).toContain('a ranking needs at least 2 units');
    const tasks = await duban(['demo', '--tasks', 'many'], { cwd: dir });
    expect(tasks.code).toBe(2);
    expect(tasks.stderr).toContain("option '--tasks <n>' argument 'many' is invalid. must be a whole number");
    const store = await duban(['demo', '--store', 'history.ndjson'], { cwd: dir });
    expect(store.code).toBe(2);
    expect(store.stderr).toContain('a file is not a store');
  });
});
