import { parse, v5 as uuidv5 } from 'uuid';

/** Duban's uuid v5 namespace (a fixed, random uuid). */
export const DUBAN_NAMESPACE = '6f1d8a52-3c1e-4f7a-9a57-0d8f3b2e4c11';

// Parsed once: uuid would otherwise parse the namespace string on every call.
const NAMESPACE_BYTES = parse(DUBAN_NAMESPACE);

/**
 * An event's id derives from its command id, its index in the decision and the digest of its content
 * (type, data and envelope but the id and hash). A retried append of the same decision carries the same
 * ids, so a store that deduplicates by event id (EventStoreDB does, and every store of the port must)
 * drops it. Two different events never share an id, even under one command id: a store that answers
 * "already written" has therefore stored exactly what was proposed, and a command id reused for another
 * command meets a conflict instead of a silent, false success.
 */
export const eventIdFor = (commandId: string, index: number, contentDigest: string): string =>
  uuidv5(`${commandId}#${index}#${contentDigest}`, NAMESPACE_BYTES);
