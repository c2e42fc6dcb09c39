import type { EncodedEvent } from './encode-event';

/** Bytes of JSON data and metadata of one event: what counts against the append size limit. */
export const bytesOf = (event: EncodedEvent): number =>
  Buffer.byteLength(event.data) + Buffer.byteLength(event.metadata);

/**
 * The exact size of an append that weighs more than `limit` bytes, or undefined when it fits. A UTF-16
 * code unit takes at most 3 bytes of UTF-8 (a surrogate pair, two units, takes 4), so an append whose
 * 3 × length fits is under the limit without counting its bytes: only one near the limit is counted.
 */
export const sizeOver = (events: readonly EncodedEvent[], limit: number): number | undefined => {
  let bound = 0;
  for (let i = 0; i < events.length; i++) bound += 3 * (events[i]!.data.length + events[i]!.metadata.length);
  if (bound <= limit) return undefined;
  let size = 0;
  for (let i = 0; i < events.length; i++) size += bytesOf(events[i]!);
  return size > limit ? size : undefined;
};
