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

/** Least recently used first out, `capacity` streams at most; 0 keeps nothing. */
export const createStreamCache = <S>(capacity: number): StreamCache<S> => {
  const entries = new Map<string, LoadedStream<S>>();
  return {
    take(streamId) {
      const loaded = entries.get(streamId);
      if (loaded) entries.delete(streamId);
      return loaded;
    },
    put(streamId, loaded) {
      if (capacity <= 0) return;
      entries.delete(streamId);
      entries.set(streamId, loaded);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
    },
  };
};
