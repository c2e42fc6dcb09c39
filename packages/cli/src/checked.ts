import {
  chainBreakProblem,
  createHistoryChecker,
  describeProblem,
  type CheckedEvent,
  type CheckResult,
  type HistoryChecker,
  type HistoryProblem,
} from '@duban/engine';
import { inline } from './terminal';

/**
 * Checking history as it streams past is the engine's (`createHistoryChecker`: envelope, hash chain,
 * upcasting, codecs; each problem with its line, stream, revision, field and rule). The CLI names
 * problems the same way, with control characters escaped for the terminal.
 */
export type Problem = HistoryProblem;
export type { CheckedEvent, CheckResult, HistoryChecker };
export { createHistoryChecker };
/** A chain break as a problem at a file line: the engine's `ChainBreak`, kept whole in `break`. */
export const chainProblem = chainBreakProblem;

/** `file:12: task-T-1 revision 4: data.deadline: must be …`, on one line, control characters escaped. */
export const formatProblem = (source: string, p: Problem): string => inline(describeProblem(source, p));
