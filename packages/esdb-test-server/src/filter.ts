import type { LoggedEvent } from './log';
import type { streams } from './proto';

/** The server-side `$all` filter: on stream id or event type, by regex (when given) or by prefixes. */
export interface EventFilter {
  allows(e: LoggedEvent): boolean;
  /** Considered events (matching or not) between two checkpoint messages: multiplier × search window. */
  readonly checkpointInterval: number;
}

/** The server reads `$all` in pages of 32 events; that page is the default search window. */
const defaultSearchWindow = 32;

export const compileFilter = (f: streams.ReadReq.Options.FilterOptions): EventFilter | string => {
  const onStream = f.hasStreamIdentifier();
  const expression = onStream ? f.getStreamIdentifier() : f.getEventType();
  if (!expression) return 'A filter needs a stream identifier or event type expression.';
  const multiplier = f.getCheckpointintervalmultiplier();
  if (multiplier <= 0) return 'CheckpointIntervalMultiplier must be greater than 0.';
  const window = f.hasMax() ? f.getMax() : defaultSearchWindow;

  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const pattern = regex ? new RegExp(regex) : undefined;
  const test = (s: string) => (pattern ? pattern.test(s) : prefixes.some((p) => s.startsWith(p)));
  return {
    allows: (e) => test(onStream ? e.streamId : e.type),
    checkpointInterval: multiplier * window,
  };
};
