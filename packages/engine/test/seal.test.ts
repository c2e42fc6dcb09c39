import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  canonicalJson,
  createChainVerifier,
  eventIdFor,
  GENESIS_HASH,
  hashEvent,
  sealEvents,
  type SealContext,
} from '@duban/engine';

/**
 * `sealEvents` writes each event's canonical JSON in pieces (once, not once per digest): the event ids
 * and hashes it gives must be exactly those of the canonical JSON written whole, or histories written
 * before would no longer verify and retried appends would no longer deduplicate.
 */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The definition: content digest over the event without id and hash; chain hash over it with the id. */
const reference = (
  context: SealContext,
  events: ReadonlyArray<{ type: string; data: unknown; schemaVersion: number }>,
) => {
  let prevHash = context.prevHash;
  return events.map((event, i) => {
    const unsigned = {
      streamId: context.streamId,
      revision: context.revision + 1 + i,
      at: context.at,
      actor: context.actor,
      commandId: context.commandId,
      commandType: context.commandType,
      commandDigest: context.commandDigest,
      correlationId: context.correlationId,
      causationId: context.causationId,
      ...(context.signature ? { signature: { ...context.signature } } : {}),
      schemaVersion: event.schemaVersion,
      prevHash,
    };
    const digest = sha256(canonicalJson({ type: event.type, data: event.data, metadata: unsigned }));
    const eventId = eventIdFor(context.commandId, i, digest);
    const hash = sha256(
      canonicalJson({ type: event.type, data: event.data, metadata: { eventId, ...unsigned } }),
    );
    prevHash = hash;
    return { eventId, hash };
  });
};

const text = fc.string({ maxLength: 12, unit: 'grapheme' });
const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

describe('sealing events', () => {
  it('gives the ids and hashes of the canonical JSON written whole (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          streamId: text,
          revision: fc.integer({ min: -1, max: 1000 }),
          prevHash: fc.oneof(fc.constant(GENESIS_HASH), hex64),
          actor: fc.record(
            { id: text, kind: fc.constantFrom('unit', 'section'), unitId: text },
            { requiredKeys: ['id', 'kind'] },
          ),
          at: text,
          commandId: text,
          commandType: text,
          commandDigest: hex64,
          correlationId: text,
          causationId: text,
          signature: fc.option(fc.record({ publicKey: hex64, value: hex64 }), { nil: undefined }),
        }),
        fc.array(fc.record({ type: text, data: json, schemaVersion: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 1,
          maxLength: 3,
        }),
        (context, events) => {
          const sealed = sealEvents(context as SealContext, events);
          expect(sealed.map((e) => ({ eventId: e.metadata.eventId, hash: e.metadata.hash }))).toEqual(
            reference(context as SealContext, events),
          );
          for (const e of sealed) expect(hashEvent(e)).toBe(e.metadata.hash);
          const verifier = createChainVerifier();
          if (context.revision === -1 && context.prevHash === GENESIS_HASH)
            for (const e of sealed) expect(verifier.push(e)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
