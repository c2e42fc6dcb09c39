import { isLeft } from 'fp-ts/Either';
import { Instant, decodeWith, type DomainContext } from '@duban/domain';
import { supervisionProjection, type Envelope, type SupervisionModel } from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { CliError, usageError, type CliIO } from './io';
import { localTime } from './labels';
import { inline } from './terminal';
import { progressBar } from './progress';
import { openSource, subject, type HistorySource } from './source';

/**
 * Reading a whole SOURCE for a report, a replay or an explanation: every record checked (envelope,
 * hash chain, codecs) on the way, folded into the supervision model. A bad record stops the reading
 * with its file, line, field and rule: reports are never drawn from a history that does not verify.
 */
export interface LoadedHistory {
  readonly label: string;
  readonly model: SupervisionModel;
  readonly events: number;
  readonly streams: number;
  /** Business time of the latest event folded: the default "now" of every view. */
  readonly lastAt?: string;
  /** Some events lay after `asOf` and were not read (the history goes on past it). */
  readonly cut: boolean;
  /** Envelopes kept by `keep`, in order. */
  readonly kept: readonly Envelope[];
}

export interface LoadOptions {
  /** Only events whose business time is at or before this instant; a stream stops at its first later event. */
  readonly asOf?: string;
  /** Which envelopes to keep in memory (e.g. one task's, for its timeline). Default: none. */
  readonly keep?: (envelope: Envelope) => boolean;
}

/** `--as-of`: an ISO-8601 instant with a zone, or a date meaning the end of that day in UTC+8. */
export const parseInstant = (value: string, option = '--as-of'): string => {
  const candidate = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999+08:00` : value;
  const decoded = decodeWith(Instant, candidate);
  if (isLeft(decoded))
    throw usageError(
      `${option} ${inline(value)}: ${decoded.left.problems[0]?.message ?? 'is not an instant'}, or a date like 2022-03-31`,
    );
  return candidate;
};

export const parseQuarter = (value: string): string => {
  const m = /^(\d{4})-?Q([1-4])$/i.exec(value.trim());
  if (!m) throw usageError(`--quarter ${inline(value)}: must be a quarter like 2022Q1`);
  return `${m[1]}Q${m[2]}`;
};

export const loadHistory = async (
  io: CliIO,
  spec: string,
  options: LoadOptions = {},
): Promise<LoadedHistory> => {
  const source = await openSource(io, spec);
  try {
    return await loadFrom(io, source, options);
  } finally {
    await source.close();
  }
};

export const loadFrom = async (
  io: CliIO,
  source: HistorySource,
  options: LoadOptions = {},
): Promise<LoadedHistory> => {
  const checker = createHistoryChecker();
  const model = supervisionProjection.init();
  const limit = options.asOf === undefined ? undefined : Date.parse(options.asOf);
  const cut = new Set<string>();
  const streams = new Set<string>();
  const kept: Envelope[] = [];
  let lastAt: string | undefined;
  let lastMs = Number.NEGATIVE_INFINITY;
  let seen = 0;
  const bar = progressBar(io.stderr, 'reading', source.size);
  const fail = (p: Problem): never => {
    bar.stop();
    throw new CliError(
      `${formatProblem(source.label, p)}\n(nothing was reported: the history must verify first; \`duban verify ${source.label}\` lists every problem)`,
    );
  };
  try {
    for await (const record of source.records({ onBytes: (n) => bar.update(n, seen) })) {
      seen += 1;
      const result = checker.check(record);
      if (result.problems.length > 0) fail(result.problems[0]!);
      const envelope = result.event!.envelope;
      const streamId = envelope.metadata.streamId;
      if (limit !== undefined) {
        if (cut.has(streamId)) continue;
        if (Date.parse(envelope.metadata.at) > limit) {
          cut.add(streamId);
          continue;
        }
      }
      streams.add(streamId);
      supervisionProjection.apply(model, envelope);
      const ms = Date.parse(envelope.metadata.at);
      if (ms >= lastMs) {
        lastMs = ms;
        lastAt = envelope.metadata.at;
      }
      if (options.keep?.(envelope)) kept.push(envelope);
    }
    const { breaks } = checker.finish();
    if (breaks.length > 0) fail(breaks[0]!);
  } finally {
    bar.stop(seen);
  }
  if (seen === 0) throw new CliError(`${subject(source.label)} holds no events`);
  if (lastAt === undefined)
    throw new CliError(`${subject(source.label)} holds no event at or before --as-of ${options.asOf}`);
  return {
    label: source.label,
    model,
    events: model.events,
    streams: streams.size,
    kept,
    cut: cut.size > 0,
    ...(lastAt ? { lastAt } : {}),
  };
};

/**
 * The one rule for "as of", in every command and every format: the instant every view is read at is
 * `--as-of` when given, otherwise the business time of the history's last event (never the clock of
 * the machine, never the end of a simulation). Warnings, lights, the board, suggested grades and
 * "overdue" are as they stood at that instant.
 */
export const AS_OF_HELP =
  'business time to read the history up to: ISO-8601 with a zone, or a date (the end of that day, UTC+8); default: the time of its last event';

export interface AsOf {
  readonly asOf: string;
  /** Set when --as-of lies past the history's end: what is printed is extrapolated, and says so. */
  readonly note?: string;
}

export const asOfOf = (history: LoadedHistory, asOf: string | undefined, ctx: DomainContext): AsOf => {
  if (asOf === undefined) return { asOf: history.lastAt! };
  if (!history.cut && history.lastAt !== undefined && Date.parse(history.lastAt) < Date.parse(asOf))
    return {
      asOf,
      note: `the history ends at ${localTime(history.lastAt, ctx)}, before --as-of ${localTime(asOf, ctx)}: read as though nothing happened after its last event`,
    };
  return { asOf };
};

const quarterParts = (quarter: string) => ({
  year: Number(quarter.slice(0, 4)),
  q: Number(quarter.slice(5)),
});

/** The first instant of a quarter like 2022Q1 in the calendar's zone. */
export const quarterStart = (quarter: string, ctx: DomainContext): string => {
  const { year, q } = quarterParts(quarter);
  return new Date(Date.UTC(year, (q - 1) * 3, 1) - ctx.calendar.utcOffsetMinutes * 60_000).toISOString();
};

/** The last day of a quarter, `2022-03-31`. */
export const quarterLastDay = (quarter: string): string => {
  const { year, q } = quarterParts(quarter);
  return new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10);
};

/**
 * A task is named on the command line by its id (`DB2022-009`) or by its stream's id
 * (`task-DB2022-009`, as `verify` and the evidence print it). The id wins when both exist.
 */
export const taskStreamCandidates = (arg: string): readonly string[] =>
  arg.startsWith('task-') ? [`task-${arg}`, arg] : [`task-${arg}`];

/** The task's id and its events, from envelopes kept for the candidates; undefined when none is there. */
export const resolveTask = (
  arg: string,
  kept: readonly Envelope[],
): { taskId: string; envelopes: Envelope[] } | undefined => {
  for (const streamId of taskStreamCandidates(arg)) {
    const envelopes = kept.filter((e) => e.metadata.streamId === streamId);
    if (envelopes.length > 0) return { taskId: streamId.slice('task-'.length), envelopes };
  }
  return undefined;
};

export const noSuchTask = (
  label: string,
  arg: string,
  asOf: string | undefined,
  ctx: DomainContext,
): CliError =>
  new CliError(
    `${label}: no task ${inline(arg)}${asOf ? ` assigned by ${localTime(asOf, ctx)}` : ''} (give a task id such as DB2022-009, or its stream id task-DB2022-009)`,
  );
