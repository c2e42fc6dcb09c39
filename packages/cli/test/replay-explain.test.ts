import { duban, linesOf, ndjson, smallHistory, tempDir, write } from './helpers';

describe('duban replay', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
  });

  it('prints the task board as of the last event', async () => {
    const r = await duban(['replay', 'h.ndjson'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Task board 任务台账 — 3 tasks, replayed from 23 events of h.ndjson');
    expect(r.stdout).toMatch(/T1 +│.*closed 已办结.*good 落实较好/);
    expect(r.stdout).toMatch(/T3 +│.*closed 已办结.*poor 落实不力/);
  });

  it('with --task prints who did what, when, and the state after', async () => {
    const r = await duban(['replay', 'h.ndjson', '--task', 'T2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Task T2: Cut business registration time to 3 working days');
    expect(r.stdout).toContain('TaskUrged 催办');
    expect(r.stdout).toContain('clerk-zhao');
    expect(r.stdout).toContain('SupervisionNoticeIssued 书面督办通知书');
    expect(r.stdout).toContain('TaskClosed 审定办结');
    expect(r.stdout).toMatch(/State as of .*: closed 已办结; .*grade basic 基本落实/);
  });

  it('travels in time with --as-of: the state as it stood then', async () => {
    const t2 = linesOf(lines, 'task-T2');
    const urgedAt = t2[3]!.value.metadata.at as string;
    const r = await duban(['replay', 'h.ndjson', '--task', 'T2', '--as-of', urgedAt, '--format', 'json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      asOf: string;
      timeline: Array<{ type: string; stateAfter: { status: string } }>;
    };
    expect(out.asOf).toBe(urgedAt);
    expect(out.timeline.map((e) => e.type)).toEqual([
      'TaskAssigned',
      'TaskAccepted',
      'ProgressReported',
      'TaskUrged',
    ]);
    expect(out.timeline.at(-1)!.stateAfter.status).toBe('in-progress');

    const board = await duban(['replay', 'h.ndjson', '--as-of', '2022-03-01'], { cwd: dir });
    expect(board.code).toBe(0);
    expect(board.stdout).toMatch(/T1 +│.*in-progress 办理中/);
  });

  it('says so when the task does not exist, and refuses a bad instant', async () => {
    const none = await duban(['replay', 'h.ndjson', '--task', 'T99'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('duban: h.ndjson: no task T99');
    const bad = await duban(['replay', 'h.ndjson', '--as-of', 'last tuesday'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of last tuesday: must be an ISO-8601 instant with a time zone');
    const noZone = await duban(['replay', 'h.ndjson', '--as-of', '2022-03-01T09:00'], { cwd: dir });
    expect(noZone.code).toBe(2);
  });

  it('refuses to replay a history that does not verify, naming file, line and field', async () => {
    const bad = [...lines];
    const v = JSON.parse(lines[4]!);
    bad[4] = JSON.stringify({ ...v, data: { ...v.data, unitId: 42 } });
    await write(dir, 'bad.ndjson', ndjson(bad));
    const r = await duban(['replay', 'bad.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/duban: bad\.ndjson:5: task-T2 revision 1: /);
    expect(r.stderr).toContain('duban verify bad.ndjson');
  });

  it('refuses empty and truncated files', async () => {
    await write(dir, 'empty.ndjson', '');
    const empty = await duban(['replay', 'empty.ndjson'], { cwd: dir });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty.ndjson: holds no events');
    await write(dir, 'cut.ndjson', ndjson(lines).slice(0, -40));
    const cut = await duban(['replay', 'cut.ndjson'], { cwd: dir });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(`cut.ndjson:${lines.length}: (line): truncated`);
  });
});

describe('duban explain', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
  });

  it('gives the grade with each reason and the events behind it', async () => {
    const r = await duban(['explain', 'h.ndjson', 'T3'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Final grade (审定等级): poor 落实不力');
    expect(r.stdout).toContain('late: not done by the deadline (未按期办结)');
    expect(r.stdout).toMatch(/← rev 4 ClosureRequested .* by officer-zheng \(unit bureau-of-transport\)/);
    expect(r.stdout).toMatch(/← rev 3 DeadlineMissed .* by 13710-system \(system\)/);
    expect(r.stdout).toMatch(/deadline +due .*met .* by rev 4 \(late\)/);
    // what the task did to the quarter's scores, lead and co-unit
    expect(r.stdout).toContain('What this task adds to the 2022Q1 scores');
    expect(r.stdout).toMatch(/-1\.5 +T3 as co-unit: closure applied for/);
  });

  it('explains an open task as of an instant, in JSON too', async () => {
    const t1 = linesOf(lines, 'task-T1');
    const r = await duban(
      ['explain', 'h.ndjson', 'T1', '--as-of', t1[3]!.value.metadata.at as string, '--format', 'json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      status: string;
      suggestion: { grade: string; reasons: Array<{ rule: string }> };
    };
    expect(out.status).toBe('in-progress');
    expect(out.suggestion.grade).toBe('basic');
    expect(out.suggestion.reasons[0]!.rule).toBe('in-progress');
  });

  it('says so for an unknown task and a missing argument', async () => {
    const none = await duban(['explain', 'h.ndjson', 'nope'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no task nope');
    const usage = await duban(['explain', 'h.ndjson'], { cwd: dir });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'task'");
  });
});

describe('a task named by its stream id', () => {
  it('explain and replay --task accept task-ID as well as ID', async () => {
    const { lines } = await smallHistory();
    const dir = tempDir();
    await write(dir, 'h.ndjson', ndjson(lines));
    const byId = await duban(['explain', 'h.ndjson', 'T3'], { cwd: dir });
    const byStream = await duban(['explain', 'h.ndjson', 'task-T3'], { cwd: dir });
    expect(byStream.code).toBe(0);
    expect(byStream.stdout).toBe(byId.stdout);
    const replay = await duban(['replay', 'h.ndjson', '--task', 'task-T2', '--format', 'json'], { cwd: dir });
    expect(replay.code).toBe(0);
    expect((JSON.parse(replay.stdout) as { task: string }).task).toBe('T2');
    const none = await duban(['explain', 'h.ndjson', 'task-T9'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      'h.ndjson: no task task-T9 (give a task id such as DB2022-009, or its stream id task-DB2022-009)',
    );
  });
});
