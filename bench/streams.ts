import { isLeft } from 'fp-ts/Either';
import type { TaskState } from '@duban/domain';
import type { Envelope, EventStore } from '@duban/engine';

/** Sums over the task board, so rows that fold the same history print the same number. */
export const digestOf = (states: Iterable<TaskState>): number => {
  let d = 0;
  for (const s of states) d += s.version + (s.status === 'closed' ? 1_000_000 : 0) + s.urges.length * 1000;
  return d;
};

/** Each stream's envelopes, in order of the stream's first appearance. */
export const byStream = (envelopes: readonly Envelope[]): Map<string, Envelope[]> => {
  const out = new Map<string, Envelope[]>();
  for (const e of envelopes) {
    const s = out.get(e.metadata.streamId);
    if (s) s.push(e);
    else out.set(e.metadata.streamId, [e]);
  }
  return out;
};

/** Seeds a Duban store as the engine wrote it: one append per stream (not the interleaved global order). */
export const seedStreams = async (store: EventStore, streams: ReadonlyMap<string, readonly Envelope[]>) => {
  for (const [streamId, stream] of streams) {
    const appended = await store.appendToStream(
      streamId,
      stream.map((e) => ({ eventId: e.metadata.eventId, type: e.type, data: e.data, metadata: e.metadata })),
      { expectedRevision: 'no-stream' },
    );
    if (isLeft(appended)) throw new Error(appended.left.message);
  }
};
