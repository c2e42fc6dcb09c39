import type { Actor } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import { duban, historyFrom, linesOf, ndjson, smallHistory, tempDir, write } from './helpers';

/** What a hostile or careless history does to the CLI: every such line is refused by name. */

const ESC = '\u001b';

describe('JSON that two readers could read two ways', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
  });

  it('refuses a key twice in one line, naming the line and the key (the last key would verify)', async () => {
    const closed = linesOf(lines, 'task-T3').find((l) => l.value.type === 'TaskClosed')!;
    const twice = [...lines];
    // JSON.parse keeps the last "grade", which is the one hashed: without the check this verifies.
    twice[closed.line - 1] = closed.text.replace('"grade":"poor"', '"grade":"excellent","grade":"poor"');
    await write(dir, 'twice.ndjson', ndjson(twice));
    for (const argv of [['verify'], ['report'], ['import', 'memory:'], ['export']]) {
      const r = await duban([argv[0]!, 'twice.ndjson', ...argv.slice(1)], { cwd: dir });
      expect([argv[0], r.code]).toEqual([argv[0], 1]);
      expect(r.stdout + r.stderr).toContain(
        `twice.ndjson:${closed.line}: data.grade: the key "grade" occurs twice in one object`,
      );
    }
  });

  it('names the line of a number out of range instead of failing to hash it', async () => {
    const report = linesOf(lines, 'task-T1').find((l) => l.value.type === 'ProgressReported')!;
    const huge = [...lines];
    huge[report.line - 1] = report.text.replace(/"percentComplete":\d+/, '"percentComplete":1e309');
    await write(dir, 'huge.ndjson', ndjson(huge));
    const r = await duban(['verify', 'huge.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `huge.ndjson:${report.line}: data.percentComplete: the number 1e309 is out of range: JSON numbers must be finite doubles (I-JSON)`,
    );
    const replay = await duban(['replay', 'huge.ndjson'], { cwd: dir });
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain(`huge.ndjson:${report.line}: data.percentComplete: the number 1e309`);
  });

  it('names the line and the limit of JSON nested thousands deep, and goes on with the next line', async () => {
    const deep = `{"type":"TaskAccepted","data":{"taskId":"T1","x":${'['.repeat(5000)}${']'.repeat(5000)}},"metadata":{}}`;
    await write(dir, 'deep.ndjson', ndjson([...lines.slice(0, 2), deep, ...lines.slice(2)]));
    const r = await duban(['verify', 'deep.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/deep\.ndjson:3: data\.x(\.0)+: nests objects and arrays more than 64 deep/);
    expect(r.stdout).toContain('1 unreadable or invalid record');
    expect(r.stdout + r.stderr).not.toContain('Maximum call stack');
  });
});

describe('control characters from a history never reach the terminal', () => {
  let dir: string;
  let taskLine: number;
  beforeAll(async () => {
    dir = tempDir();
    const t = taskFixture({ taskId: 'T1' });
    const { lines } = await historyFrom([
      t.assign({ title: `Clear ${ESC}[2Jthe river\nFinal grade (审定等级): excellent` }),
      t.accept(),
      t.report({ summary: `done ${ESC}]0;pwned\u0007 \u202eexe.txt` }),
    ]);
    await write(dir, 'h.ndjson', ndjson(lines));
    // a line whose stream id and JSON carry raw control characters, for verify's messages
    const v = JSON.parse(lines[1]!) as { metadata: Record<string, unknown> };
    taskLine = lines.length + 1;
    await write(
      dir,
      'bad.ndjson',
      ndjson([
        ...lines,
        JSON.stringify({ ...v, metadata: { ...v.metadata, streamId: `task-T1${ESC}[2J\u202e` } }),
        `{"type":${ESC}[31m}`,
      ]),
    );
  });

  // every control character but line feed and tab, and the bidi overrides
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const raw = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]');

  it.each([
    ['replay', ['replay', 'h.ndjson']],
    ['replay --task', ['replay', 'h.ndjson', '--task', 'T1']],
    ['replay --format json', ['replay', 'h.ndjson', '--task', 'T1', '--format', 'json']],
    ['explain', ['explain', 'h.ndjson', 'T1']],
    ['verify', ['verify', 'bad.ndjson']],
    ['verify --json', ['verify', 'bad.ndjson', '--json']],
    ['report', ['report', 'bad.ndjson']],
    ['an unknown option', ['verify', `--x${ESC}[2J`]],
  ])('%s escapes them', async (_name, argv) => {
    const r = await duban(argv, { cwd: dir });
    expect(r.stdout + r.stderr).not.toMatch(raw);
    expect(r.stdout + r.stderr).toContain('\\u001b');
  });

  it('shows what was there, and a newline in a value cannot forge a line', async () => {
    const r = await duban(['explain', 'h.ndjson', 'T1'], { cwd: dir });
    expect(r.stdout).toContain('Task T1: Clear \\u001b[2Jthe river\\u000aFinal grade (审定等级): excellent');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Final grade'))).toEqual([]);
    const v = await duban(['verify', 'bad.ndjson'], { cwd: dir });
    expect(v.stdout).toContain(
      `bad.ndjson:${taskLine}: task-T1\\u001b[2J\\u202e revision 1: metadata.streamId:`,
    );
  });
});

describe('ids named like Object.prototype members', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const lead: Actor = { id: 'director-c', kind: 'unit', unitId: 'constructor' };
    const other: Actor = { id: 'director-h', kind: 'unit', unitId: 'hasOwnProperty' };
    const a = taskFixture({ taskId: 'P1' });
    const b = taskFixture({ taskId: 'P2' });
    const { lines } = await historyFrom([
      a.assign({ leadUnit: 'constructor', coUnits: ['toString'] }),
      b.assign({ leadUnit: 'hasOwnProperty', coUnits: ['valueOf'] }),
      a.accept(undefined, lead),
      b.accept(undefined, other),
      a.report({}, a.day(2), lead),
      b.report({}, b.day(2), other),
      a.requestClosure(a.day(8), lead),
      b.requestClosure(b.day(8), other),
      a.reviewClosure('good', a.day(9)),
      b.reviewClosure('good', b.day(9)),
      a.approveClosure('good', a.day(10)),
      b.approveClosure('good', b.day(10)),
    ]);
    await write(dir, 'h.ndjson', ndjson(lines));
    await write(dir, 'names.json', JSON.stringify({ toString: '字符串局', valueOf: '取值局' }));
  });

  const prototypeText = /native code|function |\[object /;

  it('report ranks them by their ids, with names only where names were given', async () => {
    const r = await duban(['report', 'h.ndjson', '--quarter', '2022Q1'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(prototypeText);
    const units = r.stdout
      .split('\n')
      .filter((l) => /^│ +\d+ │/.test(l))
      .map((l) => l.split('│')[2]!.trim())
      .sort();
    expect(units).toEqual(['constructor', 'hasOwnProperty', 'toString', 'valueOf']);
    const named = await duban(['report', 'h.ndjson', '--unit-names', 'names.json'], { cwd: dir });
    expect(named.stdout).toContain('字符串局 toString');
    expect(named.stdout).toMatch(/│ constructor +│/);
    expect(named.stdout).not.toMatch(prototypeText);
  });

  it('every format and view leaves them alone', async () => {
    for (const argv of [
      ['report', 'h.ndjson', '--format', 'html'],
      ['report', 'h.ndjson', '--format', 'csv'],
      ['report', 'h.ndjson', '--format', 'csv-flags'],
      ['replay', 'h.ndjson'],
      ['explain', 'h.ndjson', 'P1'],
    ]) {
      const r = await duban(argv, { cwd: dir });
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 0]);
      expect(r.stdout).not.toMatch(prototypeText);
    }
  });
});
