import { positionToString, type Position, type RecordedEvent, type Subscription } from '@duban/engine';
import type { Database } from './database';
import { PostgresStoreError } from './errors';
import { readPage, type Horizons } from './reads';
import type { Wakeups } from './wakeups';

export interface SubscriptionSettings {
  readonly pageSize: number;
  /** Longest wait between two reads without a notification. */
  readonly pollIntervalMs: number;
  /**
   * How long to let events wait behind an older transaction still running before waiting for the appends
   * in flight instead (see `Horizons.drainAppenders`): the delay an unrelated long transaction can add.
   */
  readonly heldBackTimeoutMs: number;
  /** How long the database may stay unreachable before the iteration fails. */
  readonly reconnectTimeoutMs: number;
}

const TRANSIENT = new Set(['StoreUnavailable', 'PoolExhausted']);

/**
 * A catch-up subscription on `$all`: pages of history read by query after `from`, then the same query
 * whenever woken (NOTIFY, an append here, or the poll timer). Its cursor is the last position delivered,
 * and it only ever reads below the horizon, so nothing can commit behind it: no event is skipped or
 * delivered twice, whatever order concurrent appends commit in. While the database is unreachable (a
 * restart) it keeps its cursor and retries; it fails after `reconnectTimeoutMs` of failures.
 */
export const openSubscription = (
  db: Database,
  horizons: Horizons,
  wakeups: Wakeups,
  settings: SubscriptionSettings,
  from: Position | 'start',
  prefixes: readonly string[] | undefined,
  onClose: (close: () => Promise<void>) => void,
): Subscription => {
  let cursor: Position | undefined = from === 'start' ? undefined : from;
  let buffer: RecordedEvent[] = [];
  let closed = false;
  let heldSince: number | undefined;
  let failingSince: number | undefined;
  let retryDelay = 50;
  let running: Promise<IteratorResult<RecordedEvent>> = Promise.resolve({ done: true, value: undefined });
  const what = 'subscription to $all';
  const done = { done: true, value: undefined } as const;
  wakeups.retain();

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    buffer = [];
    wakeups.release();
    onClose(close);
    wakeups.wakeAll();
    await running.catch(() => undefined);
  };

  const step = async (): Promise<IteratorResult<RecordedEvent>> => {
    for (;;) {
      if (closed) return done;
      const event = buffer.shift();
      if (event) return { done: false, value: event };
      if (prefixes?.length === 0) {
        await wakeups.wait(settings.pollIntervalMs); // matches nothing: wait to be closed
        continue;
      }
      try {
        const page = await readPage(db, what, {
          from: cursor,
          inclusive: false,
          backwards: false,
          horizon: { live: horizons.known() },
          prefixes,
          limit: settings.pageSize,
        });
        failingSince = undefined;
        retryDelay = 50;
        if (closed) return done;
        if (page.length > 0) {
          buffer = page;
          cursor = page[page.length - 1]!.position;
          heldSince = undefined;
          continue;
        }
        if (!(await horizons.heldBack(cursor, prefixes, what))) {
          heldSince = undefined;
          await wakeups.wait(settings.pollIntervalMs);
          continue;
        }
        // Events committed after the cursor wait behind an older transaction: delivering them now could
        // let that one commit an event behind them. Wait for it (its commit wakes us), for a while.
        const now = Date.now();
        if (heldSince === undefined) {
          heldSince = now;
          db.log({
            level: 'info',
            event: 'held-back',
            message: `${db.target.label}: subscription after ${cursor ? positionToString(cursor) : 'the start'}: events are committed behind an older transaction still running; they are delivered in order once it ends`,
          });
        }
        const waited = now - heldSince;
        if (waited >= settings.heldBackTimeoutMs) {
          await horizons.drainAppenders(what);
          heldSince = undefined;
          continue;
        }
        await wakeups.wait(settings.heldBackTimeoutMs - waited);
      } catch (error) {
        if (closed) return done;
        if (!(error instanceof PostgresStoreError) || !TRANSIENT.has(error.code)) throw error;
        const now = Date.now();
        failingSince ??= now;
        if (now - failingSince >= settings.reconnectTimeoutMs) throw error;
        db.log({
          level: 'warn',
          event: 'subscription-retry',
          message: `${error.message}; the subscription retries in ${retryDelay} ms from ${cursor ? positionToString(cursor) : 'the start'}`,
        });
        await wakeups.wait(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 2_000);
      }
    }
  };

  const iterator: AsyncIterator<RecordedEvent> = {
    // Calls are queued: each waits for the one before, so two pending next() never share a cursor.
    next: () => {
      running = running.then(step, step);
      return running;
    },
    // Leaving a for-await loop ends the subscription.
    return: async () => {
      await close();
      return done;
    },
  };
  return { [Symbol.asyncIterator]: () => iterator, close };
};
