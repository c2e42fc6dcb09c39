import { envelopeLine, exportHistory, type EventStore } from '@duban/engine';
import { formatProblem } from './checked';
import {
  CliError,
  EXIT,
  OutputError,
  resolvePath,
  writeAll,
  writeFileAtomically,
  writeLine,
  type CliIO,
  type OutputStream,
} from './io';
import { progressBar, type Progress } from './progress';
import { openSource, subject, type HistorySource } from './source';
import { inline } from './terminal';

/**
 * `duban export STORE [--out FILE]`: every task and unit event, in the store's global order, one
 * envelope per line exactly as the engine wrote it — type, data, metadata with its hashes — so the
 * file verifies on its own and imports back losslessly (export → import → export is byte-identical).
 * The store's positions are not exported: they belong to the store, not to the history.
 *
 * A backup that stops short must never pass for a whole one (a history cut at a line boundary still
 * verifies: a chain cannot see its own missing tail). Every write is checked; on any failure the
 * command exits 1 and: with `--out`, FILE is not written at all (the partial file is removed); on
 * standard output redirected to a file, that file is cut back to the size it had before; on a pipe, a
 * last line that is not JSON says the export is incomplete, so whatever reads it refuses it.
 *
 * A store is exported by the engine's `exportHistory`, as an embedding application exports it; a file
 * is copied record by record, each line the engine's `envelopeLine` (the same bytes for an intact file).
 */
export { envelopeLine };

export const exportCommand = async (
  io: CliIO,
  spec: string,
  options: { out?: string } = {},
): Promise<number> => {
  const source = await openSource(io, spec);
  let count = 0;
  try {
    if (options.out) {
      await writeFileAtomically(resolvePath(io, options.out), options.out, async (out) => {
        count = await copyHistory(io, source, out);
      });
    } else {
      try {
        count = await copyHistory(io, source, io.stdout);
      } catch (error) {
        // A failed write is the output's own failure: run() reports it once, cutting the file back.
        if (!(error instanceof CliError) || error instanceof OutputError) throw error;
        const done = io.stdout.abandon?.(error.message.split('\n')[0]!);
        throw done ? new CliError(`${error.message}\n(export failed: ${done})`, error.exitCode) : error;
      }
    }
  } finally {
    await source.close();
  }
  if (count === 0) writeLine(io.stderr, `${subject(source.label)} holds no events; nothing was exported`);
  else if (options.out)
    writeLine(io.stderr, `exported ${count} events from ${source.label} to ${options.out}`);
  return EXIT.ok;
};

/** Writes every line to `out`; stops at the first unreadable record or failed write. */
const copyHistory = async (io: CliIO, source: HistorySource, out: OutputStream): Promise<number> => {
  const bar = progressBar(io.stderr, 'exporting', source.size);
  let count = 0;
  try {
    const lines = source.store ? storeLines(source.label, source.store) : fileLines(source, bar);
    for await (const line of lines) {
      await writeAll(out, line);
      count += 1;
    }
  } finally {
    bar.stop();
  }
  return count;
};

/** The store's history as `exportHistory` gives it; an event nested too deep is named with the store. */
async function* storeLines(label: string, store: EventStore): AsyncGenerator<string> {
  try {
    yield* exportHistory(store);
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(`${inline(label)}: ${inline(error.message)}`);
    throw error;
  }
}

/** A file's records as envelope lines, each as it was read; an unreadable one stops the export. */
async function* fileLines(source: HistorySource, bar: Progress): AsyncGenerator<string> {
  for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
    if (record.unreadable)
      throw new CliError(
        formatProblem(source.label, { kind: 'unreadable', ...record, ...record.unreadable }),
      );
    const v = record.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new CliError(
        `${inline(source.label)}${record.line ? `:${record.line}` : ''}: (line): must be an envelope object`,
      );
    yield envelopeLine(v as { type: unknown; data: unknown; metadata: unknown });
  }
}
