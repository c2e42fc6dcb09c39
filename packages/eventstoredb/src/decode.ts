import type { RecordedEvent as EsdbRecordedEvent, ResolvedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '@duban/engine';

/** System streams (`$settings`, `$stats-…`, `$$task-1`, projections' `$ce-…`) are never the engine's. */
export const isSystemStream = (streamId: string): boolean => streamId.startsWith('$');

/** Visible to readers of `$all`: not a system stream, and inside the prefixes when some are given. */
export const visibility =
  (prefixes: readonly string[] | undefined) =>
  (e: RecordedEvent): boolean =>
    !isSystemStream(e.streamId) && (prefixes === undefined || prefixes.some((p) => e.streamId.startsWith(p)));

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/**
 * The port's view of a recorded event. Links (`$>` events) are not resolved, so `event` is whatever was
 * written; an event without custom metadata (written by another tool) reads with `{}`.
 */
export const decode = (resolved: ResolvedEvent): RecordedEvent | undefined => {
  const e: EsdbRecordedEvent | undefined = resolved.event;
  if (!e) return undefined;
  if (!e.position) throw new Error(`EventStoreDB returned event ${e.id} of ${e.streamId} without a position`);
  return {
    eventId: e.id,
    type: e.type,
    data: e.data,
    metadata: isJsonObject(e.metadata) ? e.metadata : {},
    streamId: e.streamId,
    revision: e.revision,
    position: { commit: e.position.commit, prepare: e.position.prepare },
  };
};
