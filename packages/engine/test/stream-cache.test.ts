import { createStreamCache, IDLE_FACTOR, type LoadedStream } from '../src/stream-cache';

const loaded = (revision: number): LoadedStream<{ n: number }> => ({
  state: { n: revision },
  revision,
  lastHash: '0'.repeat(64),
  commands: new Map(),
});

describe('the stream cache', () => {
  it('keeps nothing at capacity 0', () => {
    const cache = createStreamCache<{ n: number }>(0);
    cache.put('a', loaded(1));
    expect(cache.take('a')).toBeUndefined();
  });

  it('checks a stream out while a command works on it: a second take finds nothing', () => {
    const cache = createStreamCache<{ n: number }>(2);
    const a = loaded(1);
    cache.put('a', a);
    expect(cache.take('a')).toBe(a);
    expect(cache.take('a')).toBeUndefined();
    cache.put('a', a);
    expect(cache.take('a')).toBe(a);
  });

  it('when full, keeps the streams it holds rather than trading each for a newcomer', () => {
    const cache = createStreamCache<{ n: number }>(2);
    // Commands spread round-robin over three streams, more than it holds: plain LRU would evict every
    // state before its next use and never hit.
    let hits = 0;
    for (let round = 0; round < 3; round++)
      for (const id of ['a', 'b', 'c']) {
        const kept = cache.take(id);
        if (kept) hits += 1;
        cache.put(id, kept ?? loaded(round));
      }
    expect(hits).toBe(4); // a and b, in rounds 2 and 3
    expect(cache.take('c')).toBeUndefined();
  });

  it('lets a newcomer replace the least recently used stream once that has been idle long enough', () => {
    const cache = createStreamCache<{ n: number }>(2);
    cache.put('old', loaded(1));
    cache.put('busy', loaded(1));
    const idle = IDLE_FACTOR * 2;
    // 'old' was put first; after these, the newcomer's put is the `idle`-th since: not past the limit.
    for (let i = 0; i < idle - 2; i++) cache.put('busy', cache.take('busy')!);
    cache.put('new', loaded(1));
    expect(cache.take('new')).toBeUndefined();
    cache.put('busy', cache.take('busy')!);
    cache.put('new', loaded(2)); // past it: 'old' goes, 'new' comes in
    expect(cache.take('old')).toBeUndefined();
    expect(cache.take('new')?.revision).toBe(2);
    expect(cache.take('busy')?.revision).toBe(1);
  });
});
