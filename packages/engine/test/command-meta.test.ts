import fc from 'fast-check';
import { isRight } from 'fp-ts/Either';
import { CommandMeta } from '@duban/engine';
import { commandKeysOf } from '../src/command-meta';

/**
 * The engine checks a meta's keys field by field (`commandKeysOf`) and decodes with the `CommandMeta`
 * codec only to report problems: the fast check must accept exactly what the codec accepts, and give the
 * same keys, or a command the codec refuses could be written.
 */
describe('the meta’s keys checked field by field', () => {
  const actor = { id: 'officer-wu', kind: 'unit', unitId: 'bureau-of-commerce' };
  const at = '2022-03-01T09:00:00+08:00';
  const hex = (length: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
  const key = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ maxLength: 20, unit: 'binary' }),
    fc.constantFrom(
      '',
      '   ',
      'a\u0007b',
      'a\u009fb',
      'a\ud800b',
      '\udc00',
      '😀',
      'x'.repeat(256),
      'x'.repeat(257),
    ),
    fc.constantFrom(null, 0, 7, true, {}, ['c-1'], { id: 'c-1' }),
  );
  const signature = fc.oneof(
    hex(128),
    hex(127),
    hex(64),
    fc.constantFrom('A'.repeat(128), 'g'.repeat(128), null, 42, { value: 'ab' }),
  );
  const meta = fc.record(
    { commandId: key, correlationId: key, causationId: key, signature, extra: fc.jsonValue() },
    { requiredKeys: [] },
  );

  it('accepts exactly what CommandMeta accepts, with the same keys (property)', () => {
    fc.assert(
      fc.property(meta, (m) => {
        const keys = commandKeysOf(m);
        const decoded = CommandMeta.decode({ ...m, actor, at });
        expect(keys !== undefined).toBe(isRight(decoded));
        if (keys && isRight(decoded)) {
          const { actor: _a, at: _t, ...rest } = decoded.right;
          expect(keys).toStrictEqual(rest);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a key with a lone surrogate, which has no UTF-8 form to hash into an event id', () => {
    expect(commandKeysOf({ commandId: 'c-\ud800' })).toBeUndefined();
    expect(isRight(CommandMeta.decode({ actor, at, commandId: 'c-\ud800' }))).toBe(false);
    expect(commandKeysOf({ commandId: 'c-😀' })).toStrictEqual({ commandId: 'c-😀' });
  });
});
