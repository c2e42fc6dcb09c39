import { bytesOf } from './append-size';
import { encodeEvent } from './encode-event';
import type { ProposedEvent } from './event-store';

/** EventStoreDB's default maximum append size (1 MiB); every store of the port enforces it alike. */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

/** A proposed event checked and turned into the JSON every store keeps, with the bytes it weighs. */
export interface SerializedEvent {
  /** Lower case, as EventStoreDB answers whatever the case it was sent in. */
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  /** Bytes of JSON data and metadata: what counts against the append size limit. */
  readonly size: number;
}

/**
 * Breaking the port's own contract (an id that is not a uuid, data that is not JSON, metadata that is
 * not an object) is a bug in the caller, so it throws rather than returning an error value.
 */
export const serializeEvent = (event: ProposedEvent): SerializedEvent => {
  const encoded = encodeEvent(event);
  return {
    eventId: encoded.eventId,
    type: encoded.type,
    data: encoded.data,
    metadata: encoded.metadata,
    size: bytesOf(encoded),
  };
};
