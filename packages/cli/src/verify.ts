import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { EXIT, writeJson, writeLine, type CliIO } from './io';
import { progressBar } from './progress';
import { openSource, subject } from './source';
import { inline } from './terminal';

/**
 * `duban verify SOURCE`: follows every stream's hash chain and reads every event with the domain's
 * codecs. Exit 0 when every chain is intact and every event reads; otherwise exit 1, naming the first
 * broken stream, its revision and what is wrong (changed, missing, reordered, inserted, malformed),
 * and the file line where it shows.
 */
export interface VerifyOptions {
  readonly json?: boolean;
  /** Print each stream's last revision and hash: what an auditor compares with a copy kept elsewhere. */
  readonly heads?: boolean;
  /** How many problems to list (all are counted). */
  readonly limit?: number;
}

export const verifyCommand = async (
  io: CliIO,
  spec: string,
  options: VerifyOptions = {},
): Promise<number> => {
  const source = await openSource(io, spec);
  const checker = createHistoryChecker();
  const limit = options.limit ?? 20;
  const problems: Problem[] = [];
  let problemCount = 0;
  let records = 0;
  const heads = new Map<string, { revision: number; hash: string }>();
  const bar = progressBar(io.stderr, 'verifying', source.size);
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
      records += 1;
      const result = checker.check(record);
      // Chain breaks are taken from the final report (a gap may turn out to be a reordering).
      for (const p of result.problems)
        if (p.kind !== 'chain') {
          problemCount += 1;
          if (problems.length < 10_000) problems.push(p);
        }
      if (options.heads && result.event) {
        const m = result.event.envelope.metadata;
        heads.set(m.streamId, { revision: m.revision, hash: m.hash });
      }
    }
  } finally {
    bar.stop();
    await source.close();
  }
  const { report, breaks } = checker.finish();
  problemCount += breaks.length;
  const all = [...problems, ...breaks].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.kind === 'chain' ? 1 : 0) - (b.kind === 'chain' ? 1 : 0),
  );
  const ok = problemCount === 0 && records > 0;

  if (options.json) {
    writeJson(io.stdout, {
      source: source.label,
      ok,
      events: records,
      streams: report.streams,
      firstBreak: report.firstBreak
        ? all.find((p) => p.kind === 'chain' && p.streamId === report.firstBreak!.streamId)
        : undefined,
      problems: all.slice(0, limit),
      problemCount,
      ...(options.heads ? { heads: Object.fromEntries(heads) } : {}),
    });
    return ok ? EXIT.ok : EXIT.failed;
  }

  if (records === 0) {
    writeLine(io.stderr, `${subject(source.label)} holds no events: nothing to verify`);
    return EXIT.failed;
  }
  if (ok) {
    writeLine(
      io.stdout,
      `${source.label}: intact — ${records} events in ${report.streams} streams; every hash chain verifies and every event reads`,
    );
    if (options.heads)
      for (const [streamId, head] of [...heads].sort(([a], [b]) => a.localeCompare(b)))
        writeLine(io.stdout, `${inline(streamId)}\t${head.revision}\t${inline(head.hash)}`);
    return EXIT.ok;
  }
  const first = report.firstBreak
    ? breaks.find((b) => b.streamId === report.firstBreak!.streamId)
    : undefined;
  if (first)
    writeLine(
      io.stdout,
      `${source.label}: BROKEN — stream ${inline(first.streamId)}, revision ${first.revision}: ${first.chain}${first.line === undefined ? '' : ` (line ${first.line})`}`,
    );
  else
    writeLine(
      io.stdout,
      `${source.label}: INVALID — ${problemCount} problem${problemCount === 1 ? '' : 's'} (the hash chains verify)`,
    );
  for (const p of all.slice(0, limit)) writeLine(io.stdout, `  ${formatProblem(source.label, p)}`);
  if (problemCount > limit) writeLine(io.stdout, `  … and ${problemCount - limit} more`);
  writeLine(
    io.stdout,
    `${records} records, ${report.streams} streams, ${report.breaks.length} broken chain${report.breaks.length === 1 ? '' : 's'}, ${problemCount - breaks.length} unreadable or invalid record${problemCount - breaks.length === 1 ? '' : 's'}`,
  );
  return EXIT.failed;
};
