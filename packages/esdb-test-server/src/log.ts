/**
 * The test server's own transaction log: a flat array in commit order plus an index per stream. It is a
 * model of the server, written independently of the engine's in-memory store so that the adapter is
 * tested against a second, separate reading of EventStoreDB's rules.
 *
 * Positions are byte offsets into an imaginary log: each record advances the offset by its size, so they
 * are sparse like the real ones (no `position + 1` arithmetic works). A modern server writes every event
 * of an append as its own committed record, so commit and prepare positions are equal.
 */

export interface ProposedRecord {
  readonly eventId: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface LoggedEvent extends ProposedRecord {
  readonly streamId: string;
  readonly revision: bigint;
  /** Commit position; the prepare position is the same. */
  readonly position: bigint;
  /** 100-nanosecond ticks since the Unix epoch. */
  readonly created: bigint;
}

export type ExpectedVersion =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: bigint };

/** `current` is the revision of the stream's last event, or undefined when the stream does not exist. */
export type AppendOutcome =
  | { readonly kind: 'ok'; readonly current: bigint | undefined; readonly position: bigint | undefined }
  | { readonly kind: 'wrong-expected-version'; readonly current: bigint | undefined };

/** The size the server counts against its maximum append size (EventStoreDB's `Event.SizeOnDisk`). */
export const sizeOnDisk = (r: ProposedRecord): number =>
  r.data.length + r.customMetadata.length + r.type.length * 2;

const recordOverhead = 80;

export interface EsdbLog {
  append(streamId: string, expected: ExpectedVersion, records: readonly ProposedRecord[]): AppendOutcome;
  stream(streamId: string): readonly LoggedEvent[] | undefined;
  all(): readonly LoggedEvent[];
  /** Called synchronously after every write with the events it added, in order. */
  onAppended(listener: (events: readonly LoggedEvent[]) => void): () => void;
}

export const createEsdbLog = (): EsdbLog => {
  const all: LoggedEvent[] = [];
  const streams = new Map<string, LoggedEvent[]>();
  const listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  let nextPosition = 0n;

  const lastRevision = (events: readonly LoggedEvent[]): bigint | undefined =>
    events.length === 0 ? undefined : BigInt(events.length - 1);

  // Events [from, from + n) of the stream carry exactly the proposed ids: the append already happened.
  const alreadyWrittenAt = (
    events: readonly LoggedEvent[],
    from: number,
    records: readonly ProposedRecord[],
  ) => records.length > 0 && records.every((r, i) => events[from + i]?.eventId === r.eventId);

  const idempotent = (events: readonly LoggedEvent[], from: number, n: number): AppendOutcome => {
    const last = events[from + n - 1]!;
    return { kind: 'ok', current: last.revision, position: last.position };
  };

  const write = (
    streamId: string,
    events: LoggedEvent[],
    records: readonly ProposedRecord[],
  ): AppendOutcome => {
    if (records.length === 0) return { kind: 'ok', current: lastRevision(events), position: undefined };
    const created = BigInt(Date.now()) * 10_000n;
    const written = records.map((r): LoggedEvent => {
      const event = { ...r, streamId, revision: BigInt(events.length), position: nextPosition, created };
      nextPosition += BigInt(recordOverhead + streamId.length + sizeOnDisk(r));
      events.push(event);
      all.push(event);
      return event;
    });
    streams.set(streamId, events);
    for (const listener of [...listeners]) listener(written);
    const last = written[written.length - 1]!;
    return { kind: 'ok', current: last.revision, position: last.position };
  };

  const append = (
    streamId: string,
    expected: ExpectedVersion,
    records: readonly ProposedRecord[],
  ): AppendOutcome => {
    const events = streams.get(streamId) ?? [];
    const current = lastRevision(events);
    const wrong: AppendOutcome = { kind: 'wrong-expected-version', current };

    // Idempotency: a retried append whose ids are already at the expected place succeeds and writes
    // nothing; a partial overlap is a conflict.
    const atRevision = (revision: bigint): AppendOutcome => {
      if (revision === (current ?? -1n)) return write(streamId, events, records);
      if (revision > (current ?? -1n)) return wrong;
      const from = Number(revision + 1n);
      return alreadyWrittenAt(events, from, records) ? idempotent(events, from, records.length) : wrong;
    };
    // Under `any` the check is best effort: the first id already in the stream followed by the rest.
    const bestEffort = (): AppendOutcome => {
      const from = records.length === 0 ? -1 : events.findIndex((e) => e.eventId === records[0]!.eventId);
      return from >= 0 && alreadyWrittenAt(events, from, records)
        ? idempotent(events, from, records.length)
        : write(streamId, events, records);
    };

    switch (expected.kind) {
      case 'any':
        return bestEffort();
      case 'stream_exists':
        return current === undefined ? wrong : bestEffort();
      case 'no_stream':
        return atRevision(-1n);
      case 'revision':
        return atRevision(expected.revision);
    }
  };

  return {
    append,
    stream: (streamId) => streams.get(streamId),
    all: () => all,
    onAppended: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};
