import { randomUUID } from 'node:crypto';
import { isLeft, type Either } from 'fp-ts/Either';
import type { AppendError, AppendResult, ProposedEvent, RecordedEvent } from '@duban/engine';
import type { PostgresLogEntry } from '../../src';

export const proposed = (n = 0, type = 'Tested'): ProposedEvent => ({
  eventId: randomUUID(),
  type,
  data: { n, note: '督办' },
  metadata: { n },
});

export const batch = (count: number): ProposedEvent[] => Array.from({ length: count }, (_, k) => proposed(k));

export const rightOf = (result: Either<AppendError, AppendResult>): AppendResult => {
  if (isLeft(result))
    throw new Error(`expected the append to succeed: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

export const leftOf = (result: Either<AppendError, AppendResult>): AppendError => {
  if (!isLeft(result))
    throw new Error(`expected the append to fail, it wrote up to ${result.right.nextExpectedRevision}`);
  return result.left;
};

export const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

/** A stream id prefix no other test shares. */
export const prefix = (): string => `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;

/** Settles like `promise`, or rejects after `ms` saying what did not happen. */
export const within = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** Takes events from a subscription until `until` accepts one (included); fails if it ends or stalls. */
export const takeUntil = async (
  events: AsyncIterator<RecordedEvent>,
  until: (e: RecordedEvent) => boolean,
  ms = 10_000,
): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (;;) {
    const next = await within(events.next(), ms, `the event after ${out.length} delivered`);
    if (next.done) throw new Error(`the subscription ended after ${out.length} events`);
    out.push(next.value);
    if (until(next.value)) return out;
  }
};

/** Collects a store's log lines, and resolves when one with a given event name is logged. */
export const logRecorder = () => {
  const entries: PostgresLogEntry[] = [];
  const waiters: Array<{ event: string; resolve: () => void }> = [];
  return {
    entries,
    log: (entry: PostgresLogEntry) => {
      entries.push(entry);
      for (const w of waiters.filter((x) => x.event === entry.event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    next: (event: string) => new Promise<void>((resolve) => waiters.push({ event, resolve })),
  };
};
