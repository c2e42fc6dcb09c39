import fc from 'fast-check';
import { MAX_JSON_DEPTH, parseStrictJson } from '../src/json';

const refused = (text: string, maxDepth?: number) => {
  const r = parseStrictJson(text, maxDepth);
  return r.ok ? 'ok' : `${r.field}: ${r.message}`;
};

describe('strict JSON: I-JSON with bounded nesting', () => {
  it('refuses a key twice in one object, naming the key and where it is', () => {
    expect(refused('{"grade":"poor","grade":"good"}')).toBe(
      'grade: the key "grade" occurs twice in one object; JSON read for hashing must have unique keys (I-JSON), or two readers could see two values',
    );
    expect(refused('{"data":{"a":1,"list":[{"x":1},{"x":2,"y":"\\"x\\":","x":3}]}}')).toMatch(
      /^data\.list\.1\.x: the key "x" occurs twice/,
    );
    // the same key written two ways is still the same key
    expect(refused('{"grade":1,"gr\\u0061de":2}')).toMatch(/^grade: the key "grade" occurs twice/);
    // a colon written as an escape takes the exact scan: same verdicts
    expect(refused('{"a:":1,"a\\u003a":2}')).toMatch(/^a:: the key "a:" occurs twice/);
    expect(refused('{"a\\u003a":"x\\u003Ay","b:":"::"}')).toBe('ok');
    // the same key in sibling objects, or as a string value, is fine
    expect(refused('{"a":{"k":1},"b":{"k":1},"c":["k","k"],"k":"k"}')).toBe('ok');
    expect(refused('{ "a" : 1 , "b" : { "a" : [ 1 , { "a" : 2 } ] } }')).toBe('ok');
  });

  it('refuses numbers that are not finite doubles, naming the field', () => {
    expect(refused('{"data":{"count":1e309}}')).toBe(
      'data.count: the number 1e309 is out of range: JSON numbers must be finite doubles (I-JSON)',
    );
    expect(refused('{"a":[1,2,-1E400]}')).toMatch(/^a\.2: the number -1E400 is out of range/);
    expect(refused('1e309')).toMatch(/^\(line\): the number 1e309 is out of range/);
    expect(refused(`{"a":${'9'.repeat(400)}}`)).toMatch(/^a: the number 9{21}\.\.\. is out of range/);
    expect(refused('{"a":1e308,"b":-0,"c":5e-324,"d":1.0}')).toBe('ok');
  });

  it('bounds nesting depth, naming the limit, without overflowing the stack at any depth', () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
    expect(refused(nested(MAX_JSON_DEPTH))).toBe('ok');
    expect(refused(nested(MAX_JSON_DEPTH + 1))).toBe(
      `${Array.from({ length: MAX_JSON_DEPTH }, () => 'a').join('.')}: nests objects and arrays more than ${MAX_JSON_DEPTH} deep (the limit for any JSON read)`,
    );
    for (const depth of [10_000, 200_000]) {
      expect(refused(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toMatch(/more than 64 deep/);
      expect(refused(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)).toMatch(/more than 64 deep/);
    }
    expect(refused('[[[1]]]', 2)).toBe(
      '0.0: nests objects and arrays more than 2 deep (the limit for any JSON read)',
    );
  });

  it("gives JSON.parse's own error for text that is not JSON", () => {
    const r = parseStrictJson('{"a":');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.syntax).toBeInstanceOf(SyntaxError);
  });

  // A JSON value printed by a serializer that can repeat one key of one object: the oracle knows the answer.
  type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
  const print = (v: Json, indent: boolean, dupAt: number | undefined, count = { n: 0 }): string => {
    const sp = indent ? ' ' : '';
    if (Array.isArray(v)) return `[${v.map((x) => print(x, indent, dupAt, count)).join(`,${sp}`)}]`;
    if (v !== null && typeof v === 'object') {
      const index = count.n++;
      const entries = Object.entries(v).map(
        ([k, x]) => `${JSON.stringify(k)}${sp}:${sp}${print(x, indent, dupAt, count)}`,
      );
      if (index === dupAt && entries.length > 0) entries.push(entries[0]!);
      return `{${entries.join(`,${sp}`)}}`;
    }
    return JSON.stringify(v);
  };
  const objects = (v: Json): number =>
    Array.isArray(v)
      ? v.reduce((n: number, x) => n + objects(x), 0)
      : v !== null && typeof v === 'object'
        ? 1 + Object.values(v).reduce((n: number, x) => n + objects(x), 0)
        : 0;
  const nonEmptyObjects = (v: Json): number =>
    Array.isArray(v)
      ? v.reduce((n: number, x) => n + nonEmptyObjects(x), 0)
      : v !== null && typeof v === 'object'
        ? (Object.keys(v).length > 0 ? 1 : 0) +
          Object.values(v).reduce((n: number, x) => n + nonEmptyObjects(x), 0)
        : 0;

  // Keys and strings full of the characters the fast path counts and the scan steps over.
  const tricky = fc.string({ unit: fc.constantFrom(':', '"', '\\', '{', '[', ',', 'a', '长'), maxLength: 6 });
  const trickyJson = fc.letrec<{ value: Json }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      tricky,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('judges keys and strings made of colons, quotes and brackets right, on both paths', () => {
    fc.assert(
      fc.property(trickyJson, fc.boolean(), fc.nat(), (v, indent, pick) => {
        const clean = print(v, indent, undefined);
        expect(parseStrictJson(clean)).toEqual({ ok: true, value: JSON.parse(clean) });
        const total = objects(v);
        const dup = total === 0 ? clean : print(v, indent, pick % total);
        if (dup !== clean) expect(refused(dup)).toMatch(/occurs twice in one object/);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts every JSON value, compact or spaced, and parses it as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.boolean(), (v, indent) => {
        const text = print(v as Json, indent, undefined);
        const r = parseStrictJson(text);
        expect(r).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 500 },
    );
  });

  it('finds a repeated key wherever it is', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat(), fc.boolean(), (v, pick, indent) => {
        const total = objects(v as Json);
        fc.pre(nonEmptyObjects(v as Json) > 0);
        // the first object at or after `pick` (in print order) that has a key to repeat
        const clean = print(v as Json, indent, undefined);
        const candidates = Array.from({ length: total }, (_, k) => (pick + k) % total);
        const text = candidates.map((at) => print(v as Json, indent, at)).find((t) => t !== clean)!;
        expect(refused(text)).toMatch(/occurs twice in one object/);
      }),
      { numRuns: 500 },
    );
  });
});
