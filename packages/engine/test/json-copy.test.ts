import fc from 'fast-check';
import { plainJsonCopy } from '../src/json-copy';

/** The definition: what one JSON round trip gives. */
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Same value, same key order, +0 and -0 told apart (toStrictEqual checks all but the order). */
const expectSame = (copy: unknown, expected: unknown) => {
  expect(copy).toStrictEqual(expected);
  expect(JSON.stringify(copy)).toBe(JSON.stringify(expected));
};

class Point {
  constructor(readonly x: number) {}
}

/** Values JSON changes on the way (or refuses): the copy must step aside for each. */
const awkward: ReadonlyArray<readonly [string, unknown]> = [
  ['a Date', { at: new Date(0) }],
  ['a toJSON', { id: { toJSON: () => 'T-1' } }],
  ['a hidden toJSON', Object.defineProperty({ a: 1 }, 'toJSON', { value: () => 'x', enumerable: false })],
  ['an inherited toJSON', [Object.create({ toJSON: () => 1 }) as unknown]],
  ['NaN', { n: NaN }],
  ['Infinity', [Infinity]],
  ['an undefined item', [1, undefined]],
  ['a hole', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['a function item', [() => 1]],
  ['a symbol item', [Symbol('s')]],
  ['a BigInt', { n: 1n }],
  ['a class instance', { p: new Point(1) }],
  ['a Map', { m: new Map([['a', 1]]) }],
  ['a boxed string', { s: Object('x') as unknown }],
  ['an array subclass', { a: new (class extends Array {})() }],
  ['a __proto__ key', JSON.parse('{"__proto__":{"x":1}}') as unknown],
  ['deep nesting', Array.from({ length: 100 }).reduce<unknown>((inner) => [inner], 'x')],
  ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()], // prettier-ignore
  [
    'a throwing getter',
    Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    }),
  ],
];

describe('copying a plain JSON value without its text', () => {
  it('yields what a JSON round trip yields (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const fast = plainJsonCopy(value);
        // Every JSON value is plain: the copy takes it (within its depth), but for a `__proto__` key.
        if (!JSON.stringify(value).includes('"__proto__":')) expect(fast).toBeDefined();
        if (fast) expectSame(fast.copy, roundTrip(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('answers like the round trip on -0, undefined members, null prototypes and integer keys', () => {
    const cases: unknown[] = [
      { z: -0, list: [-0, 0.1, 1e21, -5e-324] },
      { a: 1, gone: undefined, b: 'x' },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      { b: 1, 10: 'ten', 2: 'two', a: [true, null, '\ud800'] },
      { toJSON: 'not a function, so a member' },
    ];
    for (const value of cases) {
      const fast = plainJsonCopy(value);
      expect(fast).toBeDefined();
      expectSame(fast!.copy, roundTrip(value));
    }
  });

  it('copies: nothing of the copy is the caller’s object', () => {
    const value = { data: { list: [{ a: 1 }] } };
    const copy = plainJsonCopy(value)!.copy as typeof value;
    value.data.list[0]!.a = 2;
    value.data.list.push({ a: 3 });
    expect(copy).toStrictEqual({ data: { list: [{ a: 1 }] } });
  });

  it.each(awkward)('leaves %s to the JSON round trip', (_what, value) => {
    expect(plainJsonCopy(value)).toBeUndefined();
  });
});
