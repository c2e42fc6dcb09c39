import { fromRecorded, type Envelope } from './envelope/envelope';
import type { UpcasterRegistry } from './envelope/upcasters';
import type { RecordedEvent } from './store/event-store';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A read of the store as envelopes at the current schema version, for one reader pulling in turn (a
 * `for await`): what `async function*` with `yield upcast(...)` gives, without a generator's several
 * promise turns per event — a rebuild reads a million. Opens the source on the first `next()`; on a
 * failure (the source's or an upcaster's) the source is closed and the read is over, as a generator's.
 */
export const upcastRead = (
  source: AsyncIterable<RecordedEvent>,
  upcasters: UpcasterRegistry,
): AsyncIterableIterator<Envelope> => {
  let inner: AsyncIterator<RecordedEvent> | undefined;
  let over = false;
  const close = async (): Promise<void> => {
    if (over) return;
    over = true;
    await inner?.return?.();
  };
  // An upcaster failing closes the source, as leaving a `for await` does; a source failing is over by itself.
  const fail = async (error: unknown): Promise<never> => {
    await close();
    throw error;
  };
  const sourceFailed = (error: unknown): never => {
    over = true;
    throw error;
  };
  const step = (r: IteratorResult<RecordedEvent>): IteratorResult<Envelope> | Promise<never> => {
    if (r.done) {
      over = true;
      return DONE;
    }
    let value: Envelope;
    try {
      value = upcasters.upcast(fromRecorded(r.value));
    } catch (error) {
      return fail(error);
    }
    return { done: false, value };
  };
  const iterator: AsyncIterableIterator<Envelope> = {
    next: () => {
      if (over) return Promise.resolve(DONE);
      try {
        inner ??= source[Symbol.asyncIterator]();
        return inner.next().then(step, sourceFailed);
      } catch (error) {
        return Promise.resolve().then(() => sourceFailed(error));
      }
    },
    return: async () => {
      await close();
      return DONE;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
};
