import { defaultContext, lightOf, suggestGrade, type DomainContext } from '@duban/domain';
import { auditTimeline, taskBoard } from '@duban/engine';
import { loadHistory, parseInstant } from './history';
import { CliError, EXIT, writeLine, type CliIO } from './io';
import { LIGHT_LABELS, STATUS_LABELS, gradeLabel, localTime, type UnitNames } from './labels';
import { boardTable, timelineTable } from './tables';

/**
 * `duban replay SOURCE [--task ID] [--as-of INSTANT]`: the history folded again, as it stood at any
 * instant of business time. Without `--task`, the task board (台账) of every task; with it, the task's
 * audit timeline: who did what and when, and the state after each event.
 */
export interface ReplayOptions {
  readonly task?: string;
  readonly asOf?: string;
  readonly format?: 'table' | 'json';
  readonly names?: UnitNames;
  readonly ctx?: DomainContext;
}

export const replayCommand = async (
  io: CliIO,
  spec: string,
  options: ReplayOptions = {},
): Promise<number> => {
  const ctx = options.ctx ?? defaultContext();
  const asOf = options.asOf === undefined ? undefined : parseInstant(options.asOf);
  const streamId = options.task === undefined ? undefined : `task-${options.task}`;
  const history = await loadHistory(io, spec, {
    ...(asOf ? { asOf } : {}),
    ...(streamId ? { keep: (e) => e.metadata.streamId === streamId } : {}),
  });
  const now = asOf ?? history.lastAt!;
  const names = options.names ?? {};

  if (options.task !== undefined) {
    if (history.kept.length === 0)
      throw new CliError(
        `${history.label}: no task ${options.task}${asOf ? ` assigned by ${asOf}` : ''} (task ids are the part after "task-" in stream ids)`,
      );
    const timeline = auditTimeline(history.kept);
    const state = timeline.at(-1)!.stateAfter;
    const light = lightOf(state, now, ctx);
    const suggestion = state.closed ? state.closed.suggestedGrade : suggestGrade(state, now, ctx).grade;
    if (options.format === 'json') {
      writeLine(
        io.stdout,
        JSON.stringify({ source: history.label, task: options.task, asOf: now, light, timeline }, null, 2),
      );
      return EXIT.ok;
    }
    writeLine(io.stdout, `Task ${options.task}: ${state.title}`);
    writeLine(
      io.stdout,
      `replayed from ${history.label}, ${timeline.length} events, as of ${localTime(now, ctx)} (${now})`,
    );
    writeLine(io.stdout, timelineTable(timeline, ctx));
    writeLine(
      io.stdout,
      `State as of ${localTime(now, ctx)}: ${state.status} ${STATUS_LABELS[state.status] ?? ''}; light ${light} ${LIGHT_LABELS[light] ?? ''}; ` +
        (state.grade
          ? `grade ${gradeLabel(state.grade)} (engine suggested ${suggestion})`
          : `suggested grade ${gradeLabel(suggestion)}`),
    );
    return EXIT.ok;
  }

  const board = taskBoard(history.model, now, ctx);
  if (options.format === 'json') {
    writeLine(
      io.stdout,
      JSON.stringify({ source: history.label, asOf: now, events: history.events, tasks: board }, null, 2),
    );
    return EXIT.ok;
  }
  writeLine(
    io.stdout,
    `Task board 任务台账 — ${board.length} tasks, replayed from ${history.events} events of ${history.label}, as of ${localTime(now, ctx)} (${now})`,
  );
  writeLine(io.stdout, boardTable(board, names, ctx));
  return EXIT.ok;
};
