import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DOMAIN_STREAM_PREFIXES, createInMemoryEventStore } from '@duban/engine';
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
    expect(r.stdout).toContain('预警 Warnings as of 2022-03-31 18:01');
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
