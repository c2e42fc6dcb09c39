import { isLeft } from 'fp-ts/Either';
import { DEFAULT_MAX_APPEND_SIZE, type EventStore, type ProposedEvent } from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { CliError, EXIT, usageError, writeLine, type CliIO } from './io';
import { progressBar } from './progress';
import { openSource, openStore, parseLocation, subject, type HistorySource } from './source';

/**
 * `duban import FILE STORE [--skip-invalid]`: loads an exported history into a store, all or nothing.
 *
 * Pass 1 reads the whole file without writing: every line decoded (line, field, rule in errors),
 * every hash chain followed, and every stream compared with what the store already holds. Any problem
 * and nothing is written. Pass 2 reads the file again and appends, in the file's order, each run of
 * one stream's events with the revision the store must be at (`no-stream` for a new stream), so a
 * concurrent writer makes the import stop rather than interleave. A store that already holds the
 * start of a stream (an earlier import that was interrupted) is recognised by the hash of its last
 * event: those events are skipped and the import resumes after them.
 *
 * With `--skip-invalid`, streams with any problem are left out whole (a stream is only meaningful with
 * its full chain), the others are imported, and a report lists what was left out and why.
 */
export interface ImportOptions {
  readonly skipInvalid?: boolean;
  /** How many problems to list (all are counted). */
  readonly limit?: number;
  /** Largest batch one append carries, in bytes of JSON. */
  readonly maxBatchBytes?: number;
}

interface StreamPlan {
  readonly streamId: string;
  events: number;
  lastRevision: number;
  lastHash?: string;
  /** The problems of the stream's first bad record (a stream is imported whole or not at all). */
  problems?: Problem[];
  /** What the store holds of this stream before the import. */
  readonly target: { readonly length: number; readonly lastHash?: string };
  /** The file's hash at the store's last revision equals the store's: the store holds a prefix of it. */
  prefixMatches: boolean;
}

const lookupTarget = async (store: EventStore, streamId: string) => {
  for await (const e of store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) {
    const hash = (e.metadata as { hash?: unknown }).hash;
    return { length: Number(e.revision) + 1, ...(typeof hash === 'string' ? { lastHash: hash } : {}) };
  }
  return { length: 0 };
};

export const importCommand = async (
  io: CliIO,
  fileSpec: string,
  storeSpec: string,
  options: ImportOptions = {},
): Promise<number> => {
  const file = parseLocation(io, fileSpec);
  // Named by its label: a connection string given here by mistake may hold a password.
  if (file.kind !== 'file')
    throw usageError(`${file.label}: FILE must be an NDJSON file (write one from a store with duban export)`);
  const source = await openSource(io, fileSpec);
  const location = parseLocation(io, storeSpec);
  const store = openStore(location);
  try {
    return await importInto(io, source, store, location.label, options);
  } finally {
    await store.close();
    await source.close();
  }
};

export const importInto = async (
  io: CliIO,
  source: HistorySource,
  store: EventStore,
  storeLabel: string,
  options: ImportOptions = {},
): Promise<number> => {
  const limit = options.limit ?? 20;
  const plans = new Map<string, StreamPlan>();
  const unattributed: Problem[] = [];
  const problemLines = new Set<number>();
  let records = 0;

  // —— pass 1: read and check everything, write nothing ——
  const checker = createHistoryChecker();
  const bar1 = progressBar(io.stderr, 'checking ', source.size);
  try {
    for await (const record of source.records({ onBytes: (n) => bar1.update(n) })) {
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
  } finally {
    bar1.stop();
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
        `${storeLabel} already holds ${plan.target.length} events of this stream; the file has ${plan.events}`,
      );
    else if (!plan.prefixMatches)
      plan.problems = storeProblem(
        plan,
        `${storeLabel} already holds ${plan.target.length} events of this stream that differ from the file's`,
      );
  }
  if (records === 0) throw new CliError(`${subject(source.label)} holds no events: nothing to import`);

  const invalid = [...plans.values()].filter((p) => p.problems);
  const problems = [...unattributed, ...invalid.flatMap((p) => p.problems!)].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0),
  );
  if (problems.length > 0 && !options.skipInvalid) {
    writeLine(
      io.stderr,
      `${subject(source.label)} ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported into ${storeLabel}`,
    );
    for (const p of problems.slice(0, limit)) writeLine(io.stderr, `  ${formatProblem(source.label, p)}`);
    if (problems.length > limit) writeLine(io.stderr, `  … and ${problems.length - limit} more`);
    writeLine(io.stderr, 'Fix the file, or import the valid streams only with --skip-invalid.');
    return EXIT.failed;
  }
  const toImport = new Map([...plans].filter(([, p]) => !p.problems));
  if (toImport.size === 0) {
    writeLine(
      io.stderr,
      `${subject(source.label)} no stream is valid; nothing was imported into ${storeLabel}`,
    );
    for (const p of problems.slice(0, limit)) writeLine(io.stderr, `  ${formatProblem(source.label, p)}`);
    return EXIT.failed;
  }

  // —— pass 2: append, in file order, with expected revisions ——
  const written = await appendAll(io, source, store, storeLabel, toImport, problemLines, options);

  const events = [...toImport.values()].reduce((n, p) => n + p.events, 0);
  const already = [...toImport.values()].reduce((n, p) => n + p.target.length, 0);
  writeLine(
    io.stdout,
    `imported ${written} events in ${toImport.size} streams from ${source.label} into ${storeLabel}` +
      (already > 0 ? ` (${already} of the ${events} events were already there)` : ''),
  );
  if (storeLabel === 'memory:')
    writeLine(
      io.stdout,
      'memory: lives only as long as this command: the import was a full check and a dry run',
    );
  if (problems.length > 0) {
    writeLine(
      io.stdout,
      `skipped ${invalid.length} invalid stream${invalid.length === 1 ? '' : 's'} and ${unattributed.length} unreadable record${unattributed.length === 1 ? '' : 's'} (--skip-invalid):`,
    );
    for (const p of problems.slice(0, limit)) writeLine(io.stdout, `  ${formatProblem(source.label, p)}`);
    if (problems.length > limit) writeLine(io.stdout, `  … and ${problems.length - limit} more`);
  }
  return EXIT.ok;
};

const storeProblem = (plan: StreamPlan, message: string): Problem[] => [
  { kind: 'store', streamId: plan.streamId, field: 'metadata.streamId', message },
];

const appendAll = async (
  io: CliIO,
  source: HistorySource,
  store: EventStore,
  storeLabel: string,
  toImport: ReadonlyMap<string, StreamPlan>,
  problemLines: ReadonlySet<number>,
  options: ImportOptions,
): Promise<number> => {
  const maxBatchBytes = options.maxBatchBytes ?? Math.floor(DEFAULT_MAX_APPEND_SIZE * 0.9);
  const checker = createHistoryChecker();
  const progress = new Map<string, number>(); // stream → revision the store is at
  let batch: { streamId: string; first: number; events: ProposedEvent[]; bytes: number } | undefined;
  let written = 0;
  const changed = (detail: string): never => {
    throw new CliError(
      `${source.label} changed while it was imported: ${detail}\n` +
        `${written} events were written to ${storeLabel}; run the import again once the file is settled: ` +
        'what was written is recognised by its hashes and skipped',
    );
  };
  const flush = async () => {
    if (!batch) return;
    const { streamId, first, events } = batch;
    batch = undefined;
    const result = await store.appendToStream(streamId, events, {
      expectedRevision: first === 0 ? 'no-stream' : BigInt(first - 1),
    });
    if (isLeft(result))
      throw new CliError(
        `${storeLabel} refused events ${first}…${first + events.length - 1} of ${streamId}: ${result.left.message}\n` +
          `${written} events were written before; run the import again to resume after them`,
      );
    written += events.length;
    progress.set(streamId, first + events.length - 1);
  };

  const bar = progressBar(io.stderr, 'importing', source.size);
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
      const result = checker.check(record);
      const plan = result.streamId === undefined ? undefined : toImport.get(result.streamId);
      if (result.problems.length > 0) {
        if (plan || record.line === undefined || !problemLines.has(record.line))
          changed(formatProblem(source.label, result.problems[0]!));
        continue;
      }
      if (!plan || !result.event) continue;
      const { envelope, raw, size } = result.event;
      const revision = envelope.metadata.revision;
      if (revision > plan.lastRevision) changed(`${plan.streamId} has more events than in the first pass`);
      if (revision < plan.target.length) continue; // already in the store (an earlier, interrupted import)
      if (batch && (batch.streamId !== plan.streamId || batch.bytes + size > maxBatchBytes)) await flush();
      batch ??= { streamId: plan.streamId, first: revision, events: [], bytes: 0 };
      batch.events.push({
        eventId: envelope.metadata.eventId,
        type: raw.type,
        data: raw.data,
        metadata: raw.metadata as Record<string, unknown>,
      });
      batch.bytes += size;
    }
    await flush();
  } finally {
    bar.stop();
  }
  for (const plan of toImport.values())
    if ((progress.get(plan.streamId) ?? plan.target.length - 1) !== plan.lastRevision)
      changed(
        `${plan.streamId} ends at revision ${progress.get(plan.streamId) ?? -1}, not ${plan.lastRevision}`,
      );
  return written;
};
