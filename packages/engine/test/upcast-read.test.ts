import { createUpcasterRegistry, type Upcaster } from '../src/envelope/upcasters';
import type { RecordedEvent } from '../src/store/event-store';
import { upcastRead } from '../src/upcast-read';

const recorded = (n: number, schemaVersion = 1): RecordedEvent => ({
  streamId: 'task-T1',
  revision: BigInt(n),
  position: { commit: BigInt(n + 1), prepare: BigInt(n + 1) },
  eventId: `e${n}`,
  type: 'Counted',
  data: { n },
  metadata: { schemaVersion },
});

const doubled: Upcaster = {
  type: 'Counted',
  fromVersion: 1,
  upcast: (d) => ({ ...d, twice: 2 * (d.n as number) }),
};
const registry = createUpcasterRegistry([doubled], { Counted: 2 });

/** A source that counts how often it was opened and closed, failing at `failAt` if given. */
const source = (events: RecordedEvent[], failAt?: number) => {
  const seen = { opened: 0, closed: 0 };
  const iterable: AsyncIterable<RecordedEvent> = {
    [Symbol.asyncIterator]: () => {
      seen.opened += 1;
      let i = 0;
      return {
        next: async () => {
          if (i === failAt) throw new Error('store went away');
          return i < events.length ? { done: false, value: events[i++]! } : { done: true, value: undefined };
        },
        return: async () => {
          seen.closed += 1;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, seen };
};

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

/** What the engine did before: an async generator upcasting each event. */
async function* reference(events: AsyncIterable<RecordedEvent>) {
  for await (const r of events)
    yield registry.upcast({
      type: r.type,
      data: r.data,
      metadata: r.metadata,
      position: r.position,
    } as never);
}

describe('upcastRead', () => {
  it('gives what an upcasting generator gives, in order, and opens the source on the first pull', async () => {
    const events = [recorded(0), recorded(1, 2), recorded(2)];
    const { iterable, seen } = source(events);
    const read = upcastRead(iterable, registry);
    expect(seen.opened).toBe(0);
    expect(await collect(read)).toEqual(await collect(reference(source(events).iterable)));
    expect((await collect(upcastRead(source(events).iterable, registry)))[0]!.data).toEqual({
      n: 0,
      twice: 0,
    });
    expect(seen.opened).toBe(1);
  });

  it('closes the source when the reader leaves early, and is over then', async () => {
    const { iterable, seen } = source([recorded(0), recorded(1)]);
    const read = upcastRead(iterable, registry);
    for await (const _ of read) break;
    expect(seen.closed).toBe(1);
    expect(await read.next()).toEqual({ done: true, value: undefined });
  });

  it('closes the source when an upcaster fails, and rejects with its error', async () => {
    const failing: Upcaster = {
      ...doubled,
      upcast: () => {
        throw new Error('bad upcaster');
      },
    };
    const { iterable, seen } = source([recorded(0)]);
    const read = upcastRead(iterable, createUpcasterRegistry([failing], { Counted: 2 }));
    await expect(read.next()).rejects.toThrow('bad upcaster');
    expect(seen.closed).toBe(1);
    expect(await read.next()).toEqual({ done: true, value: undefined });
  });

  it('rejects with the source’s error without closing it again, as a for-await does', async () => {
    const { iterable, seen } = source([recorded(0), recorded(1)], 1);
    const read = upcastRead(iterable, registry);
    expect((await read.next()).done).toBe(false);
    await expect(read.next()).rejects.toThrow('store went away');
    expect(seen.closed).toBe(0);
    expect(await read.next()).toEqual({ done: true, value: undefined });
  });
});
