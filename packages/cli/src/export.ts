import { createWriteStream, promises as fs } from 'node:fs';
import { finished } from 'node:stream/promises';
import { formatProblem } from './checked';
import { CliError, EXIT, resolvePath, writeAll, writeLine, type CliIO, type OutputStream } from './io';
import { progressBar } from './progress';
import { openSource, subject } from './source';

/**
 * `duban export STORE [--out FILE]`: every task and unit event, in the store's global order, one
 * envelope per line exactly as the engine wrote it — type, data, metadata with its hashes — so the
 * file verifies on its own and imports back losslessly (export → import → export is byte-identical).
 * The store's positions are not exported: they belong to the store, not to the history.
 */
export const envelopeLine = (e: { type: unknown; data: unknown; metadata: unknown }): string =>
  `${JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata })}\n`;

export const exportCommand = async (
  io: CliIO,
  spec: string,
  options: { out?: string } = {},
): Promise<number> => {
  const source = await openSource(io, spec);
  let out: OutputStream = io.stdout;
  let file: ReturnType<typeof createWriteStream> | undefined;
  const target = options.out ? resolvePath(io, options.out) : undefined;
  // A file is written aside and renamed when complete: a failed export never leaves half a history.
  const partial = target ? `${target}.partial-${process.pid}` : undefined;
  if (partial) {
    file = createWriteStream(partial);
    out = file;
  }
  const bar = progressBar(io.stderr, 'exporting', source.size);
  let count = 0;
  let completed = false;
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
      if (record.unreadable)
        throw new CliError(
          formatProblem(source.label, { kind: 'unreadable', ...record, ...record.unreadable }),
        );
      const v = record.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new CliError(
          `${source.label}${record.line ? `:${record.line}` : ''}: (line): must be an envelope object`,
        );
      await writeAll(out, envelopeLine(v as { type: unknown; data: unknown; metadata: unknown }));
      count += 1;
    }
    completed = true;
  } finally {
    bar.stop();
    await source.close();
    if (file && partial && target) {
      file.end();
      await finished(file);
      if (completed) await fs.rename(partial, target);
      else await fs.rm(partial, { force: true });
    }
  }
  if (count === 0) writeLine(io.stderr, `${subject(source.label)} holds no events; nothing was exported`);
  else if (options.out)
    writeLine(io.stderr, `exported ${count} events from ${source.label} to ${options.out}`);
  return EXIT.ok;
};
