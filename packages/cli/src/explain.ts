import {
  defaultContext,
  dueTimes,
  metOnTime,
  suggestGrade,
  type DomainContext,
  type GradeReason,
  DEFAULT_SCORING_POLICY,
} from '@duban/domain';
import {
  auditTimeline,
  contextOf,
  taskWork,
  unitScorecard,
  type Envelope,
  type SupervisionModel,
} from '@duban/engine';
import { asOfOf, loadHistory, noSuchTask, parseInstant, resolveTask, taskStreamCandidates } from './history';
import { EXIT, writeJson, writeLine, type CliIO } from './io';
import { NO_NAMES, STATUS_LABELS, gradeLabel, localTime, unitLabel, type UnitNames } from './labels';
import { checkReaderKnown, checkTaskReadable, parseReader, readerText } from './reader';
import { rulesSource } from './reporting';
import { actorText, workLines } from './tables';
import { inline } from './terminal';

/**
 * `duban explain SOURCE TASK [--as-of INSTANT]`: one task's grade, and why. The engine's suggestion
 * (评估考核) with each reason and the events behind it, the grade the leader approved and any
 * justification, every time limit and what met it, and what the task did to the units' scores.
 */
export interface ExplainOptions {
  readonly asOf?: string;
  readonly format?: 'table' | 'json';
  readonly names?: UnitNames;
  readonly ctx?: DomainContext;
  /** Read as this actor, `KIND:ID` (--as): a task outside its scope is refused; default: as an auditor. */
  readonly as?: string;
}

export const explainCommand = async (
  io: CliIO,
  spec: string,
  task: string,
  options: ExplainOptions = {},
): Promise<number> => {
  const defaults = options.ctx ?? defaultContext();
  const names = options.names ?? NO_NAMES;
  const reader = options.as === undefined ? undefined : parseReader(options.as);
  const asOfOption = options.asOf === undefined ? undefined : parseInstant(options.asOf);
  const streams = new Set(taskStreamCandidates(task));
  const history = await loadHistory(io, spec, {
    ...(asOfOption ? { asOf: asOfOption } : {}),
    keep: (e) => streams.has(e.metadata.streamId),
  });
  if (reader) checkReaderKnown(history.label, history.model, reader);
  const found = resolveTask(task, history.kept);
  if (!found) throw noSuchTask(history.label, task, asOfOption, defaults);
  const { taskId, envelopes } = found;
  const timeline = auditTimeline(envelopes);
  const state = timeline.at(-1)!.stateAfter;
  checkTaskReadable(history.label, taskId, state, reader);
  const { asOf: now, note } = asOfOf(history, asOfOption, defaults);
  // The rules in force at "as of": the office's record when the history keeps one, else the defaults.
  const ctx = contextOf(history.model, now, defaults);
  const suggestion = suggestGrade(state, now, ctx);
  const byRevision = new Map(envelopes.map((e) => [e.metadata.revision, e]));
  const closedEvent = state.closed ? byRevision.get(state.closed.revision) : undefined;
  const closedData = closedEvent?.data as
    | {
        grade: string;
        suggestedGrade: string;
        proposedGrade: string;
        reasons: GradeReason[];
        approvedBy: { kind: string; id: string };
        justification?: string;
      }
    | undefined;
  const regrades = envelopes.filter((e) => e.type === 'TaskRegraded');
  const times = dueTimes(state, ctx);
  const work = taskWork(state, envelopes, now);
  const quarter = state.closed ? ctx.calendar.quarterOf(state.closed.at) : undefined;
  // The task alone, in maps without a prototype: a task named `constructor` is a task like any other.
  const tasks = Object.create(null) as SupervisionModel['tasks'] & Record<string, typeof state>;
  tasks[taskId] = state;
  const alone: SupervisionModel = {
    tasks,
    units: Object.create(null) as SupervisionModel['units'],
    office: history.model.office,
    events: envelopes.length,
  };
  // Another unit's score lines are its unpublished assessment: a unit reads its own (published 通报 whole).
  const scope = reader && quarter && !history.model.office.rankings[quarter] ? { as: reader } : {};
  const scoreLines = quarter
    ? unitScorecard(alone, quarter, DEFAULT_SCORING_POLICY, ctx, scope).map((s) => ({
        unitId: s.unitId,
        lines: s.lines.filter((l) => l.taskId === taskId),
      }))
    : [];

  if (options.format === 'json') {
    writeJson(io.stdout, {
      source: history.label,
      taskId,
      asOf: now,
      readAs: reader ? readerText(reader) : 'everything (as an auditor)',
      ...(note ? { note } : {}),
      status: state.status,
      grade: state.grade,
      closure: closedData,
      suggestion,
      regrades: regrades.map((e) => e.data),
      timeLimits: times,
      work,
      quarter,
      scoreLines,
    });
    return EXIT.ok;
  }
  if (note) writeLine(io.stderr, `note: ${note}`);

  const out: string[] = [];
  const evidence = (refs: GradeReason['events']) =>
    refs.map((r) => {
      const e = byRevision.get(r.revision);
      return `        ← rev ${r.revision} ${inline(r.type)}${e ? ` ${localTime(e.metadata.at, ctx)} by ${actorText(e.metadata.actor)}` : ''}`;
    });
  const reasons = (list: readonly GradeReason[]) =>
    list.flatMap((r) => [
      `  ${gradeLabel(r.grade).padEnd(12)} ${inline(r.rule)}: ${inline(r.text)}`,
      ...evidence(r.events),
    ]);

  if (reader)
    out.push(
      `Read as ${readerText(reader)} (在一定范围内): the task in full; units' score lines only where this reader may read them (a unit: its own) until the quarter's 通报 is published`,
    );
  out.push(`Task ${inline(taskId)}: ${inline(state.title)}`);
  out.push(
    `lead ${unitLabel(state.leadUnit, names)}${state.coUnits.length ? `; co-units ${state.coUnits.map((u) => unitLabel(u, names)).join(', ')}` : ''}` +
      `${state.key ? '; key task (重点事项)' : ''}; ${inline(state.complexity)} item; status ${inline(state.status)} ${STATUS_LABELS[state.status] ?? ''}; as of ${localTime(now, ctx)}`,
  );
  out.push(rulesSource(history.model).text);
  if (state.closed && closedData) {
    out.push('');
    out.push(
      `Final grade (审定等级): ${gradeLabel(closedData.grade as never)} — approved by ${inline(closedData.approvedBy.kind)} ${inline(closedData.approvedBy.id)} on ${localTime(state.closed.at, ctx)}; ` +
        `the section proposed ${inline(closedData.proposedGrade)}, the engine suggested ${inline(closedData.suggestedGrade)}`,
    );
    if (closedData.justification) out.push(`Justification (理由说明): ${inline(closedData.justification)}`);
    out.push(`At closure the engine's reasons were:`);
    out.push(...reasons(closedData.reasons));
    for (const r of regrades) {
      const d = r.data as {
        from: string;
        to: string;
        cause: { type: string; revision: number };
        reasons: GradeReason[];
      };
      out.push(
        `Regraded (重新评定) ${inline(d.from)} → ${inline(d.to)} on ${localTime(r.metadata.at, ctx)}, after ${inline(d.cause.type)} (rev ${d.cause.revision}):`,
      );
      out.push(...reasons(d.reasons));
    }
    if (state.grade && state.grade !== closedData.grade)
      out.push(`The grade that counts now: ${gradeLabel(state.grade)}`);
  }
  out.push('');
  out.push(
    `${state.closed ? 'With every fact known' : 'Suggested grade (建议等级)'} as of ${localTime(now, ctx)}: ${gradeLabel(suggestion.grade)} (the first reason decides)`,
  );
  out.push(...reasons(suggestion.reasons));
  out.push('');
  out.push('Time limits (时限): the 13710 profile and the deadline');
  for (const d of times) {
    const met = d.metBy
      ? `met ${localTime(d.metBy.at, ctx)} by rev ${d.metBy.revision} (${metOnTime(d) ? 'on time' : 'late'})`
      : Date.parse(now) > Date.parse(d.due)
        ? 'NOT met, overdue'
        : 'not yet due';
    out.push(`  ${inline(d.id).padEnd(16)} due ${localTime(d.due, ctx)}  ${met} — ${inline(d.label)}`);
  }
  out.push('', ...workLines(work, names, ctx));
  if (quarter) {
    out.push('');
    out.push(`What this task adds to the ${quarter} scores (default scoring policy):`);
    for (const s of scoreLines) {
      out.push(`  ${unitLabel(s.unitId, names)}`);
      for (const l of s.lines)
        out.push(`    ${(l.points < 0 ? String(l.points) : `+${l.points}`).padStart(7)}  ${inline(l.text)}`);
    }
  }
  writeLine(io.stdout, out.join('\n'));
  return EXIT.ok;
};

export type { Envelope };
