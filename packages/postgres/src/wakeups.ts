import type { Client } from 'pg';
import type { Database } from './database';

/**
 * How waiting subscriptions learn that something was appended: appends in this process wake them
 * directly; appends anywhere send `NOTIFY <schema>_events` once committed, which a LISTEN connection
 * (one per store, opened while subscriptions exist) turns into a wake-up. Waits also end on a timer, so
 * a lost notification (a writer that died between commit and NOTIFY, a listener reconnecting) only delays
 * delivery until the next poll.
 */
export interface Wakeups {
  /** Resolves at the next wake-up, or after `ms`. */
  wait(ms: number): Promise<void>;
  /** Wakes every waiter of this store. */
  wakeAll(): void;
  /** After a commit: wake local waiters, and tell other processes (NOTIFY, coalesced). */
  appended(): void;
  /** A subscription starts (keeps the LISTEN connection open) or ends. */
  retain(): void;
  release(): void;
  close(): Promise<void>;
}

export const createWakeups = (db: Database): Wakeups => {
  let wake: (() => void) | undefined;
  let next: Promise<void> | undefined;
  let users = 0;
  let closed = false;
  let listener: Client | undefined;
  let connecting: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = 100;
  let notifying: Promise<void> | undefined;
  let notifyAgain = false;

  const wakeAll = (): void => {
    const resolve = wake;
    wake = undefined;
    next = undefined;
    resolve?.();
  };

  const wait = (ms: number): Promise<void> => {
    next ??= new Promise<void>((resolve) => (wake = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, ms));
    });
    return Promise.race([next, timeout]).finally(() => clearTimeout(timer));
  };

  const notify = (): void => {
    if (notifying) {
      notifyAgain = true;
      return;
    }
    notifying = db.pool
      .query('SELECT pg_notify($1, $2)', [db.names.channel, ''])
      .then(
        () => undefined,
        (error: unknown) =>
          db.log({
            level: 'warn',
            event: 'notify-failed',
            message: `${db.target.label}: could not NOTIFY ${db.names.channel} (${error instanceof Error ? error.message : String(error)}); other processes' subscriptions see the append at their next poll`,
          }),
      )
      .finally(() => {
        notifying = undefined;
        if (notifyAgain && !closed) {
          notifyAgain = false;
          notify();
        }
      });
  };

  const scheduleReconnect = (): void => {
    if (closed || users === 0 || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void listen();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5_000);
  };

  const drop = (client: Client, why: string): void => {
    if (listener !== client) return;
    listener = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (closed || users === 0) return;
    db.log({
      level: 'warn',
      event: 'listener-lost',
      message: `${db.target.label}: LISTEN connection lost (${why}); subscriptions poll until it is back`,
    });
    wakeAll();
    scheduleReconnect();
  };

  const listen = (): Promise<void> => {
    if (closed || users === 0 || listener || connecting) return connecting ?? Promise.resolve();
    const client = db.newClient();
    // Errors on this connection are expected (restarts, terminated backends): reported, then retried.
    client.on('error', (error) => drop(client, error.message));
    client.on('end', () => drop(client, 'connection ended'));
    connecting = (async () => {
      try {
        await client.connect();
        await client.query(`LISTEN "${db.names.channel}"`);
        if (closed || users === 0) {
          await client.end().catch(() => undefined);
          return;
        }
        listener = client;
        client.on('notification', () => wakeAll());
        retryDelay = 100;
        db.log({
          level: 'info',
          event: 'listener-connected',
          message: `${db.target.label}: listening on ${db.names.channel}`,
        });
        wakeAll(); // anything appended while not listening is read now
      } catch (error) {
        await client.end().catch(() => undefined);
        db.log({
          level: 'warn',
          event: 'listener-lost',
          message: `${db.target.label}: could not LISTEN on ${db.names.channel} (${error instanceof Error ? error.message : String(error)}); subscriptions poll meanwhile`,
        });
        scheduleReconnect();
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  };

  const stopListening = async (): Promise<void> => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    await connecting;
    const client = listener;
    listener = undefined;
    if (client) {
      client.removeAllListeners('notification');
      await client.end().catch(() => undefined);
    }
  };

  return {
    wait,
    wakeAll,
    appended: () => {
      wakeAll();
      if (!closed) notify();
    },
    retain: () => {
      users += 1;
      void listen();
    },
    release: () => {
      users = Math.max(0, users - 1);
      if (users === 0) void stopListening();
    },
    close: async () => {
      closed = true;
      wakeAll();
      await stopListening();
      await notifying;
    },
  };
};
