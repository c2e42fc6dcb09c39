import { parse, v5 as uuidv5 } from 'uuid';

/** Duban's uuid v5 namespace (a fixed, random uuid). */
export const DUBAN_NAMESPACE = '6f1d8a52-3c1e-4f7a-9a57-0d8f3b2e4c11';

// Parsed once: uuid would otherwise parse the namespace string on every call.
const NAMESPACE_BYTES = parse(DUBAN_NAMESPACE);

/**
 * Event ids derive from the command id and the event's index in the decision, so a retried append
 * carries the same ids and a store that deduplicates by event id (EventStoreDB does) drops it.
 */
export const eventIdFor = (commandId: string, index: number): string =>
  uuidv5(`${commandId}#${index}`, NAMESPACE_BYTES);
