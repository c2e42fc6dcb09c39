import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultContext } from '@duban/domain';
import { contextOf, headsTsv, sortedHeads, streamHeads, taskBoard, type Hashable } from '@duban/engine';
import { captureStream, run, type OutputStream } from '@duban/cli';
import { writeBoxTable, BoxTable } from '../src/box-table';
import { writeHeadsTsv, type KeptHead } from '../src/heads-tsv';
import { lazyBoard } from '../src/board';
import { loadHistory } from '../src/history';
import { replayCommand } from '../src/replay';
import { reportCommand, reportCsvChunks } from '../src/report';
import { buildReport, rulesSource, selectedQuarter } from '../src/reporting';
import { boardTable, warningsTable, warningsTableChunks } from '../src/tables';
import { jsonText } from '../src/terminal';
import { verifyCommand } from '../src/verify';
import { localTime } from '../src/labels';
import { OFFICE_UNIT_NAMES } from '../src/simulation/office';
import { duban, tempDir } from './helpers';

/**
 * Output that grows with the history (the board: one row per task, 750k in a province) is written as
 * it is formatted, with back-pressure, and never held as one string; it is the same text the CLI
 * printed when it built the whole string first.
 */
let dir: string;
let file: string;
beforeAll(async () => {
  dir = tempDir();
  const demo = await duban(['demo', '--units', '6', '--tasks', '120', '--quarters', '2', '--out', '.'], {
    cwd: dir,
  });
  expect(demo.code).toBe(0);
  file = path.join(dir, 'history.ndjson');
}, 120_000);

/** What replay printed before it streamed: the whole board from the engine, drawn as one string. */
const wholeBoard = async (as?: { kind: 'unit'; id: string; unitId: string }) => {
  const io = { stdout: captureStream(), stderr: captureStream(), cwd: dir };
  const history = await loadHistory(io, file);
  const now = history.lastAt!;
  const ctx = contextOf(history.model, now, defaultContext());
  return { history, now, ctx, board: taskBoard(history.model, now, ctx, as ? { as } : {}) };
};

/** A pipe that is always full: each write must wait for its drain, which comes a tick later. */
const slowPipe = () => {
  const chunks: string[] = [];
  let waiting = 0;
  let writesWhileFull = 0;
  let maxWritesWhileFull = 0;
  const stream: OutputStream = {
    isTTY: false,
    write(chunk) {
      chunks.push(chunk);
      writesWhileFull += 1;
      maxWritesWhileFull = Math.max(maxWritesWhileFull, writesWhileFull);
      return false;
    },
    once(_event, listener) {
      waiting += 1;
      setImmediate(() => {
        writesWhileFull = 0;
        listener();
      });
    },
  };
  return {
    stream,
    text: () => chunks.join(''),
    chunks,
    stats: () => ({ waiting, maxWritesWhileFull }),
  };
};

describe('large outputs are streamed', () => {
  it("lazyBoard lists the engine's board: the same cards, in the same order, for every reader", async () => {
    const lead = (await wholeBoard()).board[0]!.leadUnit;
    const unit = { kind: 'unit' as const, id: 'head', unitId: lead };
    for (const as of [undefined, unit]) {
      const { history, now, ctx, board } = await wholeBoard(as);
      expect(board.length).toBeGreaterThan(as ? 10 : 100);
      const lazy = lazyBoard(history.model, now, ctx, as ? { as } : {});
      expect(lazy.length).toBe(board.length);
      expect([...lazy]).toEqual(board);
      expect([...lazy]).toEqual(board); // a second pass gives the same
    }
  });

  it('replay prints the board it printed as one string, byte for byte, and waits for a full pipe', async () => {
    const { history, now, ctx, board } = await wholeBoard();
    const expected =
      `Task board 任务台账 — ${board.length} tasks, replayed from ${history.events} events of ${history.label}, as of ${localTime(now, ctx)} (${now})\n` +
      `${rulesSource(history.model).text}\n${boardTable(board, OFFICE_UNIT_NAMES, ctx)}\n`;
    const pipe = slowPipe();
    const code = await replayCommand({ stdout: pipe.stream, stderr: captureStream(), cwd: dir }, file, {
      names: OFFICE_UNIT_NAMES,
    });
    expect(code).toBe(0);
    expect(pipe.text()).toBe(expected);
    // Many chunks, each waited for: never the whole board in one write, nor writes piling up.
    expect(expected.length).toBeGreaterThan(100_000);
    expect(pipe.chunks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...pipe.chunks.map((c) => c.length))).toBeLessThan(128 * 1024);
    expect(pipe.stats().maxWritesWhileFull).toBe(1);
    expect(pipe.stats().waiting).toBe(pipe.chunks.length);
  });

  it('replay --format json prints the JSON it printed as one value, byte for byte', async () => {
    const { history, now, board } = await wholeBoard();
    const expected = `${jsonText({
      source: history.label,
      asOf: now,
      readAs: 'everything (as an auditor)',
      events: history.events,
      tasks: board,
    })}\n`;
    const pipe = slowPipe();
    await replayCommand({ stdout: pipe.stream, stderr: captureStream(), cwd: dir }, file, {
      format: 'json',
    });
    expect(pipe.text()).toBe(expected);
    expect(pipe.chunks.length).toBeGreaterThanOrEqual(2);
    expect(pipe.stats().maxWritesWhileFull).toBe(1);
  });

  it('replay --format csv: one row per task of the board, in its order, for a spreadsheet', async () => {
    const { board } = await wholeBoard();
    const r = await duban(['replay', 'history.ndjson', '--format', 'csv'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\ufefftask,key,title,status,lead_unit,')).toBe(true);
    const rows = r.stdout.slice(1).split('\r\n');
    expect(rows.at(-1)).toBe(''); // ends with CRLF
    expect(rows.length - 2).toBe(board.length);
    // Titles hold no comma or quote here, so the first columns split plainly.
    expect(rows.slice(1, -1).map((row) => row.split(',')[0])).toEqual(board.map((c) => c.taskId));
    const first = rows[1]!.split(',');
    expect(first[3]).toBe(board[0]!.status);
    expect(first[4]).toBe(board[0]!.leadUnit);
    const timeline = await duban(
      ['replay', 'history.ndjson', '--task', board[0]!.taskId, '--format', 'csv'],
      {
        cwd: dir,
      },
    );
    expect(timeline.code).toBe(2);
    expect(timeline.stderr).toContain("--format csv: the board's format");
  });

  it('a board too long for a screen comes with a note on a terminal only, never in a pipe', async () => {
    const tty = { stdout: captureStream(true), stderr: captureStream(), cwd: dir };
    await replayCommand(tty, file, { largeBoard: 10 });
    expect(tty.stderr.text()).toMatch(/note: \d+ tasks: a board this size reads better paged .*--format csv/);
    const piped = { stdout: captureStream(), stderr: captureStream(), cwd: dir };
    await replayCommand(piped, file, { largeBoard: 10 });
    expect(piped.stderr.text()).toBe('');
    expect(piped.stdout.text()).toBe(tty.stdout.text());
    const small = { stdout: captureStream(true), stderr: captureStream(), cwd: dir };
    await replayCommand(small, file);
    expect(small.stderr.text()).toBe('');
  });

  it.each(['table', 'csv', 'csv-warnings', 'json'] as const)(
    'report --format %s through a full pipe: each write waited for, the same text as in one piece',
    async (format) => {
      const whole = captureStream();
      await reportCommand({ stdout: whole, stderr: captureStream(), cwd: dir }, file, { format });
      const pipe = slowPipe();
      await reportCommand({ stdout: pipe.stream, stderr: captureStream(), cwd: dir }, file, { format });
      expect(pipe.text()).toBe(whole.text());
      expect(pipe.text().length).toBeGreaterThan(1000);
      expect(pipe.stats().maxWritesWhileFull).toBe(1);
    },
  );

  it("report's warnings and score lines come a row at a time, the same text as the tables drawn whole", async () => {
    const io = { stdout: captureStream(), stderr: captureStream(), cwd: dir };
    const history = await loadHistory(io, file);
    const asOf = history.lastAt!;
    const ctx = contextOf(history.model, asOf, defaultContext());
    const data = buildReport({
      source: history.label,
      model: history.model,
      asOf,
      ctx,
      quarter: ctx.calendar.quarterOf(asOf),
      notes: [],
      names: OFFICE_UNIT_NAMES,
    });
    expect(data.warnings.length).toBeGreaterThan(3);
    const pieces = [...warningsTableChunks(data.warnings, OFFICE_UNIT_NAMES)];
    expect(pieces).toHaveLength(data.warnings.length + 2); // head, a row each, bottom
    expect(pieces.join('')).toBe(`${warningsTable(data.warnings, OFFICE_UNIT_NAMES)}\n`);
    const rows = [...reportCsvChunks(data)];
    const lines = selectedQuarter(data).ranking.reduce((n, s) => n + s.lines.length, 0);
    expect(rows).toHaveLength(lines + 1);
  });

  it('verify --print-heads prints the TSV headsTsv made whole, byte for byte', async () => {
    const events = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Hashable);
    const expected = headsTsv(sortedHeads(await streamHeads(events)));
    const pipe = slowPipe();
    const stderr = captureStream();
    const code = await verifyCommand({ stdout: pipe.stream, stderr, cwd: dir }, file, { printHeads: true });
    expect(code).toBe(0);
    expect(pipe.text()).toBe(expected);
    expect(stderr.text()).toContain('intact');
  });

  it('the heads TSV is written a chunk at a time for a full pipe, in byte order of the ids', async () => {
    const heads = new Map<string, KeptHead>();
    for (let i = 0; i < 3000; i++)
      heads.set(`task-${(i * 7919) % 3000}`, { revision: i % 17, hash: (i % 16).toString(16).repeat(64) });
    // Where UTF-16 order and UTF-8 byte order differ: U+FF01 comes before U+1F600 in bytes, not in JS.
    heads.set('task-\u{1F600}', { revision: 0, hash: 'a'.repeat(64) });
    heads.set('task-\uFF01', { revision: 1, hash: 'b'.repeat(64) });
    const expected = headsTsv(sortedHeads(Object.fromEntries(heads)));
    expect(expected.indexOf('task-\uFF01')).toBeLessThan(expected.indexOf('task-\u{1F600}'));
    const pipe = slowPipe();
    await writeHeadsTsv(pipe.stream, heads);
    expect(pipe.text()).toBe(expected);
    expect(pipe.chunks.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...pipe.chunks.map((c) => c.length))).toBeLessThan(128 * 1024);
    expect(pipe.stats().maxWritesWhileFull).toBe(1);

    // Ids all ASCII take the built-in sort: the same order as byte order.
    heads.delete('task-\u{1F600}');
    heads.delete('task-\uFF01');
    const ascii = slowPipe();
    await writeHeadsTsv(ascii.stream, heads);
    expect(ascii.text()).toBe(headsTsv(sortedHeads(Object.fromEntries(heads))));
  });

  it('writeBoxTable draws what BoxTable draws, a row at a time: the first row is out before the last is made', async () => {
    const head = ['任务 Task', '事项 Title', '%'];
    const rows: Array<Array<string | number>> = [
      ['DB2022-009 ★', '加强安全生产检查，\n消除重大隐患', 100],
      ['DB2022-010', 'Repair the bridge', 35],
      ['X', '', 0],
    ];
    for (const chars of [undefined, { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }]) {
      const whole = new BoxTable({ head, ...(chars ? { chars } : {}) });
      whole.push(...rows);
      const events: string[] = [];
      let pass = 0;
      let text = '';
      await writeBoxTable(
        { head, ...(chars ? { chars } : {}) },
        function* () {
          pass += 1;
          for (const [i, row] of rows.entries()) {
            events.push(`make ${pass}:${i}`);
            yield row;
          }
        },
        async (chunk) => {
          events.push('write');
          text += chunk;
        },
      );
      expect(text).toBe(`${whole.toString()}\n`);
      expect(events.indexOf('write', events.indexOf('make 2:0'))).toBeLessThan(events.indexOf('make 2:2'));
    }
  });
});

// `run` is the entry the binary uses: the streamed board reaches it too.
it('duban replay through run() prints the same board as replayCommand', async () => {
  const stdout = captureStream();
  expect(await run(['replay', 'history.ndjson'], { stdout, stderr: captureStream(), cwd: dir })).toBe(0);
  expect(stdout.text()).toMatch(/^Task board 任务台账 — \d+ tasks/);
});
