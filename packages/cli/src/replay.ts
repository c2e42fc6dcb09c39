import { defaultContext, lightOf, suggestGrade, type DomainContext } from '@duban/domain';
import { auditTimeline, contextOf } from '@duban/engine';
import { lazyBoard } from './board';
import { writeBoardCsv } from './board-csv';
import { asOfOf, loadHistory, noSuchTask, parseInstant, resolveTask, taskStreamCandidates } from './history';
import { chunkedWriter, EXIT, usageError, writeJson, writeLine, type CliIO } from './io';
import { writeJsonWithArray } from './json-stream';
import { LIGHT_LABELS, NO_NAMES, STATUS_LABELS, gradeLabel, localTime, type UnitNames } from './labels';
import { checkReaderKnown, checkTaskReadable, parseReader, readerText } from './reader';
import { rulesSource } from './reporting';
import { timelineTable, writeBoardTable } from './tables';
import { inline } from './terminal';

/**
 * `duban replay SOURCE [--task ID] [--as-of INSTANT]`: the history folded again, as it stood at any
 * instant of business time. Without `--task`, the task board (台账) of every task; with it, the task's
 * audit timeline: who did what and when, and the state after each event.
 */
export interface ReplayOptions {
  readonly task?: string;
  readonly asOf?: string;
  /** The board also as CSV (one row per task, for spreadsheets); a task's timeline is table or JSON. */
  readonly format?: 'table' | 'json' | 'csv';
  readonly names?: UnitNames;
  readonly ctx?: DomainContext;
  /** Read as this actor, `KIND:ID` (--as): its tasks only; default everything, as an auditor. */
  readonly as?: string;
  /** Boards longer than this, printed as a table to a terminal, come with a note on how to read them. */
  readonly largeBoard?: number;
}

export const replayCommand = async (
  io: CliIO,
  spec: string,
  options: ReplayOptions = {},
): Promise<number> => {
  if (options.task !== undefined && options.format === 'csv')
    throw usageError("--format csv: the board's format; a task's timeline (--task) is table or json");
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

  const board = lazyBoard(history.model, now, ctx, reader ? { as: reader } : {});
  if (options.format === 'json') {
    const head = {
      source: history.label,
      asOf: now,
      readAs: reader ? readerText(reader) : 'everything (as an auditor)',
      ...(note ? { note } : {}),
      events: history.events,
    };
    await writeJsonWithArray(io.stdout, head, 'tasks', board);
    return EXIT.ok;
  }
  if (options.format === 'csv') {
    await writeBoardCsv(io.stdout, board, names, ctx);
    return EXIT.ok;
  }
  if (io.stdout.isTTY && board.length > (options.largeBoard ?? LARGE_BOARD))
    writeLine(
      io.stderr,
      `note: ${board.length} tasks: a board this size reads better paged (duban replay … | less -S) or in a spreadsheet (--format csv)`,
    );
  const out = chunkedWriter(io.stdout);
  await out.write(
    `Task board 任务台账 — ${board.length} tasks${reader ? ` read as ${readerText(reader)} (the tasks it may read: 在一定范围内)` : ''}, replayed from ${history.events} events of ${history.label}, as of ${localTime(now, ctx)} (${now})\n`,
  );
  await out.write(`${rulesSource(history.model).text}\n`);
  await writeBoardTable(board, names, ctx, out.write);
  await out.flush();
  return EXIT.ok;
};

/** Above this many rows a boxed board fills many screens: replay says how to read it on a terminal. */
export const LARGE_BOARD = 2_000;
