import type { Hashable } from '../envelope/hash-chain';
import { RootAccumulator } from './merkle';
import { eventLeaf } from './seal';

/**
 * The first `size` events of a history in global order — what a seal of that size covers — passed
 * through unchanged while their Merkle root is computed: a 通报 computed from a seal (docs/auditing.md,
 * "A 通报 names its seal") reads exactly these, and names the root they gave back.
 */
export const sealedPrefix = <E extends Hashable>(events: AsyncIterable<E>, size: number) => {
  const acc = new RootAccumulator();
  return {
    events: (async function* () {
      if (size <= 0) return;
      for await (const event of events) {
        acc.push(eventLeaf(event));
        yield event;
        if (acc.size >= size) return;
      }
    })(),
    /** How many events were read (fewer than `size` when the history is shorter) and their root. */
    covered: () => ({ size: acc.size, root: acc.root().toString('hex') }),
  };
};
