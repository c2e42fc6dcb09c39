import type { ProposedEvent } from './event-store';

/** A proposed event checked and turned into the JSON every store keeps (its size is counted apart). */
export interface EncodedEvent {
  /** Lower case, as EventStoreDB answers whatever the case it was sent in. */
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Breaking the port's own contract (an id that is not a uuid, data that is not JSON, metadata that is
 * not an object) is a bug in the caller, so it throws rather than returning an error value.
 */
export const encodeEvent = (event: ProposedEvent): EncodedEvent => {
  if (typeof event.eventId !== 'string' || !UUID.test(event.eventId))
    throw new TypeError(`eventId must be a uuid, got ${JSON.stringify(event.eventId)}`);
  if (typeof event.type !== 'string' || event.type === '')
    throw new TypeError(`event ${event.eventId} needs a non-empty type`);
  const data = toJson(event.data, event.eventId, 'data');
  const metadata = toJson(event.metadata, event.eventId, 'metadata');
  if (!metadata.startsWith('{'))
    throw new TypeError(`metadata of event ${event.eventId} must be a JSON object`);
  return { eventId: event.eventId.toLowerCase(), type: event.type, data, metadata };
};

const toJson = (value: unknown, eventId: string, what: string): string => {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (cause) {
    throw new TypeError(`${what} of event ${eventId} is not JSON: ${String(cause)}`);
  }
  if (json === undefined) throw new TypeError(`${what} of event ${eventId} is not JSON`);
  return json;
};
