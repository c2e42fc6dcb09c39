import { randomUUID } from 'node:crypto';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import { describeStoreContract } from '@duban/testing';
import {
  createInMemoryEventStore,
  type AppendError,
  type AppendResult,
  type EventStore,
  type ProposedEvent,
  type RecordedEvent,
} from '../src';

describeStoreContract('in-memory store', async () => ({ store: createInMemoryEventStore() }));
describeStoreContract(
  'in-memory store with a 4 KiB append limit',
  async () => ({ store: createInMemoryEventStore({ maxAppendSize: 4096 }) }),
  {
    maxAppendSize: 4096,
  },
);

const event = (data: unknown = { n: 1 }, metadata: Record<string, unknown> = {}): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'Tested',
  data,
  metadata,
});

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

const right = (result: Either<AppendError, AppendResult>): AppendResult => {
  if (isLeft(result)) throw new Error(`append failed: ${result.left.message}`);
  return result.right;
};

const leftOf = (result: Either<AppendError, AppendResult>): AppendError => {
  if (isRight(result)) throw new Error('append succeeded');
  return result.left;
};

describe('in-memory store', () => {
  let store: EventStore;
  beforeEach(() => {
    store = createInMemoryEventStore();
  });
  afterEach(() => store.close());

  describe('stored events cannot be changed from outside', () => {
    it('copies what it is given', async () => {
      const data = { list: [1, 2], nested: { a: 'x' } };
      const metadata = { actor: { id: 'u1' } };
      await store.appendToStream('s', [event(data, metadata)]);
      data.list.push(3);
      data.nested.a = 'changed';
      metadata.actor.id = 'changed';
      const [stored] = await collect(store.readStream('s'));
      expect(stored!.data).toEqual({ list: [1, 2], nested: { a: 'x' } });
      expect(stored!.metadata).toEqual({ actor: { id: 'u1' } });
    });

    it('hands out deeply frozen events from every read', async () => {
      await store.appendToStream('s', [event({ list: [{ a: 1 }] }, { actor: { id: 'u1' } })]);
      const sub = store.subscribeToAll();
      const [fromStream] = await collect(store.readStream('s'));
      const [fromAll] = await collect(store.readAll());
      const fromSubscription = (await sub[Symbol.asyncIterator]().next()).value as RecordedEvent;
      await sub.close();
      for (const e of [fromStream!, fromAll!, fromSubscription]) {
        const data = e.data as { list: { a: number }[] };
        const metadata = e.metadata as { actor: { id: string } };
        expect(() => ((e as { type: string }).type = 'Other')).toThrow(TypeError);
        expect(() => ((e.position as { commit: bigint }).commit = 99n)).toThrow(TypeError);
        expect(() => data.list.push({ a: 2 })).toThrow(TypeError);
        expect(() => (data.list[0]!.a = 2)).toThrow(TypeError);
        expect(() => (metadata.actor.id = 'x')).toThrow(TypeError);
      }
      // Parsed once: every read hands out the same objects.
      expect(fromAll!.data).toBe(fromStream!.data);
      expect(fromSubscription.metadata).toBe(fromStream!.metadata);
      expect(Object.isFrozen(fromStream)).toBe(true);
      const [again] = await collect(store.readStream('s'));
      expect(again).toMatchObject({
        type: 'Tested',
        data: { list: [{ a: 1 }] },
        metadata: { actor: { id: 'u1' } },
      });
      expect(again!.position).toEqual({ commit: 1n, prepare: 1n });
    });

    it('hands out events that look like plain parsed ones: the same keys, spread and compared alike', async () => {
      const data = { list: [1, { a: 'x' }], text: '督办' };
      const metadata = { actor: { id: 'u1' }, n: 2 };
      const proposed = event(data, metadata);
      await store.appendToStream('s', [proposed]);
      const [stored] = await collect(store.readAll());
      const eager = {
        streamId: 's',
        revision: 0n,
        position: { commit: 1n, prepare: 1n },
        eventId: proposed.eventId,
        type: 'Tested',
        data,
        metadata,
      };
      // What it keeps until read (its JSON) is no part of what a reader sees.
      expect(Object.keys(stored!)).toEqual(Object.keys(eager));
      expect({ ...stored! }).toStrictEqual(eager);
      expect(stored).toEqual(eager);
      expect(JSON.stringify({ ...stored!, revision: 0, position: 1 })).toBe(
        JSON.stringify({ ...eager, revision: 0, position: 1 }),
      );
    });

    it.each([
      ['$all', (s: EventStore) => s.readAll()],
      ['a stream', (s: EventStore) => s.readStream('a')],
    ])('reads %s from where the read starts: later appends, leaving early', async (_, read) => {
      await store.appendToStream('a', [event({ n: 1 }), event({ n: 2 })]);
      const reading = read(store);
      await store.appendToStream('a', [event({ n: 3 })]); // before the first next(): part of the read
      const iterator = reading[Symbol.asyncIterator]();
      expect(((await iterator.next()).value as RecordedEvent).data).toEqual({ n: 1 });
      await store.appendToStream('a', [event({ n: 4 })]); // after it started: not part of it
      const rest: unknown[] = [];
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value.data);
      expect(rest).toEqual([{ n: 2 }, { n: 3 }]);
      expect((await iterator.next()).done).toBe(true);
      // Leaving early ends the read.
      const early = read(store)[Symbol.asyncIterator]();
      await early.next();
      await early.return!();
      expect((await early.next()).done).toBe(true);
    });

    it('gives back what a JSON store would: dates as strings, no undefined fields', async () => {
      const at = new Date('2026-11-20T08:00:00.000Z');
      await store.appendToStream('s', [event({ at, gone: undefined, kept: null }, { at })]);
      const [stored] = await collect(store.readStream('s'));
      expect(stored!.data).toStrictEqual({ at: '2026-11-20T08:00:00.000Z', kept: null });
      expect(stored!.metadata).toStrictEqual({ at: '2026-11-20T08:00:00.000Z' });
    });
  });

  describe('a caller breaking the port contract is a bug, so the append rejects and writes nothing', () => {
    it.each<[string, ProposedEvent]>([
      ['an event id that is not a uuid', { ...event(), eventId: 'e-1' }],
      ['data JSON cannot carry', event({ amount: 1n })],
      ['undefined data', { ...event(), data: undefined }],
      ['metadata that is not an object', { ...event(), metadata: [1] as unknown as Record<string, unknown> }],
      ['an empty type', { ...event(), type: '' }],
    ])('%s', async (_, bad) => {
      await expect(store.appendToStream('s', [event(), bad])).rejects.toThrow(TypeError);
      expect(await collect(store.readStream('s'))).toEqual([]);
    });
  });

  it('keeps event ids in lower case, as EventStoreDB answers them, and matches retries either way', async () => {
    const id = randomUUID();
    const first = right(
      await store.appendToStream('s', [{ ...event(), eventId: id.toUpperCase() }], {
        expectedRevision: 'no-stream',
      }),
    );
    const retry = right(
      await store.appendToStream('s', [{ ...event(), eventId: id }], { expectedRevision: 'no-stream' }),
    );
    expect(retry).toEqual(first);
    expect((await collect(store.readStream('s'))).map((e) => e.eventId)).toEqual([id]);
  });

  describe('append size', () => {
    const sizeOf = (e: ProposedEvent) =>
      Buffer.byteLength(JSON.stringify(e.data)) + Buffer.byteLength(JSON.stringify(e.metadata));

    it('counts UTF-8 bytes of data and metadata, and allows exactly the limit', async () => {
      const events = [event({ text: '督办' }, { by: 'é' }), event({ n: 1 })];
      const size = events.map(sizeOf).reduce((a, b) => a + b);
      expect(size).toBe(17 + 11 + 7 + 2);
      const tight = createInMemoryEventStore({ maxAppendSize: size - 1 });
      expect(leftOf(await tight.appendToStream('s', events))).toMatchObject({
        code: 'AppendTooLarge',
        size,
        limit: size - 1,
      });
      expect(await collect(tight.readStream('s'))).toEqual([]);
      const exact = createInMemoryEventStore({ maxAppendSize: size });
      expect(right(await exact.appendToStream('s', events)).nextExpectedRevision).toBe(1n);
    });

    it('decides by the exact UTF-8 size at every limit, on either side of the 3 × length bound', async () => {
      // 1, 2, 3 and 4 bytes a character (the last a surrogate pair): bytes and UTF-16 length disagree.
      const events = [event({ text: 'a é 督办 𝄞 '.repeat(5) }, { by: '督' }), event({ n: 1 })];
      const size = events.map(sizeOf).reduce((a, b) => a + b);
      const bound =
        3 *
        events
          .map((e) => JSON.stringify(e.data).length + JSON.stringify(e.metadata).length)
          .reduce((a, b) => a + b);
      expect(bound).toBeGreaterThan(size + 3);
      const limits = [size - 2, size - 1, size, size + 1, bound - 1, bound, bound + 1];
      for (const limit of limits) {
        const limited = createInMemoryEventStore({ maxAppendSize: limit });
        const result = await limited.appendToStream('s', events);
        if (size <= limit) expect(right(result).nextExpectedRevision).toBe(1n);
        else {
          expect(leftOf(result)).toMatchObject({ code: 'AppendTooLarge', size, limit });
          expect(await collect(limited.readStream('s'))).toEqual([]);
        }
      }
    });

    it('defaults to 1 MiB', async () => {
      const blob = (bytes: number) => event('x'.repeat(bytes - 2), {}); // quotes around the string, `{}` adds 2
      expect(isRight(await store.appendToStream('s', [blob(1_048_576 - 2)]))).toBe(true);
      expect(leftOf(await store.appendToStream('s', [blob(1_048_576 - 1)]))).toMatchObject({
        code: 'AppendTooLarge',
        size: 1_048_577,
        limit: 1_048_576,
      });
    });

    it('refuses a limit that is not a positive integer', () => {
      expect(() => createInMemoryEventStore({ maxAppendSize: 0 })).toThrow(RangeError);
      expect(() => createInMemoryEventStore({ maxAppendSize: 1.5 })).toThrow(RangeError);
    });
  });

  it('numbers positions with one global sequence from 1, commit = prepare, system events included', async () => {
    await store.appendToStream('a', [event(), event()]);
    await store.appendToStream('$system', [event()]);
    await store.appendToStream('b', [event()]);
    const all = await collect(store.readAll());
    expect(all.map((e) => [e.streamId, e.position.commit, e.position.prepare])).toEqual([
      ['a', 1n, 1n],
      ['a', 2n, 2n],
      ['b', 4n, 4n],
    ]);
    // A position between events: forwards starts after it, backwards before it.
    const between = { commit: 3n, prepare: 3n };
    expect((await collect(store.readAll({ fromPosition: between }))).map((e) => e.streamId)).toEqual(['b']);
    const backwards = await collect(store.readAll({ fromPosition: between, direction: 'backwards' }));
    expect(backwards.map((e) => e.position.commit)).toEqual([2n, 1n]);
  });

  describe('idempotency beyond the contract', () => {
    it('under `any`, a retry of events further back in the stream answers with them', async () => {
      const early = [event(), event()];
      const first = right(await store.appendToStream('s', early));
      await store.appendToStream('s', [event()]);
      expect(right(await store.appendToStream('s', early))).toEqual(first);
      expect(right(await store.appendToStream('s', early, { expectedRevision: 'exists' }))).toEqual(first);
      expect(await collect(store.readStream('s'))).toHaveLength(3);
    });

    it('under `any`, finds events appended under exact revisions, before and after its first look', async () => {
      const revision = async (batch: ProposedEvent[], expected: bigint | 'no-stream') =>
        right(await store.appendToStream('s', batch, { expectedRevision: expected }));
      const early = [event(), event()];
      const first = await revision(early, 'no-stream');
      await revision([event()], 1n);
      expect(right(await store.appendToStream('s', early))).toEqual(first);
      // Written after the stream was first looked up by id: found all the same.
      const late = [event()];
      const third = await revision(late, 2n);
      await revision([event()], 3n);
      expect(right(await store.appendToStream('s', late))).toEqual(third);
      expect(right(await store.appendToStream('s', late, { expectedRevision: 'exists' }))).toEqual(third);
      expect(await collect(store.readStream('s'))).toHaveLength(5);
    });

    it('under `any`, a batch whose first event is written but not the rest is a conflict', async () => {
      const [e1, e2] = [event(), event()];
      await store.appendToStream('s', [e1, e2]);
      expect(leftOf(await store.appendToStream('s', [e2, event()]))).toMatchObject({
        code: 'WrongExpectedRevision',
        expected: 'any',
        actual: 1n,
      });
      expect(leftOf(await store.appendToStream('s', [e1, event()]))).toMatchObject({ actual: 1n });
      expect(await collect(store.readStream('s'))).toHaveLength(2);
    });

    it('matches ids within one stream only', async () => {
      const shared = event();
      await store.appendToStream('a', [shared]);
      expect(
        right(await store.appendToStream('b', [shared], { expectedRevision: 'no-stream' }))
          .nextExpectedRevision,
      ).toBe(0n);
      expect(await collect(store.readAll())).toHaveLength(2);
    });
  });

  describe('an empty append writes nothing and only checks the expected revision', () => {
    it('answers the stream as it is', async () => {
      expect(right(await store.appendToStream('s', [], { expectedRevision: 'no-stream' }))).toEqual({
        nextExpectedRevision: -1n,
        position: { commit: 0n, prepare: 0n },
      });
      const written = right(await store.appendToStream('s', [event()]));
      expect(right(await store.appendToStream('s', [], { expectedRevision: 0n }))).toEqual(written);
      expect(right(await store.appendToStream('s', []))).toEqual(written);
      expect(await collect(store.readAll())).toHaveLength(1);
    });

    it('fails on a wrong expectation', async () => {
      expect(leftOf(await store.appendToStream('s', [], { expectedRevision: 'exists' }))).toMatchObject({
        actual: 'no-stream',
      });
      await store.appendToStream('s', [event(), event()]);
      expect(leftOf(await store.appendToStream('s', [], { expectedRevision: 0n }))).toMatchObject({
        actual: 1n,
      });
      expect(leftOf(await store.appendToStream('s', [], { expectedRevision: 'no-stream' }))).toMatchObject({
        actual: 1n,
      });
    });
  });

  it('reads what was written when the read began', async () => {
    await store.appendToStream('s', [event(), event()]);
    const seen: RecordedEvent[] = [];
    for await (const e of store.readAll()) {
      seen.push(e);
      await store.appendToStream('s', [event()]);
    }
    expect(seen).toHaveLength(2);
    expect(await collect(store.readStream('s'))).toHaveLength(4);
  });

  it('an empty prefix list matches no stream, as on the server', async () => {
    await store.appendToStream('s', [event()]);
    expect(await collect(store.readAll({ streamPrefixes: [] }))).toEqual([]);
  });

  describe('subscriptions', () => {
    it('serve concurrent next() calls in order, each event once', async () => {
      const sub = store.subscribeToAll();
      const events = sub[Symbol.asyncIterator]();
      const pending = [events.next(), events.next(), events.next()];
      const written = [event(), event(), event()];
      for (const e of written) await store.appendToStream('s', [e]);
      const got = await Promise.all(pending);
      expect(got.map((r) => (r.value as RecordedEvent).eventId)).toEqual(written.map((e) => e.eventId));
      await sub.close();
    });

    it('end when a for-await loop breaks out', async () => {
      await store.appendToStream('s', [event(), event()]);
      const sub = store.subscribeToAll();
      for await (const _ of sub) break;
      await store.appendToStream('s', [event()]);
      expect(await sub[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    });
  });

  describe('once closed', () => {
    it('refuses appends with StoreUnavailable and fails reads and new subscriptions', async () => {
      await store.appendToStream('s', [event()]);
      await store.close();
      await store.close();
      expect(leftOf(await store.appendToStream('s', [event()]))).toMatchObject({ code: 'StoreUnavailable' });
      await expect(collect(store.readStream('s'))).rejects.toThrow(/closed/);
      await expect(collect(store.readAll())).rejects.toThrow(/closed/);
      // As from a generator: a read fails when it starts, then is over.
      for (const read of [store.readAll(), store.readStream('s')].map((r) => r[Symbol.asyncIterator]())) {
        await expect(read.next()).rejects.toThrow(/closed/);
        await expect(read.next()).resolves.toEqual({ done: true, value: undefined });
      }
      await expect(store.subscribeToAll()[Symbol.asyncIterator]().next()).rejects.toThrow(/closed/);
    });
  });
});
