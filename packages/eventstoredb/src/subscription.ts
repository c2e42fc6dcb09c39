import type { AllStreamResolvedEvent, AllStreamSubscription } from '@eventstore/db-client';
import type { RecordedEvent, Subscription } from '@duban/engine';
import { decode } from './decode';
import { readFailure } from './errors';

/**
 * Wraps a client subscription (a Node stream) as the port's Subscription. `close()` unsubscribes on the
 * server and settles any pending `next()` as done, which the stream alone does not do once cancelled.
 * `accept` is the last, client-side filter (system streams, prefixes).
 *
 * `source` is undefined for a subscription that can deliver nothing (an empty prefix list): it only
 * waits to be closed.
 */
export const wrapSubscription = (
  source: AllStreamSubscription | undefined,
  accept: (e: RecordedEvent) => boolean,
  target: string,
  onClose: () => void,
): Subscription => {
  const events = source?.[Symbol.asyncIterator]() as AsyncIterator<AllStreamResolvedEvent> | undefined;
  let closed = false;
  let signalClosed: () => void = () => undefined;
  const whenClosed = new Promise<'closed'>((resolve) => (signalClosed = () => resolve('closed')));
  const done = { done: true, value: undefined } as const;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    signalClosed();
    onClose();
    if (source) {
      await source.unsubscribe().catch(() => undefined);
      source.destroy();
    }
  };

  const next = async (): Promise<IteratorResult<RecordedEvent>> => {
    while (!closed && events) {
      const step = events.next();
      step.catch(() => undefined); // may be abandoned when close() wins the race below
      let result: IteratorResult<AllStreamResolvedEvent> | 'closed';
      try {
        result = await Promise.race([step, whenClosed]);
      } catch (error) {
        if (closed) break;
        throw readFailure(target, 'subscription to $all', error);
      }
      if (result === 'closed' || result.done) break;
      const event = decode(result.value);
      if (event && accept(event)) return { done: false, value: event };
    }
    if (!events) await whenClosed;
    return done;
  };

  const iterator: AsyncIterator<RecordedEvent> = {
    next,
    // Leaving a for-await loop ends the subscription.
    return: async () => {
      await close();
      return done;
    },
  };
  return { [Symbol.asyncIterator]: () => iterator, close };
};
