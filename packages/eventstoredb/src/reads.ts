import { StreamNotFoundError, type ResolvedEvent, type StreamingRead } from '@eventstore/db-client';
import type { RecordedEvent } from '@duban/engine';
import { decode } from './decode';
import { readFailure } from './errors';

/**
 * The events of one client read, as the port's recorded events. A missing stream reads as empty; a read
 * left early (a `break`, a count reached) is cancelled on the server rather than left streaming.
 */
export async function* recordedEvents<E extends ResolvedEvent>(
  read: StreamingRead<E>,
  target: string,
  what: string,
): AsyncGenerator<RecordedEvent> {
  let finished = false;
  try {
    for await (const resolved of read as AsyncIterable<E>) {
      const event = decode(resolved);
      if (event) yield event;
    }
    finished = true;
  } catch (error) {
    finished = true;
    if (error instanceof StreamNotFoundError) return;
    throw readFailure(target, what, error);
  } finally {
    if (!finished) await read.cancel();
  }
}

/** At most `maxCount` events, none when it is 0 or negative; undefined means no limit. */
export const countLimit = (maxCount: number | undefined): number =>
  maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(maxCount));
