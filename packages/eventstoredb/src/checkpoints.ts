import { createHash } from 'node:crypto';
import { isRight, right, type Either } from 'fp-ts/Either';
import {
  positionFromString,
  positionToString,
  type AppendError,
  type EventStore,
  type ExpectedRevision,
  type Position,
} from '@duban/engine';

/**
 * Projection checkpoints kept in the event store itself, one stream per projection. Written with an
 * expected revision, so a second instance of the same projection writing checkpoints is noticed (its
 * save comes back as WrongExpectedRevision) instead of silently interleaving. Only the port is used,
 * so it works on any EventStore; it lives here until the engine wants it.
 *
 * On EventStoreDB, give these streams a `$maxCount` (say 10) in their stream metadata so they stay small.
 */
export interface CheckpointStore {
  /** The last stored position, or undefined when none was ever stored. */
  load(): Promise<Position | undefined>;
  /** Stores the position reached. Positions should only move forward; that is not checked. */
  save(position: Position): Promise<Either<AppendError, void>>;
}

export const checkpointStreamId = (projection: string): string => `checkpoints-${projection}`;

export const CHECKPOINT_EVENT_TYPE = 'CheckpointStored';

export const createStreamCheckpoints = (store: EventStore, projection: string): CheckpointStore => {
  const streamId = checkpointStreamId(projection);
  /** Where this instance believes the stream is: undefined until loaded. */
  let expected: ExpectedRevision | undefined;

  const load = async (): Promise<Position | undefined> => {
    for await (const e of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) {
      expected = e.revision;
      return parseCheckpoint(e.data, streamId);
    }
    expected = 'no-stream';
    return undefined;
  };

  const save = async (position: Position): Promise<Either<AppendError, void>> => {
    if (expected === undefined) await load();
    const at = expected!;
    // The id depends on where and what is written, so retrying a save whose outcome was unknown
    // (a timeout) is idempotent rather than a second checkpoint or a conflict.
    const eventId = deterministicUuid(`${streamId}@${String(at)}:${positionToString(position)}`);
    const result = await store.appendToStream(
      streamId,
      [
        {
          eventId,
          type: CHECKPOINT_EVENT_TYPE,
          data: { position: positionToString(position) },
          metadata: { projection },
        },
      ],
      { expectedRevision: at },
    );
    if (!isRight(result)) return result;
    expected = result.right.nextExpectedRevision;
    return right(undefined);
  };

  return { load, save };
};

const parseCheckpoint = (data: unknown, streamId: string): Position => {
  const text =
    typeof data === 'object' && data !== null ? (data as { position?: unknown }).position : undefined;
  const position = typeof text === 'string' ? positionFromString(text) : undefined;
  if (!position)
    throw new Error(`the last event of ${streamId} is not a checkpoint: ${JSON.stringify(data)}`);
  return position;
};

/** A name-based uuid (SHA-1, version 5 layout). */
const deterministicUuid = (name: string): string => {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
