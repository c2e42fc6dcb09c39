import { isLeft } from 'fp-ts/Either';
import { importRecords, type EventStore, type ImportPass } from '@duban/engine';
import { formatProblem, type Problem } from './checked';
import { CliError, EXIT, usageError, writeLine, type CliIO } from './io';
import { progressBar, type Progress } from './progress';
import { openSource, openStore, parseLocation, subject, type HistorySource } from './source';

/**
 * `duban import FILE STORE [--skip-invalid]`: loads an exported history into a store, all or nothing,
 * with the engine's `importRecords` (the same as `importHistory` for an embedding application).
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
  const store = await openStore(location);
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
  // One bar per reading of the file: checking, then importing.
  let bar: Progress | undefined;
  const open = (pass: ImportPass) => {
    bar?.stop();
    const current = progressBar(io.stderr, pass === 'check' ? 'checking ' : 'importing', source.size);
    bar = current;
    return source.records({ onBytes: (n) => current.update(n) });
  };
  let result;
  try {
    result = await importRecords(store, open, {
      ...(options.skipInvalid ? { skipInvalid: true } : {}),
      ...(options.maxBatchBytes === undefined ? {} : { maxBatchBytes: options.maxBatchBytes }),
      labels: { store: storeLabel, source: 'the file' },
    });
  } finally {
    bar?.stop();
  }
  const list = (out: CliIO['stdout'], problems: readonly Problem[]) => {
    for (const p of problems.slice(0, limit)) writeLine(out, `  ${formatProblem(source.label, p)}`);
    if (problems.length > limit) writeLine(out, `  … and ${problems.length - limit} more`);
  };

  if (isLeft(result)) {
    const e = result.left;
    switch (e.code) {
      case 'EmptyHistory':
        throw new CliError(`${subject(source.label)} holds no events: nothing to import`);
      case 'InvalidHistory':
        writeLine(
          io.stderr,
          `${subject(source.label)} ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}; nothing was imported into ${storeLabel}`,
        );
        list(io.stderr, e.problems);
        writeLine(io.stderr, 'Fix the file, or import the valid streams only with --skip-invalid.');
        return EXIT.failed;
      case 'NoValidStream':
        writeLine(
          io.stderr,
          `${subject(source.label)} no stream is valid; nothing was imported into ${storeLabel}`,
        );
        for (const p of e.problems.slice(0, limit))
          writeLine(io.stderr, `  ${formatProblem(source.label, p)}`);
        return EXIT.failed;
      case 'HistoryChanged':
        throw new CliError(
          `${source.label} changed while it was imported: ${e.problem ? formatProblem(source.label, e.problem) : e.detail}\n` +
            `${e.written} events were written to ${storeLabel}; run the import again once the file is settled: ` +
            'what was written is recognised by its hashes and skipped',
        );
      case 'AppendRefused':
        throw new CliError(
          `${storeLabel} refused events ${e.first}…${e.last} of ${e.streamId}: ${e.cause.message}\n` +
            `${e.written} events were written before; run the import again to resume after them`,
        );
    }
  }

  const { written, streams, events, already, skipped } = result.right;
  writeLine(
    io.stdout,
    `imported ${written} events in ${streams} streams from ${source.label} into ${storeLabel}` +
      (already > 0 ? ` (${already} of the ${events} events were already there)` : ''),
  );
  if (storeLabel === 'memory:')
    writeLine(
      io.stdout,
      'memory: lives only as long as this command: the import was a full check and a dry run',
    );
  if (skipped.problems.length > 0) {
    writeLine(
      io.stdout,
      `skipped ${skipped.streams} invalid stream${skipped.streams === 1 ? '' : 's'} and ${skipped.unreadable} unreadable record${skipped.unreadable === 1 ? '' : 's'} (--skip-invalid):`,
    );
    list(io.stdout, skipped.problems);
  }
  return EXIT.ok;
};
