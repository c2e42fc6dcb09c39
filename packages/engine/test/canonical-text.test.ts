import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, hashEvent, type Hashable } from '@duban/engine';
import { canonicalRecordText, canonicalText } from '../src/envelope/canonical-text';

/**
 * hashEvent writes the hashed text in pieces with a faster writer and falls back to canonicalJson of
 * the whole where that writer cannot be sure. Every text it writes must be canonicalJson's, byte for
 * byte, or histories and seals already written would stop verifying: checked here on arbitrary values
 * (odd keys, `__proto__`, numbers like -0 and 1e21, lone surrogates, values canonicalJson refuses).
 */

/** canonicalJson's answer: its text, or that it throws. */
const reference = (value: unknown): { text: string } | { throws: true } => {
  try {
    return { text: canonicalJson(value) };
  } catch {
    return { throws: true };
  }
};

/** Strings with what JSON escapes, surrogate halves (paired and lone) and non-BMP characters. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', '9', ' ', '-', '_', '落', 'é') },
  { weight: 2, arbitrary: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028') },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('😀', '\ud83d\ude00') },
);
const text = fc.string({ unit, maxLength: 12 });
/** Keys that sort unlike their insertion order, look like array indices, or name something inherited. */
const key = fc.oneof(
  { weight: 4, arbitrary: text },
  {
    weight: 2,
    arbitrary: fc.constantFrom('__proto__', 'hash', 'toJSON', 'length', 'constructor', '10', '9', '-1', ''),
  },
);
const numbers = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity),
);
/** JSON-like values and what JSON cannot hold: the writer must agree, or leave it to canonicalJson. */
const anything = fc.anything({
  key,
  values: [text, numbers, fc.boolean(), fc.constant(null), fc.constant(undefined)],
  maxDepth: 4,
  withNullPrototype: true,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});
/** Only what JSON holds: here the writer must always answer (or it would save nothing). */
const json = fc.anything({
  key,
  values: [text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)],
  maxDepth: 4,
  withNullPrototype: true,
});

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The hash as it was defined before the faster writer: canonicalJson of the event without its hash. */
const referenceHash = (event: Hashable): { hash: string } | { throws: true } => {
  try {
    const { hash: _ignored, ...metadata } = event.metadata;
    return { hash: sha256(canonicalJson({ type: event.type, data: event.data, metadata })) };
  } catch {
    return { throws: true };
  }
};
const ourHash = (event: Hashable): { hash: string } | { throws: true } => {
  try {
    return { hash: hashEvent(event) };
  } catch {
    return { throws: true };
  }
};

/** Metadata with the engine's keys (some left out) and keys it never writes. */
const metadata = fc
  .tuple(
    fc.record(
      {
        eventId: fc.uuid(),
        streamId: text,
        revision: numbers,
        at: text,
        actor: fc.oneof(fc.record({ id: text, kind: text, unitId: text }), anything),
        commandId: text,
        commandType: text,
        commandDigest: text,
        correlationId: text,
        causationId: text,
        signature: fc.record({ publicKey: text, value: text }),
        schemaVersion: numbers,
        prevHash: text,
        hash: text,
      },
      { requiredKeys: [] },
    ),
    fc.dictionary(key, anything, { maxKeys: 3 }),
    fc.boolean(),
  )
  .map(([known, extra, extraFirst]) => (extraFirst ? { ...extra, ...known } : { ...known, ...extra }));

describe('the hashed text, written in pieces', () => {
  it('is canonicalJson’s text for any value, or left to canonicalJson', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const fast = canonicalText(value);
        if (fast !== undefined) expect(reference(value)).toEqual({ text: fast });
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for every JSON value (the fast path is taken)', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalText(value)).toBe(canonicalJson(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('hashes any envelope as canonicalJson of the whole does, and throws where it throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(text, anything),
        fc.oneof({ weight: 3, arbitrary: json }, { weight: 1, arbitrary: anything }),
        fc.oneof({ weight: 4, arbitrary: metadata }, { weight: 1, arbitrary: anything }),
        (type, data, meta) => {
          const event = { type, data, metadata: meta } as unknown as Hashable;
          expect(ourHash(event)).toEqual(referenceHash(event));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('writes the cases canonicalJson is particular about', () => {
    const cases: unknown[] = [
      { b: 1, a: [1e21, 1e-7, -0, 0.1], é: 'x', Z: null },
      JSON.parse('{"__proto__":{"x":1},"a":"\\ud800","10":1,"9":2,"":3}'),
      Object.assign(Object.create(null), { z: 1, y: undefined, x: [undefined, null] }),
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${(i * 7919) % 300}`, i])),
      [1, , 3], // eslint-disable-line no-sparse-arrays
      { lone: '\udc00x\ud83d', pair: '😀', controls: '\u0000\u001f"\\\u2028' },
    ];
    for (const value of cases) expect(canonicalText(value)).toBe(canonicalJson(value));
    // canonicalJson refuses or writes these its own way: left to it.
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [
      { n: NaN },
      { n: Infinity },
      { f: () => 1 },
      { b: 1n },
      { d: new Date(0) },
      { t: new Uint8Array([1, 2]) },
      { s: Symbol('s') },
      cycle,
    ])
      expect(canonicalText(value)).toBeUndefined();
  });

  it('leaves one member out of a record, and nothing else', () => {
    const record = { hash: 'h', b: 2, a: 1 };
    expect(canonicalRecordText(record, 'hash')).toBe('{"a":1,"b":2}');
    expect(canonicalRecordText({ b: { hash: 1 } }, 'hash')).toBe('{"b":{"hash":1}}');
    expect(canonicalRecordText([1], 'hash')).toBeUndefined();
  });

  it('writes records of the same keys in any order alike, however many shapes it has seen', () => {
    // Past the memo's bounds: many shapes (it starts afresh), many behind one last key, many keys.
    for (let i = 0; i < 3000; i++) {
      const keys =
        i % 3 === 0
          ? [`a${i % 1500}`, 'c', `z${i}`]
          : i % 3 === 1
            ? [`a${i % 1500}`, `b${i}`, 'c']
            : Array.from({ length: 70 }, (_, j) => `k${(j * 31 + i) % 97}`);
      const forward = Object.fromEntries(keys.map((k, j) => [k, j]));
      const backward = Object.fromEntries([...keys].reverse().map((k) => [k, keys.indexOf(k)]));
      expect(canonicalText(forward)).toBe(canonicalJson(forward));
      expect(canonicalText(backward)).toBe(canonicalText(forward));
    }
  });
});
