import { spawnSync } from 'node:child_process';
import { tuneHeapFor, VERIFY_HEAP_FLAGS } from '../bin/heap-tuning';

/**
 * The binary sizes V8's heap for `duban verify` only, and never over the user's own settings. What the
 * flags save is measured by the benchmark (README "Limits"), not here.
 */

const tune = (argv: string[], given: string[] = []) => {
  const set: string[] = [];
  const returned = tuneHeapFor(argv, given, (flag) => set.push(flag));
  expect(returned).toEqual(set);
  return set;
};

describe('heap tuning of the binary', () => {
  it('sizes the heap for verify, whatever its options', () => {
    expect(tune(['verify', 'history.ndjson'])).toEqual([...VERIFY_HEAP_FLAGS]);
    expect(tune(['verify', '--json', '--seal', 's.json', 'history.ndjson'])).toEqual([...VERIFY_HEAP_FLAGS]);
  });

  it('leaves every other command with V8 defaults (they keep a read model)', () => {
    for (const argv of [['replay', 'verify'], ['report', 'h.ndjson'], ['help', 'verify'], ['--version'], []])
      expect(tune(argv)).toEqual([]);
  });

  it("leaves the user's own heap settings alone", () => {
    expect(tune(['verify', 'h.ndjson'], ['--max-semi-space-size=64'])).toEqual([]);
    expect(tune(['verify', 'h.ndjson'], ['', '--heap-growing-percent=50'])).toEqual([]);
    expect(tune(['verify', 'h.ndjson'], ['--max-old-space-size=8192'])).toEqual([...VERIFY_HEAP_FLAGS]);
  });

  it('names flags this Node knows (an unknown one would be refused here)', () => {
    const run = spawnSync(process.execPath, [...VERIFY_HEAP_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
