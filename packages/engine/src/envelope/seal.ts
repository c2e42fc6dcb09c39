import type { Actor } from '@duban/domain';
import type { Envelope, EnvelopeMetadata } from './envelope';
import { eventIdFor } from './event-ids';
import { canonicalJson } from './hash-chain';
import { sha256Hex as sha256 } from './sha256';
import { schemaVersionOf } from './upcasters';

/** SHA-256 (hex) of a command's canonical JSON — type, data, actor, at — recorded as `commandDigest`. */
export const commandDigest = (command: {
  readonly type: string;
  readonly data: unknown;
  readonly actor: Actor;
  readonly at: string;
}): string =>
  sha256(canonicalJson({ type: command.type, data: command.data, actor: command.actor, at: command.at }));

/**
 * A value in canonical JSON. Strings and finite numbers are written as canonicalJson writes them (the
 * same escapes as JSON.stringify; a number as `String`), without a call into the generic serializer for
 * each of the dozen scalars an envelope holds.
 */
const json = (value: unknown): string =>
  typeof value === 'string'
    ? JSON.stringify(value)
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : canonicalJson(value);

/** One `"key":value` pair in canonical JSON, or nothing when the value is undefined. */
const member = (key: string, value: unknown): string =>
  value === undefined ? '' : `"${key}":${json(value)}`;

/** `"key":value` pairs in canonical JSON, comma-separated, those with an undefined value left out. */
const members = (pairs: ReadonlyArray<readonly [string, unknown]>): string => {
  let out = '';
  for (const [key, value] of pairs) out = join(out, member(key, value));
  return out;
};

/** Comma-joined, empty parts left out. */
const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a},${b}`);

/** Where a decision's events go and who decided them: everything their envelopes say but per-event facts. */
export interface SealContext {
  readonly streamId: string;
  /** Revision of the stream's last event before these (-1 for a new stream). */
  readonly revision: number;
  /** Hash of that event (GENESIS_HASH for a new stream). */
  readonly prevHash: string;
  readonly actor: Actor;
  readonly at: string;
  readonly commandId: string;
  readonly commandType: string;
  readonly commandDigest: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The command's signature, when its actor signs (docs/auditing.md, "Signed commands"). */
  readonly signature?: { readonly publicKey: string; readonly value: string };
}

/**
 * Wraps a decision's events in envelopes: revisions, ids derived from content, and the hash chain. The
 * one place an envelope is made, for the engine and for anything that writes history the same way.
 */
export const sealEvents = (
  context: SealContext,
  events: ReadonlyArray<{ readonly type: string; readonly data: unknown; readonly schemaVersion?: number }>,
): Envelope[] => {
  // The canonical JSON (sorted keys) of an event is written once, in pieces: the content digest hashes
  // it without the event id, the chain hash with the id, which sorts between correlationId and prevHash
  // (and a signature between schemaVersion and streamId).
  // Keys whose value is undefined are left out, as canonicalJson leaves them out. A test checks the
  // digests against canonicalJson of the whole.
  const head = members([
    ['actor', context.actor],
    ['at', context.at],
    ['causationId', context.causationId],
    ['commandDigest', context.commandDigest],
    ['commandId', context.commandId],
    ['commandType', context.commandType],
    ['correlationId', context.correlationId],
  ]);
  // The same for every event of the decision: what follows schemaVersion.
  const last = members([
    ['signature', context.signature],
    ['streamId', context.streamId],
  ]);
  let prevHash = context.prevHash;
  return events.map((event, i): Envelope => {
    const revision = context.revision + 1 + i;
    const schemaVersion = event.schemaVersion ?? schemaVersionOf(event.type);
    const tail = join(
      join(
        join(member('prevHash', prevHash), member('revision', revision)),
        member('schemaVersion', schemaVersion),
      ),
      last,
    );
    // Everything before the metadata's members, and everything after them.
    const before = `{${join(member('data', event.data), '"metadata":')}{`;
    const after = `},${member('type', event.type)}}`;
    const eventId = eventIdFor(context.commandId, i, sha256(before + join(head, tail) + after));
    const hash = sha256(before + join(join(head, `"eventId":${JSON.stringify(eventId)}`), tail) + after);
    const metadata: EnvelopeMetadata = {
      eventId,
      streamId: context.streamId,
      revision,
      at: context.at,
      actor: context.actor,
      commandId: context.commandId,
      commandType: context.commandType,
      commandDigest: context.commandDigest,
      correlationId: context.correlationId,
      causationId: context.causationId,
      ...(context.signature ? { signature: { ...context.signature } } : {}),
      schemaVersion,
      prevHash,
      hash,
    };
    prevHash = hash;
    return { type: event.type, data: event.data, metadata } as Envelope;
  });
};
