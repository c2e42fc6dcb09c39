import { defaultContext, lightOf, suggestGrade, type DomainContext } from '@duban/domain';
import { auditTimeline, contextOf, taskBoard } from '@duban/engine';
import { asOfOf, loadHistory, noSuchTask, parseInstant, resolveTask, taskStreamCandidates } from './history';
import { EXIT, writeJson, writeLine, type CliIO } from './io';
import { LIGHT_LABELS, NO_NAMES, STATUS_LABELS, gradeLabel, localTime, type UnitNames } from './labels';
import { checkReaderKnown, checkTaskReadable, parseReader, readerText } from './reader';
import { rulesSource } from './reporting';
import { boardTable, timelineTable } from './tables';
import { inline } from './terminal';

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
  /** Read as this actor, `KIND:ID` (--as): its tasks only; default everything, as an auditor. */
  readonly as?: string;
}

export const replayCommand = async (
  io: CliIO,
  spec: string,
  options: ReplayOptions = {},
): Promise<number> => {
  const defaults = options.ctx ?? defaultContext();
  const reader = options.as === undefined ? undefined : parseReader(options.as);
  const asOfOption = options.asOf === undefined ? undefined : parseInstant(options.asOf);
  const streams = options.task === undefined ? undefined : new Set(taskStreamCandidates(options.task));
  const history = await loadHistory(io, spec, {
    ...(asOfOption ? { asOf: asOfOption } : {}),
    ...(streams ? { keep: (e) => streams.has(e.metadata.streamId) } : {}),
  });
  if (reader) checkReaderKnown(history.label, history.model, reader);
  const { asOf: now, note } = asOfOf(history, asOfOption, defaults);
  // The rules in force at "as of": the office's record when the history keeps one, else the defaults.
  const ctx = contextOf(history.model, now, defaults);
  const names = options.names ?? NO_NAMES;
  if (note && options.format !== 'json') writeLine(io.stderr, `note: ${note}`);

  if (options.task !== undefined) {
    const task = resolveTask(options.task, history.kept);
    if (!task) throw noSuchTask(history.label, options.task, asOfOption, defaults);
    const timeline = auditTimeline(task.envelopes);
    const state = timeline.at(-1)!.stateAfter;
    checkTaskReadable(history.label, task.taskId, state, reader);
    const light = lightOf(state, now, ctx);
    const suggestion = state.closed ? state.closed.suggestedGrade : suggestGrade(state, now, ctx).grade;
    if (options.format === 'json') {
      writeJson(io.stdout, {
        source: history.label,
        task: task.taskId,
        asOf: now,
        readAs: reader ? readerText(reader) : 'everything (as an auditor)',
        ...(note ? { note } : {}),
        light,
        timeline,
      });
      return EXIT.ok;
    }
    writeLine(io.stdout, `Task ${inline(task.taskId)}: ${inline(state.title)}`);
    writeLine(
      io.stdout,
      `replayed from ${history.label}, ${timeline.length} events, as of ${localTime(now, ctx)} (${now})`,
    );
    writeLine(io.stdout, rulesSource(history.model).text);
    writeLine(io.stdout, timelineTable(timeline, ctx));
    writeLine(
      io.stdout,
      `State as of ${localTime(now, ctx)}: ${state.status} ${STATUS_LABELS[state.status] ?? ''}; light ${light} ${LIGHT_LABELS[light] ?? ''}; ` +
        (state.grade
          ? `grade ${gradeLabel(state.grade)} (engine suggested ${inline(suggestion)})`
          : `suggested grade ${gradeLabel(suggestion)}`),
    );
    return EXIT.ok;
  }

  const board = taskBoard(history.model, now, ctx, reader ? { as: reader } : {});
  if (options.format === 'json') {
    writeJson(io.stdout, {
      source: history.label,
      asOf: now,
      readAs: reader ? readerText(reader) : 'everything (as an auditor)',
      ...(note ? { note } : {}),
      events: history.events,
      tasks: board,
    });
    return EXIT.ok;
  }
  writeLine(
    io.stdout,
    `Task board 任务台账 — ${board.length} tasks${reader ? ` read as ${readerText(reader)} (the tasks it may read: 在一定范围内)` : ''}, replayed from ${history.events} events of ${history.label}, as of ${localTime(now, ctx)} (${now})`,
  );
  writeLine(io.stdout, rulesSource(history.model).text);
  writeLine(io.stdout, boardTable(board, names, ctx));
  return EXIT.ok;
};
