import fc from 'fast-check';
import { v5 } from 'uuid';
import { DUBAN_NAMESPACE, eventIdFor } from '@duban/engine';

/**
 * Event ids are recorded in every history and deduplicate retried appends: the derivation must give the
 * RFC 9562 uuid v5 that `uuid` gives for the same name, for every command id a caller may choose.
 */
describe('event ids', () => {
  const expected = (commandId: string, index: number, digest: string) =>
    v5(`${commandId}#${index}#${digest}`, DUBAN_NAMESPACE);
  const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });

  it('are the uuid v5 of command id, index and content digest in Duban’s namespace (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300, unit: 'grapheme' }), fc.string({ unit: 'binary' })),
        fc.nat({ max: 10_000 }),
        hex64,
        (commandId, index, digest) => {
          expect(eventIdFor(commandId, index, digest)).toBe(expected(commandId, index, digest));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keep the ids of histories already written', () => {
    const digest = 'ab'.repeat(32);
    expect(eventIdFor('c-1', 0, digest)).toBe(expected('c-1', 0, digest));
    // Pinned: a change of namespace or name format would change every id on record.
    expect(eventIdFor('督办-7', 2, digest)).toBe('84cb4173-6bf8-5b42-acc3-761d819e9c4f');
  });
});
