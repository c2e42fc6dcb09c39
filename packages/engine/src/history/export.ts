import { DOMAIN_STREAM_PREFIXES } from '../engine';
import type { EventStore } from '../store/event-store';
import { depthProblem } from './strict-json';

/**
 * One stored event as an NDJSON line: `{"type","data","metadata"}` exactly as the engine wrote it,
 * hashes included, so the line verifies on its own. The store's position is left out: it belongs to
 * the store, not to the history.
 */
export const envelopeLine = (e: { type: unknown; data: unknown; metadata: unknown }): string =>
  `${JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata })}\n`;

export interface ExportHistoryOptions {
  /** Streams to export, by id prefix; default the domain's (`task-`, `unit-`, the office's). */
  readonly streamPrefixes?: readonly string[];
}

/**
 * A store's history as NDJSON lines (each ending with `\n`), in the store's global order: write them
 * anywhere (a file, a response, a web `WritableStream`). `importHistory` loads them back, and exporting
 * the store it loaded them into gives the same bytes again.
 *
 * Reading is lazy: one event at a time, so a history of any size exports in constant memory. A stored
 * event nested too deep to be read back (a damaged store) stops the export with a `RangeError` naming
 * the stream, revision and field, rather than writing a line no reader accepts.
 */
export async function* exportHistory(
  store: EventStore,
  options: ExportHistoryOptions = {},
): AsyncGenerator<string> {
  for await (const e of store.readAll({ streamPrefixes: options.streamPrefixes ?? DOMAIN_STREAM_PREFIXES })) {
    const value = { type: e.type, data: e.data, metadata: e.metadata };
    const deep = depthProblem(value);
    if (deep) throw new RangeError(`${e.streamId}@${e.revision}: ${deep.field}: ${deep.message}`);
    yield envelopeLine(value);
  }
}
