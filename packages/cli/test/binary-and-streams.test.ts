import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { captureStream } from '../src/io';
import { readLines } from '../src/ndjson';
import { duban, ndjson, smallHistory, tempDir, write } from './helpers';

const BIN = path.resolve(__dirname, '../bin/duban.js');

describe('the duban binary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const { lines } = await smallHistory();
    await write(dir, 'h.ndjson', ndjson(lines));
    const tampered = [...lines];
    tampered[10] = lines[10]!.replace('No feedback this week', 'All fine');
    await write(dir, 'bad.ndjson', ndjson(tampered));
  });

  it('runs as a real process: exit 0 when intact, 1 when broken, 2 on a usage error; nothing drawn when piped', () => {
    const ok = spawnSync(process.execPath, [BIN, 'verify', 'h.ndjson'], { cwd: dir, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('h.ndjson: intact');
    expect(ok.stderr).toBe(''); // stderr is a pipe here: no progress bar
    const broken = spawnSync(process.execPath, [BIN, 'verify', 'bad.ndjson'], { cwd: dir, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('BROKEN — stream task-T2, revision 3: changed (line 11)');
    const usage = spawnSync(process.execPath, [BIN, 'verify'], { cwd: dir, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("error: missing required argument 'source'");
  });

  it("reports its package's version, from the built binary and in-process alike", async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    const built = spawnSync(process.execPath, [BIN, '--version'], { cwd: dir, encoding: 'utf8' });
    expect(built.status).toBe(0);
    expect(built.stdout).toBe(`${version}\n`);
    const inProcess = await duban(['--version'], { cwd: dir });
    expect(inProcess).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    // The manifest is what is read: another version there is another version printed.
    await jest.isolateModulesAsync(async () => {
      jest.doMock('../package.json', () => ({ version: '9.8.7-next.1' }));
      const cli = jest.requireActual<typeof import('../src/main.js')>('../src/main');
      const out = captureStream();
      expect(await cli.run(['--version'], { stdout: out, stderr: captureStream(), cwd: dir })).toBe(0);
      expect(out.text()).toBe('9.8.7-next.1\n');
    });
  });

  it('pipes an export into another process unchanged', () => {
    const out = spawnSync(process.execPath, [BIN, 'export', 'h.ndjson'], { cwd: dir, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout.split('\n').filter(Boolean)).toHaveLength(23);
  });
});

describe('progress bars', () => {
  it('are drawn on a terminal only', async () => {
    const dir = tempDir();
    const { lines } = await smallHistory();
    await write(dir, 'h.ndjson', ndjson(lines));
    const piped = await duban(['verify', 'h.ndjson'], { cwd: dir, tty: false });
    expect(piped.stderr).toBe('');
    const terminal = await duban(['verify', 'h.ndjson'], { cwd: dir, tty: true });
    expect(terminal.code).toBe(0);
    expect(terminal.stderr).toContain('verifying');
    expect(terminal.stderr).toContain('100%');
  });
});

describe('reading NDJSON', () => {
  const collect = async (file: string, maxLineBytes?: number) => {
    const out = [];
    for await (const rec of readLines(file, maxLineBytes === undefined ? {} : { maxLineBytes }))
      out.push(rec);
    return out;
  };

  it('numbers lines from 1, drops CR and a byte-order mark, and marks a last line without newline', async () => {
    const dir = tempDir();
    const file = await write(dir, 'a.ndjson', '\ufeff{"a":1}\r\n\n{"b":2}\r\n{"c":');
    expect(await collect(file)).toEqual([
      { kind: 'line', line: 1, text: '{"a":1}', bytes: 7, unterminated: false },
      { kind: 'line', line: 2, text: '', bytes: 0, unterminated: false },
      { kind: 'line', line: 3, text: '{"b":2}', bytes: 7, unterminated: false },
      { kind: 'line', line: 4, text: '{"c":', bytes: 5, unterminated: true },
    ]);
  });

  it('keeps lines whole across read chunks, multi-byte characters included', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ i, text: `督办事项${'长'.repeat(i % 200)}` }),
    );
    const file = await write(dir, 'big.ndjson', ndjson(lines));
    const got = await collect(file);
    expect(got).toHaveLength(3000);
    expect(got.map((r) => (r.kind === 'line' ? r.text : '?'))).toEqual(lines);
  });

  it('stops buffering a line at the limit and goes on with the next one', async () => {
    const dir = tempDir();
    const file = await write(
      dir,
      'long.ndjson',
      `{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n${'y'.repeat(5000)}`,
    );
    expect(await collect(file, 1000)).toEqual([
      { kind: 'line', line: 1, text: '{"a":1}', bytes: 7, unterminated: false },
      { kind: 'too-long', line: 2, bytes: 5000 },
      { kind: 'line', line: 3, text: '{"b":2}', bytes: 7, unterminated: false },
      { kind: 'too-long', line: 4, bytes: 5000 },
    ]);
  });

  it('names a line that is not UTF-8', async () => {
    const dir = tempDir();
    const file = await write(
      dir,
      'latin1.ndjson',
      Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xe9, 0xff]), Buffer.from('"}\n')]),
    );
    expect((await collect(file))[1]).toEqual({ kind: 'not-utf8', line: 2 });
    const r = await duban(['verify', 'latin1.ndjson'], { cwd: dir });
    expect(r.stdout).toContain('latin1.ndjson:2: (line): is not valid UTF-8');
  });
});
