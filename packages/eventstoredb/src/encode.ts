import { jsonEvent, type EventData, type JSONType } from '@eventstore/db-client';
import type { ProposedEvent } from '@duban/engine';

/** A proposed event checked, and the bytes it weighs against the append size limit. */
export interface Encoded {
  readonly event: EventData;
  readonly size: number;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Events are stored as JSON: `data` as the event body, `metadata` (the engine's envelope) as the event's
 * custom metadata, the domain event name as the event type. Breaking the port's own contract (an id that
 * is not a uuid, data that is not JSON) is a bug, so it throws rather than returning an error value.
 * The size counted is that of the JSON data and metadata, as the in-memory store counts it.
 */
export const encode = (e: ProposedEvent): Encoded => {
  if (typeof e.eventId !== 'string' || !uuid.test(e.eventId))
    throw new TypeError(`eventId must be a uuid, got ${JSON.stringify(e.eventId)}`);
  if (typeof e.type !== 'string' || e.type === '')
    throw new TypeError(`event ${e.eventId} needs a non-empty type`);
  const data = toJson(e.data, e.eventId, 'data');
  const metadata = toJson(e.metadata, e.eventId, 'metadata');
  if (!metadata.startsWith('{')) throw new TypeError(`metadata of event ${e.eventId} must be a JSON object`);
  return {
    // Parsed back so the client sends exactly what JSON keeps (no undefined fields, dates as strings).
    event: jsonEvent({
      id: e.eventId.toLowerCase(),
      type: e.type,
      data: JSON.parse(data) as JSONType,
      metadata: JSON.parse(metadata) as JSONType,
    }),
    size: Buffer.byteLength(data) + Buffer.byteLength(metadata),
  };
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
