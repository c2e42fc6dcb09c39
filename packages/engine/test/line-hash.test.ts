import fc from 'fast-check';
import { canonicalJson, envelopeLine, hashEvent, type Hashable } from '@duban/engine';
import { hashOfCanonicalLine } from '../src/envelope/line-hash';

/**
 * Hashing a line as it is must give exactly the hash of the event serialised canonically, or nothing
 * (and the verifier serialises). Events are generated with any JSON data and metadata; lines are the
 * canonical ones, and lines changed in ways that keep or change their meaning.
 */
const hexHash = fc.stringMatching(/^[0-9a-f]{64}$/);
const anyString = fc.string({ unit: 'grapheme-composite' });
const tricky = fc.oneof(
  fc.string({ unit: 'binary' }), // lone surrogates, control characters
  anyString,
  fc.constantFrom('"hash":"', 'x"hash', '\\', '\u2028', 'é', '𠀀'),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(tricky, fc.constantFrom('hash', '1', '10', '__proto__', 'a')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

const eventArb: fc.Arbitrary<Hashable> = fc.record({
  type: fc.oneof(fc.constantFrom('TaskAccepted', 'ProgressReported'), tricky),
  data: fc.dictionary(fc.oneof(tricky, fc.constantFrom('taskId', 'at', 'hash')), jsonish, { maxKeys: 6 }),
  metadata: fc
    .tuple(
      fc.dictionary(fc.oneof(tricky, fc.constantFrom('streamId', 'actor')), jsonish, { maxKeys: 5 }),
      hexHash,
    )
    .map(([m, hash]) => ({ ...m, hash })),
});

/** The event parsed back from its line: what a reader holds. */
const parsed = (line: string): Hashable => JSON.parse(line) as Hashable;

describe('hashing a canonical line as it is', () => {
  it('gives the canonical hash for every line envelopeLine writes', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const line = envelopeLine(event).slice(0, -1);
        const back = parsed(line);
        const fast = hashOfCanonicalLine(back, line);
        // Keys that look like array indices are enumerated first by JavaScript, out of canonical
        // order: such a line is serialised instead. Every other canonical line is hashed as it is.
        if (fast === undefined) expect(line).toMatch(/"(0|[1-9]\d*)":/);
        else expect(fast).toBe(hashEvent(back));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the canonical hash or nothing for lines written any other way', () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.constantFrom(
          'insertion order',
          'unsorted inside',
          'spaced',
          'escaped',
          'other event',
          'number form',
        ),
        (event, how) => {
          const canonical = envelopeLine(event).slice(0, -1);
          const line =
            how === 'insertion order'
              ? JSON.stringify({ type: event.type, data: event.data, metadata: event.metadata })
              : how === 'unsorted inside'
                ? JSON.stringify({ data: event.data, metadata: event.metadata, type: event.type })
                : how === 'spaced'
                  ? canonical.replace(',', ', ')
                  : how === 'escaped'
                    ? canonical.replace(/a/, '\\u0061')
                    : how === 'number form'
                      ? canonical.replace(/(\d)([,}\]])/, '$1.0$2')
                      : canonicalJson({ ...event, type: `${event.type}x` });
          let back: Hashable;
          try {
            back = parsed(line);
          } catch {
            return;
          }
          const fast = hashOfCanonicalLine(back, line);
          if (fast !== undefined) expect(fast).toBe(hashEvent(back));
          // The line handed in must be the event's own: another event's line never hashes for it.
          const other = hashOfCanonicalLine(back, canonicalJson({ ...back, type: `${back.type}x` }));
          expect(other).toBeUndefined();
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('leaves out the hash member wherever it sorts, and refuses to guess when it shows twice', () => {
    const hash = 'a'.repeat(64);
    for (const metadata of [{ hash }, { a: 1, hash }, { hash, z: 1 }, { a: 1, hash, z: [1] }]) {
      const event = { type: 'T', data: {}, metadata };
      const line = envelopeLine(event).slice(0, -1);
      expect(hashOfCanonicalLine(parsed(line), line)).toBe(hashEvent(event));
    }
    const twice = { type: 'T', data: { 'x"hash': hash }, metadata: { hash } };
    const line = envelopeLine(twice).slice(0, -1);
    expect(hashOfCanonicalLine(parsed(line), line)).toBeUndefined();
  });

  it('serialises values JSON.stringify writes differently from canonical JSON', () => {
    const event = {
      type: 'T',
      data: { when: new Date(0), n: Number.NaN },
      metadata: { hash: 'a'.repeat(64) },
    };
    expect(
      hashOfCanonicalLine(event, JSON.stringify({ data: event.data, metadata: event.metadata, type: 'T' })),
    ).toBeUndefined();
  });
});
