import { createHash } from 'node:crypto';
import type { Actor } from '@duban/domain';
import type { Envelope, EnvelopeMetadata } from './envelope';
import { eventIdFor } from './event-ids';
import { canonicalJson, hashEvent } from './hash-chain';
import { schemaVersionOf } from './upcasters';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 (hex) of a command's canonical JSON — type, data, actor, at — recorded as `commandDigest`. */
export const commandDigest = (command: {
  readonly type: string;
  readonly data: unknown;
  readonly actor: Actor;
  readonly at: string;
}): string =>
  sha256(canonicalJson({ type: command.type, data: command.data, actor: command.actor, at: command.at }));

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
  let prevHash = context.prevHash;
  return events.map((event, i): Envelope => {
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
      schemaVersion: event.schemaVersion ?? schemaVersionOf(event.type),
      prevHash,
    };
    const contentDigest = sha256(canonicalJson({ type: event.type, data: event.data, metadata: unsigned }));
    const metadata: Omit<EnvelopeMetadata, 'hash'> = {
      eventId: eventIdFor(context.commandId, i, contentDigest),
      ...unsigned,
    };
    const hash = hashEvent({ type: event.type, data: event.data, metadata });
    prevHash = hash;
    return { type: event.type, data: event.data, metadata: { ...metadata, hash } } as Envelope;
  });
};
