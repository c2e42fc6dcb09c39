import { randomBytes } from 'node:crypto';
import { isRight } from 'fp-ts/Either';
import { comparePositions, type RecordedEvent } from '@duban/engine';
import { createPostgresEventStore, type PostgresEventStore } from '../src';
import { describePostgres } from './support/database';
import { batch, collect, prefix, takeUntil } from './support/helpers';

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;

describePostgres('many writers while a subscriber runs', (database) => {
  // Writers and the subscriber use separate stores (separate pools), as separate processes would: the
  // subscriber learns of appends through NOTIFY or its poll, not from its own store.
  let writers: PostgresEventStore;
  let reader: PostgresEventStore;

  beforeAll(async () => {
    writers = createPostgresEventStore(database().url, { poolSize: WRITERS });
    await writers.migrate();
    // It reads as often as it can, so that it often reads while appends are still committing.
    reader = createPostgresEventStore(database().url, { readPageSize: 50, pollIntervalMs: 1 });
  });
  afterAll(async () => {
    await reader.close();
    await writers.close();
  });

  it('delivers every committed event exactly once, in one order, each stream in revision order', async () => {
    const p = prefix();
    const shared = `${p}shared`;
    const subscription = reader.subscribeToAll({ streamPrefixes: [p] });
    const events = subscription[Symbol.asyncIterator]();
    // The subscriber is already running (and has caught up on nothing) when the writers start.
    const firstDelivery = events.next();

    const committed = new Set<string>();
    const writer = async (w: number) => {
      const own = `${p}own-${w}`;
      let ownRevision: bigint | 'no-stream' = 'no-stream';
      for (let k = 0; k < APPENDS_PER_WRITER; k++) {
        // Events of a few kB make each append take a while between its insert and its commit.
        const events = batch(1 + ((w + k) % 3)).map((e) => ({
          ...e,
          data: { blob: randomBytes(3000).toString('base64') },
        }));
        if (k % 2 === 0) {
          // One stream for everybody: appends queue on its lock, all of them land.
          const result = await writers.appendToStream(shared, events, { expectedRevision: 'any' });
          if (!isRight(result)) throw new Error(result.left.message);
        } else {
          // A stream of its own, with exact expected revisions.
          const result = await writers.appendToStream(own, events, { expectedRevision: ownRevision });
          if (!isRight(result)) throw new Error(result.left.message);
          ownRevision = result.right.nextExpectedRevision;
        }
        for (const e of events) committed.add(e.eventId);
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    const marker = batch(1)[0]!;
    await writers.appendToStream(`${p}marker`, [marker], { expectedRevision: 'no-stream' });

    let delivered: RecordedEvent[];
    try {
      const first = await firstDelivery;
      delivered = [first.value!];
      if (first.value!.eventId !== marker.eventId)
        delivered.push(...(await takeUntil(events, (e) => e.eventId === marker.eventId)));
    } finally {
      await subscription.close();
    }
    delivered.pop(); // the marker

    const ids = delivered.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length); // no duplicate
    expect(new Set(ids)).toEqual(committed); // none lost, none invented
    for (let k = 1; k < delivered.length; k++)
      expect(comparePositions(delivered[k - 1]!.position, delivered[k]!.position)).toBe(-1);
    const byStream = new Map<string, bigint[]>();
    for (const e of delivered) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
    for (const revisions of byStream.values()) expect(revisions).toEqual(revisions.map((_, k) => BigInt(k)));
    // readAll gives the very same order, and each stream reads back as delivered.
    const all = await collect(reader.readAll({ streamPrefixes: [p] }));
    expect(all.slice(0, -1).map((e) => e.eventId)).toEqual(ids);
    const sharedRead = await collect(reader.readStream(shared));
    expect(sharedRead.map((e) => e.eventId)).toEqual(
      delivered.filter((e) => e.streamId === shared).map((e) => e.eventId),
    );
  });
});
