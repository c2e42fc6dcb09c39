import type { AnnualEvaluation, DomainContext, Grade } from '@duban/domain';
import type {
  AccountabilityFlag,
  DutyStatus,
  ProjectStanding,
  TaskWork,
  TaskCard,
  TimelineEntry,
  UnitScore,
  UnrankedUnit,
  Warning,
} from '@duban/engine';
import {
  ACTOR_LABELS,
  FLAG_LABELS,
  LIGHT_LABELS,
  STAGE_LABELS,
  STATUS_LABELS,
  WARNING_LABELS,
  eventLabel,
  gradeLabel,
  localDate,
  localTime,
  unitLabel,
  type UnitNames,
} from './labels';
import { BoxTable, boxTableChunks, writeBoxTable, type BoxCell } from './box-table';
import { inline } from './terminal';

/** Terminal tables (drawn as cli-table3 draws them), uncoloured so they read the same in a terminal, a pipe and a file. */
const COMPACT = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

const table = (
  head: string[],
  options: { colAligns?: Array<'left' | 'right' | 'center'>; rowLines?: boolean } = {},
) =>
  new BoxTable({
    head,
    ...(options.rowLines ? {} : { chars: COMPACT }),
    ...(options.colAligns ? { colAligns: options.colAligns } : {}),
  });

const GRADE_ORDER: Grade[] = ['excellent', 'good', 'basic', 'poor', 'very-poor'];
const GRADE_SHORT: Record<Grade, string> = {
  excellent: '好',
  good: '较好',
  basic: '基本',
  poor: '不力',
  'very-poor': '较差',
};

const gradeCounts = (s: UnitScore): string =>
  GRADE_ORDER.filter((g) => s.tasksByGrade[g] > 0)
    .map((g) => `${GRADE_SHORT[g]}${s.tasksByGrade[g]}`)
    .join(' ');

export const rankingTable = (ranking: readonly UnitScore[], names: UnitNames): string => {
  const t = table(
    [
      '名次\nRank',
      '单位\nUnit',
      '得分\nScore',
      '平均分\nAverage',
      '扣分\nDeducted',
      '等级分布\nGrades (tasks)',
      '逾期\nOverdue',
    ],
    { colAligns: ['right', 'left', 'right', 'right', 'right', 'left', 'right'] },
  );
  for (const s of ranking)
    t.push([
      s.rank,
      unitLabel(s.unitId, names),
      s.score.toFixed(2),
      s.average.toFixed(2),
      s.deductions.toFixed(2),
      gradeCounts(s),
      s.overdue,
    ]);
  return t.toString();
};

/** Units listed in a quarter without a score (only open tasks within their deadlines), with why. */
export const unrankedLines = (unranked: readonly UnrankedUnit[], names: UnitNames): string =>
  unranked.map((u) => `  ${unitLabel(u.unitId, names)}: ${inline(u.reason)}`).join('\n');

/** 年度评价: each unit's year from its quarters, its band, and how it was added up. */
export const annualTable = (units: AnnualEvaluation['units'], names: UnitNames): string => {
  const t = table(
    ['名次\nRank', '单位\nUnit', '年度得分\nScore', '等次\nBand', '各季度\nQuarters (score, rank)'],
    {
      colAligns: ['right', 'left', 'right', 'left', 'left'],
    },
  );
  for (const u of units)
    t.push([
      u.rank,
      unitLabel(u.unitId, names),
      u.score.toFixed(2),
      inline(u.band),
      u.quarters.map((q) => `${q.quarter} ${q.score} (#${q.rank})`).join(', '),
    ]);
  return t.toString();
};

/** 重大专项按实施阶段排队: each lead unit's mean stage, milestones met on time, and its tasks. */
export const projectTable = (standings: readonly ProjectStanding[], names: UnitNames): string => {
  const t = table(
    [
      '名次\nRank',
      '牵头单位\nLead unit',
      '平均阶段\nMean stage (0–4)',
      '节点按时\nMilestones on time',
      '任务阶段\nTasks (stage)',
    ],
    { colAligns: ['right', 'left', 'right', 'right', 'left'] },
  );
  for (const s of standings)
    t.push([
      s.rank,
      unitLabel(s.unitId, names),
      s.stage.toFixed(2),
      `${s.milestonesMetOnTime}/${s.milestonesDue}`,
      s.tasks.map((x) => `${inline(x.taskId)} ${x.stage} ${STAGE_LABELS[x.stage] ?? ''}`.trim()).join('\n'),
    ]);
  return t.toString();
};

/** Every line behind every score (每项得分说明), one at a time: a line per graded task of the quarter. */
export function* explanationLines(ranking: readonly UnitScore[], names: UnitNames): Generator<string> {
  for (const s of ranking) {
    yield `#${s.rank} ${unitLabel(s.unitId, names)}: ${s.score.toFixed(2)}`;
    for (const l of s.lines) {
      const points = l.kind === 'average' ? `= ${l.points}` : l.points < 0 ? `${l.points}` : `+${l.points}`;
      const evidence = l.evidence.map((e) => `${e.streamId}@${e.revision}`).join(', ');
      yield `   ${points.padStart(8)}  ${inline(l.text)}${evidence ? `  [${inline(evidence)}]` : ''}`;
    }
  }
}

export const explanations = (ranking: readonly UnitScore[], names: UnitNames): string =>
  [...explanationLines(ranking, names)].join('\n');

const WARNINGS_HEAD = ['任务 Task', '牵头单位 Lead unit', '预警 Warning', '说明 Detail'];

const warningRow = (w: Warning, names: UnitNames): BoxCell[] => [
  inline(w.taskId),
  unitLabel(w.leadUnit, names),
  `${inline(w.kind)} ${WARNING_LABELS[w.kind] ?? ''}`,
  wrap(inline(w.text), 70),
];

export const warningsTable = (list: readonly Warning[], names: UnitNames): string => {
  const t = table(WARNINGS_HEAD, { rowLines: true });
  for (const w of list) t.push(warningRow(w, names));
  return t.toString();
};

/** `warningsTable` and a line break, a row at a time (one row per open task with a warning). */
export const warningsTableChunks = (list: readonly Warning[], names: UnitNames): Generator<string> =>
  boxTableChunks({ head: WARNINGS_HEAD }, function* () {
    for (const w of list) yield warningRow(w, names);
  });

export const flagsTable = (list: readonly AccountabilityFlag[], names: UnitNames): string => {
  const t = table(['单位 Unit', '措施 Action', '原因 Reason', '说明 Detail'], { rowLines: true });
  for (const f of list)
    t.push([
      unitLabel(f.unitId, names),
      `${inline(f.action)} ${FLAG_LABELS[f.action] ?? ''}`,
      `${inline(f.reason)} ${FLAG_LABELS[f.reason] ?? ''}`,
      wrap(inline(f.text), 60),
    ]);
  return t.toString();
};

const BOARD_HEAD = [
  '任务 Task',
  '事项 Title',
  '状态 Status',
  '牵头 Lead',
  '期限 Deadline',
  '灯 Light',
  '%',
  '等级 Grade',
];

const boardRow = (c: TaskCard, names: UnitNames, ctx: DomainContext): BoxCell[] => [
  inline(c.taskId) + (c.key ? ' ★' : ''),
  wrap(inline(c.title), 28),
  `${c.status} ${STATUS_LABELS[c.status] ?? ''}`,
  unitLabel(c.leadUnit, names),
  localDate(c.deadline, ctx) + (c.extended ? ' (ext.)' : ''),
  c.light === 'none' ? '—' : `${c.light} ${LIGHT_LABELS[c.light] ?? ''}`,
  c.percentComplete,
  c.finalGrade ? gradeLabel(c.finalGrade) : `(${inline(c.suggestedGrade)})`,
];

export const boardTable = (board: readonly TaskCard[], names: UnitNames, ctx: DomainContext): string => {
  const t = table(BOARD_HEAD, { rowLines: true });
  for (const c of board) t.push(boardRow(c, names, ctx));
  return t.toString();
};

/**
 * `boardTable`'s text and a line break, written a row at a time (box-table.ts `writeBoxTable`): the
 * board is read twice, for the column widths and to draw, and never held as text.
 */
export const writeBoardTable = (
  board: Iterable<TaskCard>,
  names: UnitNames,
  ctx: DomainContext,
  write: (text: string) => Promise<void>,
): Promise<void> =>
  writeBoxTable(
    { head: BOARD_HEAD },
    function* () {
      for (const c of board) yield boardRow(c, names, ctx);
    },
    write,
  );

export const actorText = (actor: TimelineEntry['actor']): string =>
  inline(`${actor.id} (${actor.kind}${actor.unitId ? ` ${actor.unitId}` : ''})`);

export const stateText = (e: TimelineEntry, ctx: DomainContext): string => {
  const s = e.stateAfter;
  const parts = [`${s.status} ${STATUS_LABELS[s.status] ?? ''}`, `deadline ${localTime(s.deadline, ctx)}`];
  if (s.grade) parts.push(`grade ${gradeLabel(s.grade)}`);
  if (s.pendingExtension) parts.push('extension pending');
  if (s.supervisor.kind === 'inspection-office') parts.push('supervised by the inspection office (督查室)');
  return inline(parts.join(' · '));
};

export const timelineTable = (entries: readonly TimelineEntry[], ctx: DomainContext): string => {
  const t = table(['版本 Rev', '时间 When', '谁 Who', '事件 What', '之后状态 State after'], {
    rowLines: true,
  });
  for (const e of entries)
    t.push([
      e.revision,
      localTime(e.at, ctx),
      wrap(
        `${inline(e.actor.id)}\n${inline(ACTOR_LABELS[e.actor.kind] ?? e.actor.kind)}${e.actor.unitId ? ` ${inline(e.actor.unitId)}` : ''}`,
        26,
      ),
      wrap(`${eventLabel(e.type)}\n${inline(summarize(e.type, e.data))}`, 44),
      wrap(stateText(e, ctx), 34),
    ]);
  return t.toString();
};

/** One line saying what an event's data holds, for timelines. */
export const summarize = (type: string, data: unknown): string => {
  const d = (data ?? {}) as Record<string, unknown>;
  const s = (k: string) => (d[k] === undefined ? '' : String(d[k]));
  switch (type) {
    case 'TaskAssigned': {
      const duties = (d.coUnitDuties as Array<{ unitId: string; duty: string }> | undefined) ?? [];
      return `${s('title')} → lead ${s('leadUnit')}${(d.coUnits as string[] | undefined)?.length ? `, co ${(d.coUnits as string[]).join(', ')}` : ''}; deadline ${s('deadline')}${d.key ? '; key task (重点事项)' : ''}${d.project ? `; project ${s('project')} (重大专项)` : ''}${duties.map((x) => `; ${x.unitId}'s duty: ${x.duty}`).join('')}`;
    }
    case 'WorkPlanSubmitted': {
      const milestones = (d.milestones as Array<{ name: string; due: string }> | undefined) ?? [];
      return `version ${s('version')}${milestones.length ? `; milestones ${milestones.map((m) => `${m.name} due ${m.due}`).join(', ')}` : ''}`;
    }
    case 'ProgressReported': {
      const met = (d.milestonesMet as string[] | undefined) ?? [];
      return `${s('role')}${s('role') === 'co-unit' ? ` ${s('unitId')}` : ''} ${s('status')} ${s('percentComplete')}%: ${s('summary')}${d.difficulties ? `; difficulties: ${s('difficulties')}; proposals: ${s('proposals')}` : ''}${met.length ? `; milestones met: ${met.join(', ')}` : ''}`;
    }
    case 'NoticeResponded':
      return `${s('noticeNo')}: ${s('response')}`;
    case 'NoticeResponseMissed':
      return `${s('noticeNo')}: no reply by ${s('respondBy')}`;
    case 'DifficultyAnswered':
      return `to the difficulty reported at rev ${s('reportRevision')}: ${s('decision')}`;
    case 'ExtensionReplyOverdue':
      return `request of ${s('requestedAt')} unanswered by ${s('due')} (the office's delay)`;
    case 'TaskUrged':
      return `#${s('count')}: ${s('reason')}`;
    case 'WarningIssued':
      return `${s('level')}: ${s('reason')}`;
    case 'SupervisionNoticeIssued':
      return `${s('noticeNo')}: ${s('requirements')}${d.respondBy ? ` (reply by ${s('respondBy')})` : ''}`;
    case 'TaskEscalated':
      return `${s('reason')} (consent ${(d.consent as { ref?: string } | undefined)?.ref ?? ''})`;
    case 'ExtensionRequested':
      return `to ${s('requestedDeadline')}: ${s('reason')}`;
    case 'ExtensionApproved':
      return `${s('previousDeadline')} → ${s('newDeadline')}`;
    case 'ExtensionRejected':
      return `deadline stays ${s('deadline')}: ${s('reason')}`;
    case 'ClosureRequested':
      return s('summary');
    case 'ClosureReviewed':
      return `proposes ${s('proposedGrade')}: ${s('opinion')}`;
    case 'TaskClosed':
      return `grade ${s('grade')} (suggested ${s('suggestedGrade')}, proposed ${s('proposedGrade')})${d.justification ? `: ${s('justification')}` : ''}`;
    case 'ClosureRejected':
      return `at ${s('stage')}: ${s('reason')}`;
    case 'DeadlineApproaching':
      return `${s('deadline')}, ${s('workingDaysLeft')} working days left`;
    case 'DeadlineMissed':
      return s('deadline');
    case 'MilestoneMissed':
      return `${s('milestone')} due ${s('due')}`;
    case 'RectificationOpened':
      return `${s('rectificationId')}: ${s('problem')} (due ${s('dueBy')})`;
    case 'LookBackReviewed':
      return `${s('rectificationId')} ${s('result')}: ${s('findings')}`;
    case 'TaskRegraded':
      return `${s('from')} → ${s('to')}`;
    case 'RecognitionRecorded':
    case 'CriticismRecorded':
      return `${s('source')}: ${s('summary')}`;
    default:
      return (
        ['summary', 'reason', 'findings', 'description', 'deployment'].map(s).find((x) => x !== '') ?? ''
      );
  }
};

/** Wraps on width, counting CJK characters as two columns. */
export const wrap = (text: string, width: number): string => {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let cols = 0;
    for (const ch of paragraph) {
      const w =
        /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
          ch,
        )
          ? 2
          : 1;
      if (cols + w > width && line !== '') {
        const space = line.lastIndexOf(' ');
        if (space > width / 3) {
          out.push(line.slice(0, space));
          line = line.slice(space + 1);
          cols = [...line].length;
        } else {
          out.push(line);
          line = '';
          cols = 0;
        }
      }
      line += ch;
      cols += w;
    }
    out.push(line);
  }
  return out.join('\n');
};

const DUTY: Readonly<Record<DutyStatus | 'not-asked', string>> = {
  'met-on-time': 'met on time (按时)',
  'met-late': 'met late (逾期完成)',
  missed: 'MISSED (逾期未完成)',
  'not-yet-due': 'not yet due',
  'not-asked': 'no reply date set',
};

/** 办理情况: milestones, co-units' duties and reports, notices and replies, difficulties and answers. */
export const workLines = (work: TaskWork, names: UnitNames, ctx: DomainContext): string[] => {
  const out: string[] = ['Work on the task (办理情况)'];
  out.push('  Work plan milestones (工作矩阵图节点):');
  if (work.milestones.length === 0) out.push('    none dated');
  for (const m of work.milestones)
    out.push(
      `    ${inline(m.name)}: due ${localTime(m.due, ctx)} — ${DUTY[m.status]}${m.met ? `, reported ${localTime(m.met.at, ctx)} (rev ${m.met.revision})` : ''}`,
    );
  out.push('  Co-units (协办单位) — duty and reports:');
  if (work.coUnits.length === 0) out.push('    none');
  for (const c of work.coUnits) {
    out.push(
      `    ${unitLabel(c.unitId, names)}: ${c.duty === undefined ? 'no duty set' : `duty: ${inline(c.duty)}`}; ${c.reports.length === 0 ? 'no report' : `${c.reports.length} report${c.reports.length === 1 ? '' : 's'}`}`,
    );
    for (const r of c.reports)
      out.push(`      ${localTime(r.at, ctx)} (rev ${r.revision}) ${inline(r.summary)}`);
  }
  out.push('  Written notices (书面督办通知书) and replies:');
  if (work.notices.length === 0) out.push('    none');
  for (const n of work.notices)
    out.push(
      `    ${inline(n.noticeNo)} issued ${localTime(n.at, ctx)} (rev ${n.revision})${n.respondBy ? `, reply due ${localTime(n.respondBy, ctx)}` : ''}: ${DUTY[n.status]}${n.reply ? `; replied ${localTime(n.reply.at, ctx)} (rev ${n.reply.revision}): ${inline(n.reply.response)}` : ''}`,
    );
  out.push('  Difficulties reported (困难和问题) and the answers:');
  if (work.difficulties.length === 0) out.push('    none');
  for (const d of work.difficulties)
    out.push(
      `    ${localTime(d.at, ctx)} (rev ${d.revision}): ${inline(d.difficulties)}; proposed: ${inline(d.proposals)}`,
      `      ${d.answer ? `answered ${localTime(d.answer.at, ctx)} (rev ${d.answer.revision}): ${inline(d.answer.decision)}` : 'no answer from the office yet'}`,
    );
  return out;
};
