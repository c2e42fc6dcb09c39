import { left } from 'fp-ts/Either';
import type { EventStore } from '@duban/engine';

/**
 * Faults a store can show the engine, injected around any real store:
 * - `read-fails`: the next stream read throws part way, as a dropped connection does;
 * - `append-rejected`: the next append's promise rejects before anything is written;
 * - `append-unavailable`: the next append answers StoreUnavailable and writes nothing;
 * - `append-answer-lost`: the next append is written, then its answer is lost (StoreUnavailable);
 * - `append-throws-after-write`: the next append is written, then the client throws.
 */
export type StoreFault =
  | 'read-fails'
  | 'append-rejected'
  | 'append-unavailable'
  | 'append-answer-lost'
  | 'append-throws-after-write';

export interface FaultyStore {
  readonly store: EventStore;
  /** Arms a fault for the next matching call; faults armed together fire in order. */
  inject(fault: StoreFault): void;
  /** Faults armed and not fired yet. */
  pending(): readonly StoreFault[];
}

export const createFaultyStore = (inner: EventStore): FaultyStore => {
  const armed: StoreFault[] = [];
  const take = (match: (f: StoreFault) => boolean): StoreFault | undefined => {
    const i = armed.findIndex(match);
    return i < 0 ? undefined : armed.splice(i, 1)[0];
  };
  const unavailable = (message: string) => left({ code: 'StoreUnavailable' as const, message });
  const store: EventStore = {
    async appendToStream(streamId, events, options) {
      const fault = take((f) => f.startsWith('append-'));
      if (fault === 'append-rejected')
        throw new Error(`injected: connection reset before appending to ${streamId}`);
      if (fault === 'append-unavailable') return unavailable(`injected: ${streamId} unavailable`);
      const result = await inner.appendToStream(streamId, events, options);
      if (fault === 'append-answer-lost') return unavailable(`injected: the answer for ${streamId} was lost`);
      if (fault === 'append-throws-after-write')
        throw new Error(`injected: connection reset after appending to ${streamId}`);
      return result;
    },
    readStream(streamId, options) {
      if (!take((f) => f === 'read-fails')) return inner.readStream(streamId, options);
      return (async function* () {
        yield* [];
        throw new Error(`injected: reading ${streamId} failed (unavailable)`);
      })();
    },
    readAll: (options) => inner.readAll(options),
    subscribeToAll: (options) => inner.subscribeToAll(options),
    close: () => inner.close(),
  };
  return { store, inject: (fault) => void armed.push(fault), pending: () => [...armed] };
};
