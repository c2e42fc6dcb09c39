import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { AppendError, EventStore, ProposedEvent } from '../store/event-store';
import { DEFAULT_MAX_APPEND_SIZE } from '../store/serialized-event';
import {
  createHistoryChecker,
  describeProblem,
  type HistoryCheckOptions,
  type HistoryProblem,
  type HistoryRecord,
} from './check';
import { historyRecords, type HistoryLinesOptions } from './lines';

/**
 * Loading an exported history into a store — verified whole before anything is written, resumable.
 *
 * Atomicity: **nothing is written unless every line verifies**. Pass 1 reads the whole history without
 * writing: every line decoded (line, field, rule in errors), every hash chain followed, every stream
 * compared with what the store already holds. Any problem and the answer is `InvalidHistory`, listing
 * them all, with the store untouched. Pass 2 reads the history again and appends, in its order, each
 * run of one stream's events with the revision the store must be at (`no-stream` for a new stream), so
 * a concurrent writer makes the import stop rather than interleave.
 *
 * Appends are atomic per batch, not across the history (no store of the port has a transaction over
 * streams): an import cut short (a store that went away, a refused append, a killed process) leaves
 * each stream holding a prefix of its events, every one verified. Running the same import again
 * recognises that prefix by the hash of the store's last event, skips it and resumes after it; a store
 * holding events of a stream that differ from the history's is refused in pass 1.
 *
 * With `skipInvalid`, streams with any problem are left out whole (a stream is only meaningful with its
 * full chain), the others are imported, and the summary lists what was left out and why.
 *
 * Expected failures are values (`ImportError`); a store that throws (unreachable) rejects the promise,
 * and running the import again resumes.
 */
export interface ImportHistoryOptions extends HistoryCheckOptions {
  /** Import the valid streams and leave out those with a problem, instead of refusing the history. */
  readonly skipInvalid?: boolean;
  /** Largest batch one append carries, in bytes of JSON; default 90% of a store's 1 MiB limit. */
  readonly maxBatchBytes?: number;
  /** How the store and the history are named in problems (`the store`, `the history` by default). */
  readonly labels?: { readonly store?: string; readonly source?: string };
}

export interface ImportSummary {
  /** Events appended by this run. */
  readonly written: number;
  /** Streams imported. */
  readonly streams: number;
  /** Events of the imported streams in the history. */
  readonly events: number;
  /** Of those, how many the store already held (an earlier import that was cut short). */
  readonly already: number;
  /** With `skipInvalid`: the streams and unreadable lines left out, and every problem, by line. */
  readonly skipped: {
    readonly streams: number;
    readonly unreadable: number;
    readonly problems: readonly HistoryProblem[];
  };
}

export interface ImportErrorBase {
  readonly kind: 'ImportError';
  readonly message: string;
}

/** Why an import did not complete. `written` says how many events this run appended before it stopped. */
export type ImportError =
  /** The history holds no event. Nothing was written. */
  | (ImportErrorBase & { readonly code: 'EmptyHistory' })
  /** Lines that do not verify, each with its line, field and rule, in line order. Nothing was written. */
  | (ImportErrorBase & { readonly code: 'InvalidHistory'; readonly problems: readonly HistoryProblem[] })
  /** With `skipInvalid`: every stream has a problem. Nothing was written. */
  | (ImportErrorBase & { readonly code: 'NoValidStream'; readonly problems: readonly HistoryProblem[] })
  /** The second reading differs from the first: the history changed while it was imported. */
  | (ImportErrorBase & {
      readonly code: 'HistoryChanged';
      readonly detail: string;
      readonly problem?: HistoryProblem;
      readonly written: number;
    })
  /** The store refused an append (a concurrent writer, a size limit, unavailable). */
  | (ImportErrorBase & {
      readonly code: 'AppendRefused';
      readonly streamId: string;
      /** Revisions of the refused batch. */
      readonly first: number;
      readonly last: number;
      readonly cause: AppendError;
      readonly written: number;
    });

/** Which reading of the history is asked for: the check (pass 1) or the append (pass 2). */
export type ImportPass = 'check' | 'append';

interface StreamPlan {
  readonly streamId: string;
  events: number;
  lastRevision: number;
  lastHash?: string;
  /** The problems of the stream's first bad record (a stream is imported whole or not at all). */
  problems?: HistoryProblem[];
  /** What the store holds of this stream before the import. */
  readonly target: { readonly length: number; readonly lastHash?: string };
  /** The history's hash at the store's last revision equals the store's: the store holds a prefix of it. */
  prefixMatches: boolean;
}

const lookupTarget = async (store: EventStore, streamId: string) => {
  for await (const e of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) {
    const hash = (e.metadata as { hash?: unknown }).hash;
    return { length: Number(e.revision) + 1, ...(typeof hash === 'string' ? { lastHash: hash } : {}) };
  }
  return { length: 0 };
};

/**
 * Imports NDJSON lines (as `exportHistory` writes them). `open` is called once per pass and must give
 * the same lines each time: e.g. `() => readline.createInterface({ input: fs.createReadStream(file) })`.
 */
export const importHistory = (
  store: EventStore,
  open: () => AsyncIterable<string> | Iterable<string>,
  options: ImportHistoryOptions & HistoryLinesOptions = {},
): Promise<Either<ImportError, ImportSummary>> =>
  importRecords(store, () => historyRecords(open(), options), options);

/** As `importHistory`, from records already parsed (the CLI reads files with byte-level limits). */
export const importRecords = async (
  store: EventStore,
  open: (pass: ImportPass) => AsyncIterable<HistoryRecord>,
  options: ImportHistoryOptions = {},
): Promise<Either<ImportError, ImportSummary>> => {
  const storeLabel = options.labels?.store ?? 'the store';
  const sourceLabel = options.labels?.source ?? 'the history';
  const plans = new Map<string, StreamPlan>();
  const unattributed: HistoryProblem[] = [];
  const problemLines = new Set<number>();
  let records = 0;

  // —— pass 1: read and check everything, write nothing ——
  const checker = createHistoryChecker(options);
  for await (const record of open('check')) {
    records += 1;
    const result = checker.check(record);
    let plan: StreamPlan | undefined;
    if (result.streamId !== undefined) {
      plan = plans.get(result.streamId);
      if (!plan) {
        plan = {
          streamId: result.streamId,
          events: 0,
          lastRevision: -1,
          target: await lookupTarget(store, result.streamId),
          prefixMatches: false,
        };
        plans.set(result.streamId, plan);
      }
    }
    if (result.problems.length > 0) {
      if (record.line !== undefined) problemLines.add(record.line);
      if (plan) plan.problems ??= [...result.problems];
      else unattributed.push(...result.problems);
    }
    if (plan && result.event) {
      const m = result.event.envelope.metadata;
      plan.events += 1;
      plan.lastRevision = m.revision;
      plan.lastHash = m.hash;
      if (plan.target.length > 0 && m.revision === plan.target.length - 1)
        plan.prefixMatches = m.hash === plan.target.lastHash;
    }
  }
  const { breaks } = checker.finish();
  // The final verdict on each chain (a gap that later turned out to be a reordering) replaces the early one.
  for (const b of breaks) {
    const plan = plans.get(b.streamId!);
    if (!plan) continue;
    if (!plan.problems) plan.problems = [b];
    else plan.problems = plan.problems.map((p) => (p.kind === 'chain' ? b : p));
  }
  for (const plan of plans.values()) {
    if (plan.problems || plan.target.length === 0) continue;
    if (plan.target.length > plan.events)
      plan.problems = storeProblem(
        plan,
        `${storeLabel} already holds ${plan.target.length} events of this stream; ${sourceLabel} has ${plan.events}`,
      );
    else if (!plan.prefixMatches)
      plan.problems = storeProblem(
        plan,
        `${storeLabel} already holds ${plan.target.length} events of this stream that differ from ${sourceLabel}'s`,
      );
  }
  if (records === 0)
    return left({ kind: 'ImportError', code: 'EmptyHistory', message: `${sourceLabel} holds no events` });

  const invalid = [...plans.values()].filter((p) => p.problems);
  const problems = [...unattributed, ...invalid.flatMap((p) => p.problems!)].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0),
  );
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  if (problems.length > 0 && !options.skipInvalid)
    return left({
      kind: 'ImportError',
      code: 'InvalidHistory',
      problems,
      message: `${sourceLabel}: ${count}, the first at ${where(problems[0]!)}; nothing was imported`,
    });
  const toImport = new Map([...plans].filter(([, p]) => !p.problems));
  if (toImport.size === 0)
    return left({
      kind: 'ImportError',
      code: 'NoValidStream',
      problems,
      message: `${sourceLabel}: no stream is valid (${count}); nothing was imported`,
    });

  // —— pass 2: append, in the history's order, with expected revisions ——
  const appended = await appendAll(store, open('append'), toImport, problemLines, options, sourceLabel);
  if (isLeft(appended)) return appended;
  return right({
    written: appended.right,
    streams: toImport.size,
    events: [...toImport.values()].reduce((n, p) => n + p.events, 0),
    already: [...toImport.values()].reduce((n, p) => n + p.target.length, 0),
    skipped: { streams: invalid.length, unreadable: unattributed.length, problems },
  });
};

const where = (p: HistoryProblem) =>
  [p.line === undefined ? undefined : `line ${p.line}`, p.streamId, p.field].filter(Boolean).join(', ');

const storeProblem = (plan: StreamPlan, message: string): HistoryProblem[] => [
  { kind: 'store', streamId: plan.streamId, field: 'metadata.streamId', message },
];

const appendAll = async (
  store: EventStore,
  records: AsyncIterable<HistoryRecord>,
  toImport: ReadonlyMap<string, StreamPlan>,
  problemLines: ReadonlySet<number>,
  options: ImportHistoryOptions,
  sourceLabel: string,
): Promise<Either<ImportError, number>> => {
  const maxBatchBytes = options.maxBatchBytes ?? Math.floor(DEFAULT_MAX_APPEND_SIZE * 0.9);
  const checker = createHistoryChecker(options);
  const progress = new Map<string, number>(); // stream → revision the store is at
  let batch: { streamId: string; first: number; events: ProposedEvent[]; bytes: number } | undefined;
  let written = 0;
  const changed = (detail: string, problem?: HistoryProblem): Either<ImportError, number> =>
    left({
      kind: 'ImportError',
      code: 'HistoryChanged',
      detail,
      ...(problem ? { problem } : {}),
      written,
      message: `${sourceLabel} changed while it was imported: ${detail}; ${written} events were written (run the import again once it is settled: they are recognised by their hashes and skipped)`,
    });
  const flush = async (): Promise<ImportError | undefined> => {
    if (!batch) return undefined;
    const { streamId, first, events } = batch;
    batch = undefined;
    const result = await store.appendToStream(streamId, events, {
      expectedRevision: first === 0 ? 'no-stream' : BigInt(first - 1),
    });
    if (isLeft(result))
      return {
        kind: 'ImportError',
        code: 'AppendRefused',
        streamId,
        first,
        last: first + events.length - 1,
        cause: result.left,
        written,
        message: `the store refused events ${first}…${first + events.length - 1} of ${streamId}: ${result.left.message}; ${written} events were written before (run the import again to resume after them)`,
      };
    written += events.length;
    progress.set(streamId, first + events.length - 1);
    return undefined;
  };

  for await (const record of records) {
    const result = checker.check(record);
    const plan = result.streamId === undefined ? undefined : toImport.get(result.streamId);
    if (result.problems.length > 0) {
      if (plan || record.line === undefined || !problemLines.has(record.line))
        return changed(describeProblem(sourceLabel, result.problems[0]!), result.problems[0]);
      continue;
    }
    if (!plan || !result.event) continue;
    const { envelope, raw, size } = result.event;
    const revision = envelope.metadata.revision;
    if (revision > plan.lastRevision)
      return changed(`${plan.streamId} has more events than in the first pass`);
    if (revision < plan.target.length) continue; // already in the store (an earlier, interrupted import)
    if (batch && (batch.streamId !== plan.streamId || batch.bytes + size > maxBatchBytes)) {
      const refused = await flush();
      if (refused) return left(refused);
    }
    batch ??= { streamId: plan.streamId, first: revision, events: [], bytes: 0 };
    batch.events.push({
      eventId: envelope.metadata.eventId,
      type: raw.type,
      data: raw.data,
      metadata: raw.metadata,
    });
    batch.bytes += size;
  }
  const refused = await flush();
  if (refused) return left(refused);
  for (const plan of toImport.values())
    if ((progress.get(plan.streamId) ?? plan.target.length - 1) !== plan.lastRevision)
      return changed(
        `${plan.streamId} ends at revision ${progress.get(plan.streamId) ?? -1}, not ${plan.lastRevision}`,
      );
  return right(written);
};
