import * as t from 'io-ts';
import { Actor, Instant, type Event } from '@duban/domain';
import type { Position, RecordedEvent } from '../store/event-store';

/**
 * The envelope the engine writes around every domain event (docs/auditing.md, "The history format"). It lives in
 * the store's event metadata, so any store that keeps JSON keeps it whole.
 */
export const EnvelopeMetadata = t.intersection(
  [
    t.type({
      eventId: t.string,
      streamId: t.string,
      revision: t.number,
      at: Instant,
      actor: Actor,
      commandId: t.string,
      correlationId: t.string,
      causationId: t.string,
      schemaVersion: t.number,
      /** Hash of the previous event of the stream; the genesis value for revision 0. */
      prevHash: t.string,
      /** SHA-256 over the canonical JSON of this event's type, data, metadata (but `hash`) — hex. */
      hash: t.string,
    }),
    t.partial({
      commandType: t.string,
      /** SHA-256 (hex) over the canonical JSON of the command as executed: type, data, actor, at. */
      commandDigest: t.string,
      /** The command's Ed25519 signature and the public key on record it verified with (hex). */
      signature: t.type({ publicKey: t.string, value: t.string }),
    }),
  ],
  'EnvelopeMetadata',
);
export type EnvelopeMetadata = t.TypeOf<typeof EnvelopeMetadata>;

/** A committed domain event as the engine hands it out: the event, its envelope, its global position. */
export interface Envelope<E extends Event = Event> {
  readonly type: E['type'];
  readonly data: E['data'];
  readonly metadata: EnvelopeMetadata;
  /** Where the store put it in the global order (absent on envelopes read from a file). */
  readonly position?: Position;
}

/**
 * Narrows an envelope to one event type, so its `data` has that event's shape:
 * `if (isEvent(e, 'TaskClosed')) e.data.grade`.
 */
export const isEvent = <K extends Event['type']>(
  envelope: Envelope,
  type: K,
): envelope is Envelope<Extract<Event, { type: K }>> => envelope.type === type;

/** The domain event inside an envelope, as deciders and projections fold it. */
export const eventOf = <E extends Event>(envelope: Envelope<E>): E =>
  ({ type: envelope.type, data: envelope.data }) as E;

export const fromRecorded = (recorded: RecordedEvent): Envelope =>
  ({
    type: recorded.type,
    data: recorded.data,
    metadata: recorded.metadata,
    position: recorded.position,
  }) as Envelope;

/** Hash of "nothing before": the prevHash of every stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);
