/**
 * What the engine knows of a stream after folding it: the decider's state at a revision, the hash to
 * chain the next event to, and the command ids already in it (for idempotency). The next command on the
 * stream reads only what was appended since, instead of the whole stream.
 *
 * An entry is checked out while a command works on it (`take`), so two commands on one stream never
 * share a state that folds in place; the loser of that race simply loads the stream afresh.
 */
export interface LoadedStream<S> {
  readonly state: S;
  /** Revision of the last event folded into `state`, or -1. */
  revision: number;
  lastHash: string;
  /** Commands already executed on the stream, by command id: what a reused id is compared with. */
  readonly commands: Map<string, ExecutedCommand>;
}

/** A command as its first event's envelope recorded it. */
export interface ExecutedCommand {
  readonly type?: string;
  readonly actor: unknown;
  readonly at: string;
  /** Absent on events written before commands were digested. */
  readonly digest?: string;
}

export interface StreamCache<S> {
  take(streamId: string): LoadedStream<S> | undefined;
  put(streamId: string, loaded: LoadedStream<S>): void;
}

/**
 * How long a cached stream must have gone unused before a newcomer may take its place in a full cache:
 * this many times the capacity, counted in `put`s (about one per command).
 */
export const IDLE_FACTOR = 10;

/**
 * Least recently used first out, `capacity` streams at most; 0 keeps nothing. A full cache admits a new
 * stream only in place of one unused for `IDLE_FACTOR × capacity` puts. Plain LRU, when commands spread
 * over more streams than it holds, evicts every state before its next use: each command then reloads
 * its stream *and* pays for keeping a state that dies old (GC promotion), slower than no cache at all
 * (docs/embedding.md, "The stream cache"). Refusing newcomers keeps a fixed set of hits instead, and the
 * idle limit still lets a working set that moves on (tasks closed, new ones assigned) replace the old.
 */
export const createStreamCache = <S>(capacity: number): StreamCache<S> => {
  const entries = new Map<string, { readonly loaded: LoadedStream<S>; readonly used: number }>();
  const idleLimit = IDLE_FACTOR * capacity;
  let clock = 0;
  return {
    take(streamId) {
      const entry = entries.get(streamId);
      if (!entry) return undefined;
      entries.delete(streamId);
      return entry.loaded;
    },
    put(streamId, loaded) {
      if (capacity <= 0) return;
      clock += 1;
      entries.delete(streamId);
      if (entries.size >= capacity) {
        // The Map keeps insertion order and every use re-inserts: the first entry is the least recent.
        const [oldestId, oldest] = entries.entries().next().value!;
        if (clock - oldest.used <= idleLimit) return;
        entries.delete(oldestId);
      }
      entries.set(streamId, { loaded, used: clock });
    },
  };
};
