import { isLeft } from 'fp-ts/Either';
import { Instant, decodeWith } from '@duban/domain';
import { supervisionProjection, type Envelope, type SupervisionModel } from '@duban/engine';
import { createHistoryChecker, formatProblem, type Problem } from './checked';
import { CliError, usageError, type CliIO } from './io';
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
      `${option} ${value}: ${decoded.left.problems[0]?.message ?? 'is not an instant'}, or a date like 2022-03-31`,
    );
  return candidate;
};

export const parseQuarter = (value: string): string => {
  const m = /^(\d{4})-?Q([1-4])$/i.exec(value.trim());
  if (!m) throw usageError(`--quarter ${value}: must be a quarter like 2022Q1`);
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
    for await (const record of source.records({ onBytes: (n) => bar.update(n) })) {
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
    bar.stop();
  }
  if (seen === 0) throw new CliError(`${subject(source.label)} holds no events`);
  return {
    label: source.label,
    model,
    events: model.events,
    streams: streams.size,
    kept,
    ...(lastAt ? { lastAt } : {}),
  };
};
