import { randomUUID } from 'node:crypto';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import {
  comparePositions,
  positionFromString,
  positionToString,
  type AppendError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ProposedEvent,
  type RecordedEvent,
} from '@duban/engine';

export interface StoreContractFixture {
  readonly store: EventStore;
  /** Runs after the suite has closed the store. */
  readonly teardown?: () => Promise<void>;
  /** Writes one event to a `$` stream. Without it the suite appends it through the store itself. */
  readonly seedSystemEvent?: (streamId: string, type: string) => Promise<void>;
}

export interface StoreContractOptions {
  /** The adapter's append limit in bytes of JSON data + metadata. Default 1 MiB, as EventStoreDB. */
  readonly maxAppendSize?: number;
  /** How long a subscription may take to deliver the next event. Default 5 s. */
  readonly deliveryTimeoutMs?: number;
  /** Appends racing each other in the concurrency tests. Default 10. */
  readonly concurrency?: number;
}

/**
 * The event store contract every adapter runs unchanged. Each test writes to streams of its own
 * (random prefix), and reads of `$all` filter to them, so the suite can share a real server with others.
 * The suite calls `setup` once, plus once more for the test that closes the store.
 */
export const describeStoreContract = (
  name: string,
  setup: () => Promise<StoreContractFixture>,
  options: StoreContractOptions = {},
): void => {
  const maxAppendSize = options.maxAppendSize ?? 1_048_576;
  const wait = options.deliveryTimeoutMs ?? 5_000;
  const concurrency = options.concurrency ?? 10;

  describe(`${name} honours the event store contract`, () => {
    let fixture: StoreContractFixture | undefined;
    const store = (): EventStore => {
      if (!fixture) throw new Error('store contract setup did not run');
      return fixture.store;
    };
    const append = (streamId: string, events: readonly ProposedEvent[], expectedRevision: ExpectedRevision) =>
      store().appendToStream(streamId, events, { expectedRevision });
    const appendOk = async (streamId: string, events: readonly ProposedEvent[], expected: ExpectedRevision) =>
      expectRight(await append(streamId, events, expected));
    const readIds = async (streamId: string) => (await collect(store().readStream(streamId))).map(idOf);
    const seedSystemEvent = async (streamId: string, type: string): Promise<void> => {
      if (fixture?.seedSystemEvent) return fixture.seedSystemEvent(streamId, type);
      expectRight(await append(streamId, [proposed(0, { type })], 'any'));
    };

    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.store.close();
      await fixture?.teardown?.();
    });

    describe('expected revision', () => {
      it('`any` creates a stream and appends to it, numbering revisions from 0', async () => {
        const s = `${prefix()}any`;
        const first = batch(2);
        const second = batch(3);
        expect((await appendOk(s, first, 'any')).nextExpectedRevision).toBe(1n);
        const result = await appendOk(s, second, 'any');
        expect(result.nextExpectedRevision).toBe(4n);
        const events = await collect(store().readStream(s));
        expect(events.map(idOf)).toEqual([...first, ...second].map(idOf));
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(result.position).toEqual(events[4]!.position);
      });

      it('`no-stream` creates a stream, and fails on one that exists with its actual revision', async () => {
        const s = `${prefix()}no-stream`;
        const first = batch(2);
        expect(await appendOk(s, first, 'no-stream')).toMatchObject({ nextExpectedRevision: 1n });
        const error = expectLeft(await append(s, batch(1), 'no-stream'));
        expect(error).toMatchObject({
          code: 'WrongExpectedRevision',
          streamId: s,
          expected: 'no-stream',
          actual: 1n,
        });
        expect(typeof error.message).toBe('string');
        expect(await readIds(s)).toEqual(first.map(idOf));
      });

      it('`exists` fails on a missing stream with actual `no-stream`, and appends to one that exists', async () => {
        const s = `${prefix()}exists`;
        const error = expectLeft(await append(s, batch(1), 'exists'));
        expect(error).toMatchObject({
          code: 'WrongExpectedRevision',
          streamId: s,
          expected: 'exists',
          actual: 'no-stream',
        });
        expect(await readIds(s)).toEqual([]);
        const first = batch(1);
        await appendOk(s, first, 'any');
        const second = batch(2);
        expect((await appendOk(s, second, 'exists')).nextExpectedRevision).toBe(2n);
        expect(await readIds(s)).toEqual([...first, ...second].map(idOf));
      });

      it('an exact revision appends when it is the last event, and fails behind or ahead of it', async () => {
        const s = `${prefix()}exact`;
        const missing = expectLeft(await append(s, batch(1), 0n));
        expect(missing).toMatchObject({ code: 'WrongExpectedRevision', expected: 0n, actual: 'no-stream' });
        const written = [...batch(3)];
        await appendOk(s, written, 'no-stream');
        const next = batch(1);
        expect((await appendOk(s, next, 2n)).nextExpectedRevision).toBe(3n);
        written.push(...next);
        const behind = expectLeft(await append(s, batch(1), 1n));
        expect(behind).toMatchObject({
          code: 'WrongExpectedRevision',
          streamId: s,
          expected: 1n,
          actual: 3n,
        });
        const ahead = expectLeft(await append(s, batch(1), 7n));
        expect(ahead).toMatchObject({ code: 'WrongExpectedRevision', streamId: s, expected: 7n, actual: 3n });
        expect(await readIds(s)).toEqual(written.map(idOf));
      });
    });

    describe('concurrent appends', () => {
      it(`exactly one of ${concurrency} appends expecting the same revision wins`, async () => {
        const s = `${prefix()}race`;
        const seed = batch(1);
        await appendOk(s, seed, 'no-stream');
        const batches = Array.from({ length: concurrency }, () => batch(2));
        const results = await Promise.all(batches.map((events) => append(s, events, 0n)));
        const winners = results.flatMap((r, k) => (isRight(r) ? [k] : []));
        expect(winners).toHaveLength(1);
        const winner = batches[winners[0]!]!;
        for (const r of results.filter(isLeft)) {
          expect(r.left).toMatchObject({ code: 'WrongExpectedRevision', expected: 0n, actual: 2n });
        }
        expect(await readIds(s)).toEqual([...seed, ...winner].map(idOf));
      });

      it(`exactly one of ${concurrency} appends expecting no stream creates it`, async () => {
        const s = `${prefix()}create-race`;
        const batches = Array.from({ length: concurrency }, () => batch(1));
        const results = await Promise.all(batches.map((events) => append(s, events, 'no-stream')));
        const winners = results.flatMap((r, k) => (isRight(r) ? [k] : []));
        expect(winners).toHaveLength(1);
        for (const r of results.filter(isLeft)) expect(r.left).toMatchObject({ actual: 0n });
        expect(await readIds(s)).toEqual(batches[winners[0]!]!.map(idOf));
      });

      it(`${concurrency} appends under \`any\` each land once, whole and contiguous`, async () => {
        const s = `${prefix()}any-race`;
        const batches = Array.from({ length: concurrency }, () => batch(3));
        const results = await Promise.all(batches.map((events) => append(s, events, 'any')));
        const events = await collect(store().readStream(s));
        expect(events.map((e) => e.revision)).toEqual(events.map((_, k) => BigInt(k)));
        expect(events).toHaveLength(3 * concurrency);
        batches.forEach((sent, k) => {
          const result = expectRight(results[k]!);
          const at = events.findIndex((e) => e.eventId === sent[0]!.eventId);
          expect(events.slice(at, at + 3).map(idOf)).toEqual(sent.map(idOf));
          expect(result.nextExpectedRevision).toBe(BigInt(at + 2));
          expect(result.position).toEqual(events[at + 2]!.position);
        });
      });
    });

    describe('idempotent appends', () => {
      it('re-appending the same events at the same revision writes nothing and answers the same', async () => {
        const s = `${prefix()}retry`;
        const first = batch(2);
        const created = await appendOk(s, first, 'no-stream');
        expect(await appendOk(s, first, 'no-stream')).toEqual(created);
        const second = batch(1);
        const appended = await appendOk(s, second, 1n);
        expect(await appendOk(s, second, 1n)).toEqual(appended);
        expect(await readIds(s)).toEqual([...first, ...second].map(idOf));
      });

      it('re-appending an earlier batch at its revision answers with that batch', async () => {
        const s = `${prefix()}late-retry`;
        const first = batch(2);
        const created = await appendOk(s, first, 'no-stream');
        await appendOk(s, batch(2), 1n);
        expect(await appendOk(s, first, 'no-stream')).toEqual(created);
        expect(await readIds(s)).toHaveLength(4);
      });

      it('re-appending the last batch under `any` writes nothing', async () => {
        const s = `${prefix()}any-retry`;
        await appendOk(s, batch(1), 'any');
        const last = batch(2);
        const appended = await appendOk(s, last, 'any');
        expect(await appendOk(s, last, 'any')).toEqual(appended);
        expect(await readIds(s)).toHaveLength(3);
      });

      it('a batch that only partly matches what is written is a wrong expected revision', async () => {
        const s = `${prefix()}overlap`;
        const [e1, e2] = batch(2) as [ProposedEvent, ProposedEvent];
        await appendOk(s, [e1, e2], 'no-stream');
        const attempts: [ProposedEvent[], ExpectedRevision][] = [
          [[e2, proposed()], 0n],
          [[e1, proposed()], 'no-stream'],
          [[e1, e2, proposed()], 'no-stream'],
          [[proposed(), e2], 0n],
        ];
        for (const [events, expected] of attempts) {
          const error = expectLeft(await append(s, events, expected));
          expect(error).toMatchObject({ code: 'WrongExpectedRevision', streamId: s, expected, actual: 1n });
        }
        expect(await readIds(s)).toEqual([e1, e2].map(idOf));
      });
    });

    describe('readStream', () => {
      it('gives back each event as written, with its stream, revision and position', async () => {
        const s = `${prefix()}fields`;
        const sent: ProposedEvent = {
          eventId: randomUUID(),
          type: 'ContractFieldsChecked',
          data: { text: '督办 ✓', list: [1, 'two', null, { deep: true }], n: -1.5 },
          metadata: { actor: 'contract', at: '2026-11-20T08:00:00.000Z', nested: { k: [1] } },
        };
        const result = await appendOk(s, [sent], 'no-stream');
        const [event, ...rest] = await collect(store().readStream(s));
        expect(rest).toEqual([]);
        expect(event).toEqual({ ...sent, streamId: s, revision: 0n, position: result.position });
      });

      it('reads forwards and backwards, from a revision, with a maximum count', async () => {
        const s = `${prefix()}reads`;
        await appendOk(s, batch(5), 'no-stream');
        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await collect(store().readStream(s, options))).map((e) => e.revision);
        expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(await revisions({ fromRevision: 2n, maxCount: 2 })).toEqual([2n, 3n]);
        expect(await revisions({ fromRevision: 'start', maxCount: 1 })).toEqual([0n]);
        expect(await revisions({ fromRevision: 5n })).toEqual([]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4n, 3n, 2n, 1n, 0n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2n })).toEqual([2n, 1n, 0n]);
        expect(await revisions({ direction: 'backwards', fromRevision: 'end', maxCount: 2 })).toEqual([
          4n,
          3n,
        ]);
        expect(await revisions({ direction: 'backwards', fromRevision: 3n, maxCount: 2 })).toEqual([3n, 2n]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await collect(store().readStream(`${prefix()}missing`))).toEqual([]);
        expect(await collect(store().readStream(`${prefix()}missing`, { direction: 'backwards' }))).toEqual(
          [],
        );
      });
    });

    describe('readAll', () => {
      /** Writes a0, b0, a1, b1 one after the other, in streams `${p}a` and `${p}b`. */
      const interleaved = async () => {
        const p = prefix();
        const written: RecordedEvent[] = [];
        for (const [stream, n] of [
          ['a', 0],
          ['b', 0],
          ['a', 1],
          ['b', 1],
        ] as const) {
          const sent = proposed(n);
          const result = await appendOk(`${p}${stream}`, [sent], n === 0 ? 'no-stream' : 0n);
          written.push({
            ...sent,
            streamId: `${p}${stream}`,
            revision: BigInt(n),
            position: result.position,
          });
        }
        return { p, written };
      };

      it('reads every stream in commit order, positions rising', async () => {
        const { p, written } = await interleaved();
        const read = await collect(store().readAll({ streamPrefixes: [p] }));
        expect(read).toEqual(written);
        for (let k = 1; k < read.length; k++) {
          expect(comparePositions(read[k - 1]!.position, read[k]!.position)).toBe(-1);
        }
      });

      it('reads forwards from a position it includes, with a maximum count', async () => {
        const { p, written } = await interleaved();
        const from = written[1]!.position;
        expect(await collect(store().readAll({ fromPosition: from, streamPrefixes: [p] }))).toEqual(
          written.slice(1),
        );
        const two = await collect(store().readAll({ fromPosition: from, maxCount: 2, streamPrefixes: [p] }));
        expect(two).toEqual(written.slice(1, 3));
        // Unfiltered, the first event read is the one at the position.
        const [first] = await collect(store().readAll({ fromPosition: written[2]!.position, maxCount: 1 }));
        expect(first).toEqual(written[2]);
        expect(await collect(store().readAll({ fromPosition: 'end', streamPrefixes: [p] }))).toEqual([]);
      });

      it('reads backwards from the end or from a position it includes', async () => {
        const { p, written } = await interleaved();
        const reversed = [...written].reverse();
        expect(await collect(store().readAll({ direction: 'backwards', streamPrefixes: [p] }))).toEqual(
          reversed,
        );
        const from = written[2]!.position;
        const options = { direction: 'backwards', fromPosition: from, streamPrefixes: [p] } as const;
        expect(await collect(store().readAll(options))).toEqual(reversed.slice(1));
        expect(await collect(store().readAll({ ...options, maxCount: 2 }))).toEqual(reversed.slice(1, 3));
        const [first] = await collect(
          store().readAll({ direction: 'backwards', fromPosition: from, maxCount: 1 }),
        );
        expect(first).toEqual(written[2]);
      });

      it('keeps only streams starting with one of the prefixes', async () => {
        const p = prefix();
        const expected: string[] = [];
        for (const [stream, kept] of [
          ['orders-1', true],
          ['other-1', false],
          ['tasks-1', true],
          ['other-2', false],
          ['orders-2', true],
        ] as const) {
          const sent = proposed();
          await appendOk(`${p}${stream}`, [sent], 'no-stream');
          if (kept) expected.push(sent.eventId);
        }
        const prefixes = [`${p}orders-`, `${p}tasks-`];
        expect((await collect(store().readAll({ streamPrefixes: prefixes }))).map(idOf)).toEqual(expected);
        const backwards = await collect(
          store().readAll({ direction: 'backwards', streamPrefixes: prefixes }),
        );
        expect(backwards.map(idOf)).toEqual([...expected].reverse());
      });
    });

    describe('positions', () => {
      it('are bigints that survive positionToString and positionFromString', async () => {
        const s = `${prefix()}positions`;
        const result = await appendOk(s, batch(2), 'no-stream');
        const events = await collect(store().readStream(s));
        for (const { position } of events) {
          expect(typeof position.commit).toBe('bigint');
          expect(typeof position.prepare).toBe('bigint');
          expect(positionFromString(positionToString(position))).toEqual(position);
        }
        expect(result.position).toEqual(events[1]!.position);
        const parsed = positionFromString(JSON.parse(JSON.stringify(positionToString(events[1]!.position))));
        expect(parsed).toBeDefined();
        const [again] = await collect(store().readAll({ fromPosition: parsed!, maxCount: 1 }));
        expect(again).toEqual(events[1]);
        const huge = { commit: 2n ** 64n - 1n, prepare: 2n ** 63n + 1n };
        expect(positionFromString(positionToString(huge))).toEqual(huge);
        expect(positionFromString('12/x')).toBeUndefined();
      });
    });

    describe('append size', () => {
      it('refuses a batch over the limit and writes none of it', async () => {
        const s = `${prefix()}too-large`;
        const blob = 'x'.repeat(Math.ceil(maxAppendSize / 2));
        const events = [proposed(0, { data: { blob } }), proposed(1, { data: { blob } }), proposed(2)];
        const error = expectLeft(await append(s, events, 'any'));
        expect(error).toMatchObject({ code: 'AppendTooLarge', streamId: s, limit: maxAppendSize });
        expect(error.code === 'AppendTooLarge' && error.size > maxAppendSize).toBe(true);
        expect(await readIds(s)).toEqual([]);
        // Nothing was created either.
        expect((await appendOk(s, batch(1), 'no-stream')).nextExpectedRevision).toBe(0n);
      });

      it('accepts a batch well within the limit', async () => {
        const s = `${prefix()}large`;
        const blob = 'y'.repeat(Math.floor(maxAppendSize / 8));
        const events = [1, 2, 3].map((n) => proposed(n, { data: { blob } }));
        await appendOk(s, events, 'no-stream');
        const read = await collect(store().readStream(s));
        expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
      });
    });

    describe('subscribeToAll', () => {
      it('catches up on history, then delivers live events', async () => {
        const p = prefix();
        const history = batch(3);
        await appendOk(`${p}s`, history, 'no-stream');
        const subscription = store().subscribeToAll({ streamPrefixes: [p] });
        const events = subscription[Symbol.asyncIterator]();
        try {
          expect((await take(events, 3, wait)).map(idOf)).toEqual(history.map(idOf));
          const live = batch(2);
          await appendOk(`${p}t`, live.slice(0, 1), 'no-stream');
          await appendOk(`${p}s`, live.slice(1), 2n);
          const delivered = await take(events, 2, wait);
          expect(delivered.map(idOf)).toEqual(live.map(idOf));
          expect(delivered.map((e) => [e.streamId, e.revision])).toEqual([
            [`${p}t`, 0n],
            [`${p}s`, 3n],
          ]);
        } finally {
          await subscription.close();
        }
      });

      it('neither loses nor repeats events appended while it catches up', async () => {
        const p = prefix();
        const s = `${p}s`;
        await appendOk(s, batch(50), 'no-stream');
        const subscription = store().subscribeToAll({ streamPrefixes: [p] });
        const events = subscription[Symbol.asyncIterator]();
        try {
          const first = await take(events, 1, wait);
          const writer = (async () => {
            for (let k = 0; k < 50; k++) await appendOk(s, [proposed(50 + k)], BigInt(49 + k));
          })();
          const rest = await take(events, 99, wait);
          await writer;
          expect([...first, ...rest].map((e) => e.revision)).toEqual(
            Array.from({ length: 100 }, (_, k) => BigInt(k)),
          );
          const marker = proposed();
          await appendOk(s, [marker], 99n);
          expect((await take(events, 1, wait)).map(idOf)).toEqual([marker.eventId]);
        } finally {
          await subscription.close();
        }
      });

      it('resumes after a checkpoint, without duplicates or gaps', async () => {
        const p = prefix();
        const s = `${p}s`;
        await appendOk(s, batch(5), 'no-stream');
        const before = store().subscribeToAll({ streamPrefixes: [p] });
        let checkpoint: string;
        try {
          const seen = await take(before[Symbol.asyncIterator](), 2, wait);
          checkpoint = positionToString(seen[1]!.position);
        } finally {
          await before.close();
        }
        await appendOk(s, batch(3), 4n);
        const after = store().subscribeToAll({
          fromPosition: positionFromString(checkpoint)!,
          streamPrefixes: [p],
        });
        const events = after[Symbol.asyncIterator]();
        try {
          const resumed = await take(events, 6, wait);
          expect(resumed.map((e) => e.revision)).toEqual([2n, 3n, 4n, 5n, 6n, 7n]);
          const marker = proposed();
          await appendOk(s, [marker], 7n);
          expect((await take(events, 1, wait)).map(idOf)).toEqual([marker.eventId]);
        } finally {
          await after.close();
        }
      });

      it('delivers only streams starting with one of the prefixes', async () => {
        const p = prefix();
        const expected: string[] = [];
        const subscription = store().subscribeToAll({ streamPrefixes: [`${p}orders-`, `${p}tasks-`] });
        const events = subscription[Symbol.asyncIterator]();
        try {
          for (const [stream, kept] of [
            ['orders-1', true],
            ['other-1', false],
            ['tasks-1', true],
            ['other-2', false],
            ['orders-2', true],
          ] as const) {
            const sent = proposed();
            await appendOk(`${p}${stream}`, [sent], 'no-stream');
            if (kept) expected.push(sent.eventId);
          }
          const last = proposed();
          await appendOk(`${p}orders-1`, [last], 0n);
          expected.push(last.eventId);
          expect((await take(events, expected.length, wait)).map(idOf)).toEqual(expected);
        } finally {
          await subscription.close();
        }
      });

      it('without a filter, delivers every stream after the checkpoint', async () => {
        const p = prefix();
        const mine = (e: RecordedEvent) => e.streamId.startsWith(p);
        const start = await appendOk(`${p}a`, [proposed()], 'no-stream');
        const later = [proposed(), proposed()];
        await appendOk(`${p}b`, later.slice(0, 1), 'no-stream');
        await appendOk(`${p}a`, later.slice(1), 0n);
        const subscription = store().subscribeToAll({ fromPosition: start.position });
        try {
          const seen = await take(subscription[Symbol.asyncIterator](), 2, wait, mine);
          expect(seen.map(idOf)).toEqual(later.map(idOf));
        } finally {
          await subscription.close();
        }
      });

      it('close() ends a pending iteration and delivers nothing more', async () => {
        const p = prefix();
        const subscription = store().subscribeToAll({ streamPrefixes: [p] });
        const events = subscription[Symbol.asyncIterator]();
        await appendOk(`${p}s`, [proposed()], 'no-stream');
        await take(events, 1, wait);
        const pending = events.next();
        await subscription.close();
        expect(await within(pending, wait)).toMatchObject({ done: true });
        await appendOk(`${p}s`, [proposed()], 0n);
        expect(await within(events.next(), wait)).toMatchObject({ done: true });
      });

      it('close() ends a for-await loop over the subscription', async () => {
        const p = prefix();
        const subscription = store().subscribeToAll({ streamPrefixes: [p] });
        const seen: RecordedEvent[] = [];
        let firstSeen: () => void = () => undefined;
        const gotFirst = new Promise<void>((resolve) => (firstSeen = resolve));
        const loop = (async () => {
          for await (const event of subscription) {
            seen.push(event);
            firstSeen();
          }
        })();
        await appendOk(`${p}s`, [proposed()], 'no-stream');
        await within(gotFirst, wait);
        await subscription.close();
        await within(loop, wait);
        expect(seen).toHaveLength(1);
      });

      it('closing the store ends its subscriptions', async () => {
        const own = await setup();
        try {
          const p = prefix();
          const subscription = own.store.subscribeToAll({ streamPrefixes: [p] });
          const events = subscription[Symbol.asyncIterator]();
          expectRight(
            await own.store.appendToStream(`${p}s`, [proposed()], { expectedRevision: 'no-stream' }),
          );
          await take(events, 1, wait);
          const pending = events.next();
          await own.store.close();
          expect(await within(pending, wait)).toMatchObject({ done: true });
        } finally {
          await own.store.close();
          await own.teardown?.();
        }
      });
    });

    describe('system streams', () => {
      /** a0, then a `$` event, then b0: the system event sits between two of ours in `$all`. */
      const aroundSystemEvent = async () => {
        const p = prefix();
        const system = `$${p}sys`;
        const before = proposed();
        const after = proposed();
        const start = await appendOk(`${p}a`, [before], 'no-stream');
        await seedSystemEvent(system, 'ContractSystemEvent');
        await appendOk(`${p}b`, [after], 'no-stream');
        // Reading the system stream itself is allowed, and proves the seed was written.
        const seeded = await collect(store().readStream(system));
        expect(seeded.map((e) => e.type)).toEqual(['ContractSystemEvent']);
        return { p, system, start, ids: [before.eventId, after.eventId] };
      };

      it('never appear in readAll, whatever the filter', async () => {
        const { p, start, ids } = await aroundSystemEvent();
        const forwards: RecordedEvent[] = [];
        for await (const event of store().readAll({ fromPosition: start.position })) {
          forwards.push(event);
          if (event.eventId === ids[1]) break;
        }
        expect(forwards.filter((e) => e.streamId.startsWith('$'))).toEqual([]);
        expect(forwards.filter((e) => e.streamId.startsWith(p)).map(idOf)).toEqual(ids);
        const filtered = await collect(store().readAll({ streamPrefixes: [`$${p}`, p] }));
        expect(filtered.map(idOf)).toEqual(ids);
        const backwards = await collect(
          store().readAll({ direction: 'backwards', streamPrefixes: [`$${p}`, p] }),
        );
        expect(backwards.map(idOf)).toEqual([...ids].reverse());
      });

      it('never reach a subscription, whatever the filter', async () => {
        const { p, start, ids } = await aroundSystemEvent();
        const unfiltered = store().subscribeToAll({ fromPosition: start.position });
        const filtered = store().subscribeToAll({ streamPrefixes: [`$${p}`, p] });
        try {
          const seen: RecordedEvent[] = [];
          const events = unfiltered[Symbol.asyncIterator]();
          while (seen.at(-1)?.eventId !== ids[1]) seen.push(...(await take(events, 1, wait)));
          expect(seen.filter((e) => e.streamId.startsWith('$'))).toEqual([]);
          expect((await take(filtered[Symbol.asyncIterator](), 2, wait)).map(idOf)).toEqual(ids);
        } finally {
          await unfiltered.close();
          await filtered.close();
        }
      });
    });
  });
};

/** A stream id prefix no other test (nor run) shares. */
const prefix = (): string => `contract-${randomUUID().replace(/-/g, '')}-`;

const proposed = (n = 0, overrides: Partial<ProposedEvent> = {}): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'ContractTested',
  data: { n, note: 'héllo 督办' },
  metadata: { by: 'store-contract', n },
  ...overrides,
});

const batch = (count: number): ProposedEvent[] => Array.from({ length: count }, (_, k) => proposed(k));

const idOf = (event: { readonly eventId: string }): string => event.eventId;

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

const expectRight = (result: Either<AppendError, AppendResult>): AppendResult => {
  if (isLeft(result))
    throw new Error(`expected the append to succeed, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const expectLeft = (result: Either<AppendError, AppendResult>): AppendError => {
  if (isRight(result)) {
    throw new Error(
      `expected the append to fail, it wrote up to revision ${result.right.nextExpectedRevision}`,
    );
  }
  return result.left;
};

/** Settles like `promise`, or rejects after `ms`. */
const within = async <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`nothing happened within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** The next `count` events that `keep` accepts; fails if the subscription ends or stalls. */
const take = async (
  events: AsyncIterator<RecordedEvent>,
  count: number,
  ms: number,
  keep: (event: RecordedEvent) => boolean = () => true,
): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  while (out.length < count) {
    const next = await within(events.next(), ms);
    if (next.done) throw new Error(`the subscription ended after ${out.length} of ${count} events`);
    if (keep(next.value)) out.push(next.value);
  }
  return out;
};
