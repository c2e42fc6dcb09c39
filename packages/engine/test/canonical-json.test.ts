import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson } from '@duban/engine';

// The hash chain rests on RFC 8785 canonical JSON. `canonicalize` is a direct implementation of the RFC;
// the engine uses a faster serializer that must agree with it on every JSON value.
describe('canonical JSON (RFC 8785)', () => {
  it('agrees with the reference implementation on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 1e-7, -0, 0.1], é: 'x', Z: null })).toBe(
      '{"Z":null,"a":[1e+21,1e-7,0,0.1],"b":1,"é":"x"}',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow();
  });
});
