import { captureStream } from '@duban/cli';
import { progressBar, shortCount } from '../src/progress';
import { duban, ndjson, smallHistory, tempDir, write } from './helpers';

/**
 * Over a large history (a province: 10M events, minutes) a person at a terminal sees how far the
 * reading is: bytes of the file, events read and their rate, on stderr. Nothing of it reaches a pipe,
 * a log or a test's output.
 */
describe('progress on a terminal', () => {
  it('shows the bytes of the file, the events read and their rate (a fake terminal and clock)', () => {
    const stderr = captureStream(true);
    let now = 1_000;
    const bar = progressBar(stderr, 'verifying', 4 * 1024 * 1024, 'bytes', () => now);
    now += 2_000;
    bar.update(2 * 1024 * 1024, 30_000);
    now += 2_000;
    bar.stop(64_000);
    const text = stderr.text();
    expect(text).toContain('verifying');
    // The last drawing: the whole file, every event, 64,000 in 4 s.
    expect(text).toContain('100% | 4096/4096 KiB | 64,000 events, 16.0k events/s');
  });

  it('draws nothing when stderr is not a terminal', () => {
    const stderr = captureStream(false);
    const bar = progressBar(stderr, 'verifying', 1024, 'bytes');
    bar.update(512, 10);
    bar.stop(20);
    expect(stderr.text()).toBe('');
  });

  it('shortens counts: 950, 31.5k, 1.2M', () => {
    expect([shortCount(950), shortCount(31_500), shortCount(1_234_567)]).toEqual(['950', '31.5k', '1.2M']);
  });

  it.each([
    ['verify', ['verify', 'h.ndjson'], 'verifying'],
    ['replay', ['replay', 'h.ndjson'], 'reading'],
    ['report', ['report', 'h.ndjson'], 'reading'],
  ])(
    'duban %s counts the events on a terminal; its output is the same as in a pipe',
    async (_name, argv, label) => {
      const dir = tempDir();
      const { lines } = await smallHistory();
      await write(dir, 'h.ndjson', ndjson(lines));
      const terminal = await duban(argv, { cwd: dir, tty: true });
      const piped = await duban(argv, { cwd: dir, tty: false });
      expect(terminal.code).toBe(0);
      expect(terminal.stderr).toContain(label);
      expect(terminal.stderr).toContain(`| ${lines.length} events`);
      expect(piped.stderr).not.toContain('events');
      expect(piped.stderr).not.toContain(label);
      expect(terminal.stdout).toBe(piped.stdout);
    },
  );
});
