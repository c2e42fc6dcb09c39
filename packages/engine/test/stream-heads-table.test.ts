import fc from 'fast-check';
import { StreamHeadsTable } from '../src/envelope/stream-heads-table';

/**
 * The verifier's heads table keeps stream ids as bytes behind its own index instead of a Map: it must
 * find exactly the streams a Map would, keep each one's revision and hash apart, and give the ids back
 * as they were, whatever characters or length they have.
 */

const GENESIS = '0'.repeat(64);
const hashOf = (n: number) => ((n + 0xabcdef00) >>> 0).toString(16).padStart(8, '0').repeat(8);

/** The table beside a Map doing the same: every answer compared (the differences listed, as one check). */
const compareWithMap = (ids: readonly string[]) => {
  const table = new StreamHeadsTable();
  const model = new Map<string, { slot: number; next: number; hash: string }>();
  const differences: unknown[] = [];
  const same = (what: string, got: unknown, want: unknown) => {
    if (got !== want) differences.push({ what, got, want });
  };
  ids.forEach((id, step) => {
    same(`slotOf before ${step}`, table.slotOf(id), model.get(id)?.slot ?? -1);
    const slot = table.open(id, GENESIS);
    const known = model.get(id) ?? { slot: model.size, next: 0, hash: GENESIS };
    same(`open ${step}`, slot, known.slot);
    same(`nextRevision ${step}`, table.nextRevision(slot), known.next);
    same(`lastHashIs ${step}`, table.lastHashIs(slot, known.hash), true);
    table.advance(slot, known.next, hashOf(step));
    model.set(id, { slot, next: known.next + 1, hash: hashOf(step) });
  });
  same('size', table.size, model.size);
  const entries = [...table.entries()];
  [...model].forEach(([id, s], i) => {
    same(`entry ${i}`, JSON.stringify(entries[i]), JSON.stringify([id, s.next, s.hash]));
    same(`slotOf ${i}`, table.slotOf(id), s.slot);
    same(`lastHash ${i}`, table.lastHash(s.slot), s.hash);
  });
  expect(differences.slice(0, 5)).toEqual([]);
};

describe('StreamHeadsTable', () => {
  it('finds every stream a Map finds, across pages and index growth', () => {
    // 40,000 streams fill more than two pages of slots and double the index several times; each
    // stream is seen again later, interleaved as in a history.
    const ids = Array.from({ length: 40_000 }, (_, i) => `task-T-${String(i).padStart(6, '0')}`);
    compareWithMap([...ids, ...ids.filter((_, i) => i % 7 === 0).reverse(), ...ids.slice(0, 100)]);
  });

  it('tells apart ids that differ in one character, in length, or only beyond Latin-1', () => {
    compareWithMap([
      'task-T-1',
      'task-T-2',
      'task-T-10',
      'task-T-1\u0000',
      '',
      'é',
      '\u00c3\u00a9', // "é" as UTF-8 bytes read as Latin-1: two characters, not "é"
      '任务-1',
      '任务-2',
      'task-😀',
      'task-\ud83d', // a lone surrogate
      'x'.repeat(70_000), // longer than the slab takes
      'x'.repeat(70_001),
      'x'.repeat(65_535),
      'x'.repeat(65_534),
      'task-T-1',
      '任务-1',
      '',
      'x'.repeat(70_000),
    ]);
  });

  it('agrees with a Map on any sequence of ids', () => {
    const id = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.integer({ min: 0, max: 50 }).map((n) => `task-T-${n}`),
    );
    fc.assert(fc.property(fc.array(id, { maxLength: 200 }), (ids) => compareWithMap(ids)));
  });

  it('keeps each stream its own revision and hash', () => {
    const table = new StreamHeadsTable();
    const a = table.open('task-A', GENESIS);
    const b = table.open('task-B', GENESIS);
    table.advance(a, 0, hashOf(1));
    table.advance(a, 1, hashOf(2));
    table.advance(b, 0, hashOf(3));
    expect([table.nextRevision(a), table.lastHash(a)]).toEqual([2, hashOf(2)]);
    expect([table.nextRevision(b), table.lastHash(b)]).toEqual([1, hashOf(3)]);
    expect(table.lastHashIs(a, hashOf(3))).toBe(false);
    expect(table.lastHashIs(a, hashOf(2).toUpperCase())).toBe(false);
  });

  it('keeps a table of a few streams small (an engine verifying each load makes one per load)', () => {
    // Whole pages from the first stream cost 1.8 MB a table; its pages now start small and double.
    const before = process.memoryUsage().arrayBuffers;
    const tables = Array.from({ length: 200 }, (_, i) => {
      const table = new StreamHeadsTable();
      table.open(`task-T-${i}`, GENESIS);
      return table;
    });
    const perTable = (process.memoryUsage().arrayBuffers - before) / tables.length;
    expect(perTable).toBeLessThan(64 * 1024);
    expect(tables.map((t) => t.streamIdOf(0))).toContain('task-T-199');
  });

  it('refuses a genesis that is not a SHA-256 hex digest', () => {
    expect(() => new StreamHeadsTable().open('task-A', 'not a hash')).toThrow(RangeError);
  });
});
