import { jsonEvent, type EventData, type JSONType } from '@eventstore/db-client';
import { serializeEvent, type ProposedEvent } from '@duban/engine';

/** A proposed event checked, and the bytes it weighs against the append size limit. */
export interface Encoded {
  readonly event: EventData;
  readonly size: number;
}

/**
 * Events are stored as JSON: `data` as the event body, `metadata` (the engine's envelope) as the event's
 * custom metadata, the domain event name as the event type. Checked and sized exactly as every store of
 * the port does (`serializeEvent`).
 */
export const encode = (e: ProposedEvent): Encoded => {
  const s = serializeEvent(e);
  return {
    // Parsed back so the client sends exactly what JSON keeps (no undefined fields, dates as strings).
    event: jsonEvent({
      id: s.eventId,
      type: s.type,
      data: JSON.parse(s.data) as JSONType,
      metadata: JSON.parse(s.metadata) as JSONType,
    }),
    size: s.size,
  };
};
