import { spawnSync } from 'node:child_process';
import { existsSync, openSync, closeSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { duban, ndjson, read, smallHistory, tempDir, write } from './helpers';

/**
 * A backup that stops short must not pass for a whole one. These run the real binary with its output on
 * a full device (/dev/full: every write fails with ENOSPC) or under a file size limit (`ulimit -f`: a
 * write past it fails with EFBIG, the way a small disk fills up), and check the exit code, the message
 * and what is left on disk.
 */
const BIN = path.resolve(__dirname, '../bin/duban.js');
// Each case starts real processes (node through tsx): on a busy 2-core machine that takes seconds.
jest.setTimeout(120_000);
const sh = (dir: string, script: string) =>
  spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, BIN } });

describe('duban export when writes fail', () => {
  let dir: string;
  let bytes: number;
  beforeAll(async () => {
    dir = tempDir();
    const { lines } = await smallHistory();
    await write(dir, 'h.ndjson', ndjson(lines));
    bytes = Buffer.byteLength(ndjson(lines));
    expect(bytes).toBeGreaterThan(16 * 1024); // the limits below cut it half-way
  });

  const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .*\(/);

  it('to standard output on a full device: exit 1 and the reason, not exit 0', () => {
    expect(existsSync('/dev/full')).toBe(true);
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'export', 'h.ndjson'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', fd, 'pipe'],
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('duban: writing standard output failed: no space left on device (ENOSPC)');
      noStackTrace(r.stderr);
    } finally {
      closeSync(fd);
    }
  });

  it('with --out on a disk that fills up: exit 1, the reason, and no file at all', async () => {
    const r = sh(dir, 'ulimit -f 16 && exec node "$BIN" export h.ndjson --out copy.ndjson');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'duban: writing copy.ndjson failed: file too large (EFBIG); nothing was written to copy.ndjson (the partial file was removed)',
    );
    noStackTrace(r.stderr);
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('copy.ndjson'))).toEqual([]);
  });

  it('with --out over an earlier backup: the earlier one is left whole', async () => {
    await write(dir, 'old.ndjson', 'the earlier backup\n');
    const r = sh(dir, 'ulimit -f 16 && exec node "$BIN" export h.ndjson --out old.ndjson');
    expect(r.status).toBe(1);
    expect(await read(dir, 'old.ndjson')).toBe('the earlier backup\n');
  });

  it('redirected to a file that fills up: the file is cut back to what it held before', async () => {
    const fresh = sh(dir, 'ulimit -f 16 && node "$BIN" export h.ndjson > cut.ndjson');
    expect(fresh.status).toBe(1);
    expect(fresh.stderr).toContain('duban: writing standard output failed: file too large (EFBIG)');
    expect(fresh.stderr).toContain('standard output was cut back to its 0 bytes from before this command');
    expect((await fs.stat(path.join(dir, 'cut.ndjson'))).size).toBe(0);
    await write(dir, 'log.txt', 'earlier lines\n');
    const appended = sh(dir, 'ulimit -f 16 && node "$BIN" export h.ndjson >> log.txt');
    expect(appended.status).toBe(1);
    expect(await read(dir, 'log.txt')).toBe('earlier lines\n');
  });

  it('redirected to a file that fills up half-way through a large export: one message, the file cut back', async () => {
    // export copies what it reads without checking chains: 3,000 copies of a line make a 3 MB file
    const line = (await read(dir, 'h.ndjson')).split('\n')[0]!;
    await write(dir, 'large.ndjson', `${line}\n`.repeat(3000));
    const r = sh(dir, 'ulimit -f 1024 && node "$BIN" export large.ndjson > large-copy.ndjson');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'duban: writing standard output failed: file too large (EFBIG); standard output was cut back to its 0 bytes from before this command\n',
    );
    expect((await fs.stat(path.join(dir, 'large-copy.ndjson'))).size).toBe(0);
  });

  it('into a pipe, when the history cannot be read to its end: a last line says the output is incomplete', async () => {
    const good = (await read(dir, 'h.ndjson')).trimEnd().split('\n');
    await write(dir, 'cut-short.ndjson', ndjson([...good.slice(0, 10), 'not json', ...good.slice(10)]));
    const r = spawnSync(process.execPath, [BIN, 'export', 'cut-short.ndjson'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    const out = r.stdout.trimEnd().split('\n');
    expect(out.slice(0, 10)).toEqual(good.slice(0, 10));
    expect(out.at(-1)).toMatch(
      /^# duban: cut-short\.ndjson:11: \(line\): is not JSON.*: this output is INCOMPLETE$/,
    );
    // and whatever reads it refuses it
    await write(dir, 'piped.ndjson', r.stdout);
    const verify = await duban(['verify', 'piped.ndjson'], { cwd: dir });
    expect(verify.code).toBe(1);
  });

  it('a whole export still exits 0 and writes every byte', async () => {
    const r = sh(
      dir,
      'node "$BIN" export h.ndjson > whole.ndjson && node "$BIN" export h.ndjson --out whole2.ndjson',
    );
    expect(r.status).toBe(0);
    expect((await fs.stat(path.join(dir, 'whole.ndjson'))).size).toBe(bytes);
    expect(await read(dir, 'whole2.ndjson')).toBe(await read(dir, 'h.ndjson'));
  });
});
