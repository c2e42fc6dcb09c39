import { isLeft } from 'fp-ts/Either';
import {
  defaultContext,
  dueTimes,
  suggestGrade,
  type Actor,
  type DomainContext,
  type Grade,
  type TaskSource,
  type DueTime,
  type TaskState,
  DEFAULT_SCORING_POLICY,
} from '@duban/domain';
import {
  comparePositions,
  createDeadlineSweeper,
  createEngine,
  supervisionProjection,
  unitScorecard,
  accountabilityFlags,
  type Engine,
  type EventStore,
  type Position,
  type SupervisionModel,
} from '@duban/engine';
import { createRandom, type Random } from './prng';
import { INSPECTION_OFFICE, MAYOR, PORTFOLIOS, SOURCES, TITLES, UNITS, unitActor } from './office';

/**
 * A deterministic simulation of a municipal government office (市政府办公室) running the seed's
 * work-implementation mechanism for some quarters: leaders' decisions from the eight sources become
 * tasks for lead units and co-units; units accept, plan, report (some late, some with difficulties);
 * sections and the inspection office urge, warn, send written notices and escalate; extensions are
 * granted and refused; closures are reviewed, approved or sent back; an inspection opens a
 * rectification that fails its first look-back; leaders praise and criticise; the deadline sweeper
 * runs every working morning; at each quarter's end the ranking is published with a commendation and
 * a criticism, and the bottom unit is interviewed the next quarter.
 *
 * Every decision comes from a seeded PRNG and every instant from the simulated calendar — never from
 * the system clock — so one seed always yields the same history, byte for byte. Units, tasks and
 * their stories are drawn first; then the office acts day by day through the engine, reading the
 * state back from the event log like any other client.
 */
export interface SimulationOptions {
  readonly store: EventStore;
  readonly ctx?: DomainContext;
  /** Number of units (departments and counties), at most the office's 25. */
  readonly units: number;
  /** Tasks assigned in each simulated quarter. */
  readonly tasks: number;
  readonly seed: string;
  /** The quarters simulated, in order, e.g. ['2021Q4', '2022Q1']. */
  readonly quarters: readonly string[];
  /** Called after each simulated day (for a progress bar). */
  readonly onDay?: (done: number, total: number) => void;
}

export interface Refusal {
  readonly commandId: string;
  readonly type: string;
  readonly code: string;
  readonly message: string;
}

export interface SimulationResult {
  readonly engine: Engine;
  readonly model: SupervisionModel;
  /** The end of the simulated period: the instant reports are read at. */
  readonly asOf: string;
  readonly tasks: number;
  readonly commands: number;
  /** Commands the rules refused: none, unless the simulation and the domain disagree. */
  readonly refusals: readonly Refusal[];
  readonly unitIds: readonly string[];
}

type Story =
  | 'extension-granted'
  | 'extension-refused'
  | 'sent-back-review'
  | 'sent-back-approval'
  | 'rectification'
  | 'recognition'
  | 'criticism'
  | 'escalation'
  | 'override';

interface Plan {
  readonly taskId: string;
  readonly quarter: number;
  readonly assignDay: number;
  readonly source: TaskSource;
  readonly title: string;
  readonly key: boolean;
  readonly originMain: boolean;
  readonly portfolio: (typeof PORTFOLIOS)[number];
  readonly lead: string;
  readonly coUnits: readonly string[];
  readonly deadlineDays: number;
  readonly diligence: number;
  readonly acceptDelay: number;
  readonly firstReportAfter: number;
  readonly reportEvery: number;
  readonly finishBias: number;
  readonly difficultyAt?: number;
  readonly stories: Set<Story>;
  // —— what happened so far, as the simulation sees it ——
  lastReportDay?: number;
  difficultyReported: boolean;
  contributed: Set<string>;
  retryClosureDay?: number;
  closedDay?: number;
  rectificationOpened: boolean;
  lookBackFailed: boolean;
  recognised: boolean;
  criticised: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local calendar dates of a quarter like 2022Q1: first and last. */
const quarterBounds = (quarter: string): [string, string] => {
  const m = /^(\d{4})Q([1-4])$/.exec(quarter);
  if (!m) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
  return [`${year}-${pad(q * 3 - 2)}-01`, `${year}-${pad(q * 3)}-${pad(last)}`];
};

const nextDate = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

export const simulateOffice = async (options: SimulationOptions): Promise<SimulationResult> => {
  const ctx = options.ctx ?? defaultContext();
  const calendar = ctx.calendar;
  const rnd = createRandom(options.seed);
  const engine = createEngine({ store: options.store, context: ctx });
  const sweeper = createDeadlineSweeper(engine);
  const offset = calendar.utcOffsetMinutes;
  const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;

  // —— the calendar of the simulation: every working day of the quarters ——
  const days: string[] = [];
  const quarterOfDay: number[] = [];
  options.quarters.forEach((quarter, qi) => {
    const [first, last] = quarterBounds(quarter);
    for (let d = first; d <= last; d = nextDate(d))
      if (calendar.isWorkingDay(d)) {
        days.push(d);
        quarterOfDay.push(qi);
      }
  });
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  /** Index of the working day of an instant (the next working day when it falls on a rest day), counting on past the period. */
  const indexOf = (instant: string): number => {
    let d = calendar.localDate(instant);
    const last = days[days.length - 1]!;
    if (d > last) return days.length - 1 + calendar.workingDaysBetween(`${last}T12:00:00${zone}`, instant);
    for (;;) {
      const i = dayIndex.get(d);
      if (i !== undefined) return i;
      d = nextDate(d);
    }
  };
  const at = (day: number, seconds: number): string => {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    return `${days[day]}T${pad(h)}:${pad(m)}:${pad(s)}${zone}`;
  };
  /** Same time of day `n` working days later, past the simulated period if need be. */
  const laterDay = (instant: string, n: number): string => calendar.addWorkingDays(instant, n);

  // —— the office: units with how diligent each is ——
  const unitCount = Math.max(2, Math.min(options.units, UNITS.length));
  const unitIds = rnd
    .shuffle(UNITS.map(([id]) => id))
    .slice(0, unitCount)
    .sort();
  const diligence = new Map(unitIds.map((u) => [u, 0.3 + 0.7 * rnd.next()]));

  // —— the tasks of each quarter, with their stories ——
  const plans: Plan[] = [];
  const counters = new Map<string, number>();
  options.quarters.forEach((quarter, qi) => {
    const qDays = days.map((_, i) => i).filter((i) => quarterOfDay[i] === qi);
    const window = qDays.slice(0, Math.max(1, Math.floor(qDays.length * 0.9)));
    const year = quarter.slice(0, 4);
    const sources = rnd.shuffle(SOURCES);
    const quarterPlans: Plan[] = [];
    for (let k = 0; k < options.tasks; k++) {
      const n = (counters.get(year) ?? 0) + 1;
      counters.set(year, n);
      const source = k < sources.length ? sources[k]! : rnd.pick(SOURCES);
      const titles = TITLES[source];
      const lead = rnd.pick(unitIds);
      const others = rnd.shuffle(unitIds.filter((u) => u !== lead));
      const d = diligence.get(lead)!;
      const key = rnd.chance(0.2);
      const major = key || rnd.chance(0.55);
      quarterPlans.push({
        taskId: `DB${year}-${pad(n, 3)}`,
        quarter: qi,
        assignDay: window[Math.floor((k * window.length) / options.tasks)]!,
        source,
        title: titles[(n - 1) % titles.length]!,
        key,
        originMain: key || rnd.chance(0.25),
        portfolio: rnd.pick(PORTFOLIOS),
        lead,
        coUnits: others.slice(0, rnd.int(0, Math.min(2, others.length))),
        deadlineDays: major ? rnd.int(12, 28) : rnd.int(5, 7),
        diligence: d,
        acceptDelay: rnd.chance(0.55 + 0.45 * d) ? 0 : rnd.chance(0.6) ? 1 : 2,
        firstReportAfter: rnd.chance(d) ? rnd.int(1, 2) : rnd.int(3, 5),
        reportEvery: d > 0.7 ? rnd.int(3, 4) : rnd.int(4, 7),
        finishBias: d > 0.75 ? rnd.int(-4, -1) : d > 0.5 ? rnd.int(-2, 0) : rnd.int(-1, 3),
        ...(rnd.chance(0.25) ? { difficultyAt: 0.3 + 0.3 * rnd.next() } : {}),
        stories: new Set(),
        difficultyReported: false,
        contributed: new Set(),
        rectificationOpened: false,
        lookBackFailed: false,
        recognised: false,
        criticised: false,
      });
    }
    allocateStories(quarterPlans, rnd, days.length);
    plans.push(...quarterPlans);
  });

  // —— executing commands and reading the log back ——
  const model = supervisionProjection.init();
  let checkpoint: Position | undefined;
  const catchUp = async () => {
    for await (const e of engine.readAll({ fromPosition: checkpoint ?? 'start' })) {
      if (checkpoint && e.position && comparePositions(e.position, checkpoint) <= 0) continue;
      supervisionProjection.apply(model, e);
      if (e.position) checkpoint = e.position;
    }
  };
  const refusals: Refusal[] = [];
  let commands = 0;
  let sequence = 0;
  const exec = async (type: string, data: Record<string, unknown>, actor: Actor, instant: string) => {
    commands += 1;
    const subject = (data.taskId ?? data.unitId) as string;
    const commandId = `demo:${subject}:${type}:${++sequence}`;
    const result = await engine.execute({ type, data }, { actor, at: instant, commandId });
    if (isLeft(result))
      refusals.push({ commandId, type, code: result.left.code, message: result.left.message });
  };

  /** A phase: actions decided on the state at its start, run at increasing times from `startSeconds`. */
  type Action = { run: (instant: string) => Promise<void> };
  const runPhase = async (day: number, startSeconds: number, actions: Action[]) => {
    const step = Math.max(1, Math.min(90, Math.floor(3000 / Math.max(1, actions.length))));
    for (let i = 0; i < actions.length; i++) await actions[i]!.run(at(day, startSeconds + i * step));
    await catchUp();
  };
  const act = (run: (instant: string) => Promise<void>): Action => ({ run });

  const supervisorOf = (s: TaskState, p: Plan): Actor =>
    s.supervisor.kind === 'inspection-office' ? INSPECTION_OFFICE : p.portfolio.section;
  const approverOf = (p: Plan): Actor => (p.key || p.originMain ? MAYOR : p.portfolio.deputy);
  const lastSupervision = (s: TaskState): string | undefined =>
    [...s.urges, ...s.warnings, ...s.notices, ...(s.escalation ? [s.escalation] : [])]
      .map((f) => f.at)
      .sort()
      .at(-1);
  const zhLabel = (d: DueTime): string => {
    switch (d.kind) {
      case 'deadline':
        return '办结期限';
      case 'plan-milestone':
        return `工作方案节点“${d.id.slice('plan:'.length)}”`;
      case 'report':
        return `第${d.id.slice('report-'.length)}次定期报告`;
      case 'notice-response':
        return `督办通知书${d.id.slice('notice:'.length)}回复`;
      case 'extension-reply':
        return '延期批复';
      case 'milestone':
        return ctx.profile.milestones.find((m) => m.id === d.id)?.label.zh ?? d.id;
    }
  };
  // Only the unit's own duties are urged; the office's (an extension reply) are the office's to keep.
  const outstanding = (s: TaskState, now: string) =>
    dueTimes(s, ctx).filter((d) => d.owner === 'unit' && !d.metBy && Date.parse(now) > Date.parse(d.due));
  const noticeNo = { n: 0 };
  const interviews = new Map<string, { unitId: string; day: number }>();

  for (let day = 0; day < days.length; day++) {
    const qi = quarterOfDay[day]!;
    const year = days[day]!.slice(0, 4);
    const lastOfQuarter = quarterOfDay[day + 1] !== qi;

    // 08:30 the 13710 system sweeps the deadlines.
    await sweeper.sweep(model, at(day, 8 * 3600 + 30 * 60));
    await catchUp();

    // 09:00 sections hand out the day's new tasks (立项交办).
    await runPhase(
      day,
      9 * 3600,
      plans
        .filter((p) => p.assignDay === day)
        .map((p) =>
          act(async (instant) => {
            const deadline = `${laterDay(instant, p.deadlineDays).slice(0, 10)}T17:00:00${zone}`;
            await exec(
              'AssignTask',
              {
                taskId: p.taskId,
                title: p.title,
                source: p.source,
                leadUnit: p.lead,
                coUnits: [...p.coUnits],
                ...(p.coUnits.length > 0
                  ? {
                      coUnitDuties: p.coUnits.map((unitId) => ({
                        unitId,
                        duty: '配合牵头单位落实相关工作，按期报送配合情况',
                      })),
                    }
                  : {}),
                deadline,
                approval: { ref: `长政办字〔${year}〕${Number(p.taskId.slice(-3))}号`, by: MAYOR.id },
                origin: p.originMain
                  ? { kind: 'main-leader', leaderId: MAYOR.id }
                  : { kind: 'deputy-leader', leaderId: p.portfolio.deputy.id },
                sectionId: p.portfolio.section.unitId!,
                requirements: '按“13710”要求办理：1天内研究部署，3天内反馈办理情况，每周报送进展',
                ...(p.key ? { key: true } : {}),
              },
              p.portfolio.section,
              instant,
            );
          }),
        ),
    );

    // 10:00 units work: accept, plan, report, ask for more time, apply for closure, rectify.
    const unitActions: Action[] = [];
    for (const p of plans) {
      const s = model.tasks[p.taskId];
      if (!s || s.status === 'none' || s.status === 'closed') continue;
      const lead = unitActor(p.lead);
      const deadlineDay = indexOf(s.deadline);
      if (s.status === 'assigned') {
        if (day >= p.assignDay + p.acceptDelay)
          unitActions.push(
            act((i) =>
              exec(
                'AcceptTask',
                { taskId: p.taskId, deployment: '召开党组会专题研究部署，明确分管领导和责任科室' },
                lead,
                i,
              ),
            ),
          );
        continue;
      }
      // Co-units contribute once, about halfway (协办单位积极配合).
      for (const co of p.coUnits)
        if (!p.contributed.has(co) && day >= Math.floor((p.assignDay + deadlineDay) / 2)) {
          p.contributed.add(co);
          unitActions.push(
            act((i) =>
              exec(
                'ReportProgress',
                {
                  taskId: p.taskId,
                  status: 'on-track',
                  summary: '按分工完成配合事项，已报牵头单位',
                  percentComplete: Math.min(100, 50 + rnd.int(0, 30)),
                },
                unitActor(co),
                i,
              ),
            ),
          );
        }
      if (s.status !== 'in-progress') continue;
      const silent = p.stories.has('escalation') && !s.escalation;
      const rect = s.rectifications.find((r) => r.status !== 'passed');
      if (rect) {
        // 问题整改: a plan the next day, done two days after the plan.
        const since = indexOf((rect.completed ?? rect.opened).at);
        if (
          (rect.status === 'open' || rect.status === 'failed') &&
          day > indexOf(rect.lookBacks.at(-1)?.at ?? rect.opened.at)
        )
          unitActions.push(
            act((i) =>
              exec(
                'SubmitRectificationPlan',
                {
                  taskId: p.taskId,
                  rectificationId: rect.id,
                  measures: ['增设服务窗口两个', '实行预约办理和延时服务', '每周通报排队时长'],
                },
                lead,
                i,
              ),
            ),
          );
        else if (rect.status === 'planned' && day >= since + 2)
          unitActions.push(
            act((i) =>
              exec(
                'CompleteRectification',
                {
                  taskId: p.taskId,
                  rectificationId: rect.id,
                  summary: '整改措施全部落实，排队时长降至15分钟以内',
                },
                lead,
                i,
              ),
            ),
          );
        continue;
      }
      if (
        !s.workPlan &&
        !silent &&
        day >= indexOf(s.accepted!.at) + (p.diligence > 0.6 ? 0 : 1) &&
        day > p.assignDay
      ) {
        const planAt = at(day, 10 * 3600);
        const span = Math.max(2, deadlineDay - day);
        const milestones =
          s.complexity === 'major' && (p.diligence > 0.4 || p.key)
            ? [
                {
                  name: '完成方案制定和任务分解',
                  due: `${laterDay(planAt, Math.max(1, Math.floor(span / 3))).slice(0, 10)}T17:00:00${zone}`,
                },
                {
                  name: '主体任务完成，进入验收',
                  due: `${laterDay(planAt, Math.max(2, Math.floor((2 * span) / 3))).slice(0, 10)}T17:00:00${zone}`,
                },
              ].filter((m) => Date.parse(m.due) < Date.parse(s.deadline))
            : [];
        unitActions.push(
          act((i) =>
            exec(
              'SubmitWorkPlan',
              {
                taskId: p.taskId,
                checklist: [
                  {
                    task: p.title,
                    responsible: '分管副局长',
                    measures: '成立工作专班，倒排工期',
                    result: '按期办结',
                  },
                  {
                    task: '协调配合单位',
                    responsible: '办公室主任',
                    measures: '每周调度会',
                    result: '问题清零',
                  },
                ],
                matrix: {
                  goals: [{ goal: '按期完成', indicator: '完成率', target: 100, unit: '%' }],
                  initiatives: ['建立周调度、月通报机制'],
                  policies: ['工作专班制度', '限时办结制度'],
                },
                milestones: milestones.filter((m) => Date.parse(m.due) > Date.parse(i)),
              },
              lead,
              i,
            ),
          ),
        );
        continue;
      }
      // Extension story: ask three working days before the deadline (须在规定时限内提出).
      const wantsExtension =
        (p.stories.has('extension-granted') || p.stories.has('extension-refused')) &&
        s.extensions.length === 0 &&
        day < deadlineDay;
      if (wantsExtension && !s.pendingExtension && day >= deadlineDay - 3 && day < deadlineDay) {
        unitActions.push(
          act((i) =>
            exec(
              'RequestExtension',
              {
                taskId: p.taskId,
                requestedDeadline: `${laterDay(s.deadline, 10).slice(0, 10)}T17:00:00${zone}`,
                reason: '省级审批系统升级，项目核准延后，需顺延办理时限',
              },
              lead,
              i,
            ),
          ),
        );
        continue;
      }
      // Closure (办结申请) when the work is done and no rectification is open.
      const finishDay =
        p.retryClosureDay ??
        (s.extensions.some((e) => e.outcome === 'rejected')
          ? deadlineDay
          : deadlineDay + (s.extensions.length > 0 ? Math.min(0, p.finishBias) : p.finishBias)) +
          (p.stories.has('escalation') ? 2 : 0);
      const readyFor = Math.max(
        finishDay,
        indexOf(s.accepted!.at) + 2,
        s.firstLeadReport ? 0 : Number.POSITIVE_INFINITY,
      );
      if (
        !s.pendingExtension &&
        !wantsExtension &&
        day >= readyFor &&
        (!p.stories.has('rectification') || p.rectificationOpened)
      ) {
        unitActions.push(
          act((i) =>
            exec(
              'RequestClosure',
              {
                taskId: p.taskId,
                summary: '各项任务已按工作矩阵图完成',
                results: '目标任务全部完成，台账资料齐全',
                evidence: ['验收报告', '工作台账'],
              },
              lead,
              i,
            ),
          ),
        );
        p.retryClosureDay = undefined;
        continue;
      }
      // Progress reports (反馈): the first by `firstReportAfter`, then regularly, and after being urged.
      const lastReport = s.lastLeadReport ? indexOf(s.lastLeadReport.at) : undefined;
      const supervised = lastSupervision(s);
      const urgedSinceReport =
        supervised !== undefined && (!s.lastLeadReport || supervised > s.lastLeadReport.at);
      const due =
        !silent &&
        (lastReport === undefined
          ? day >= p.assignDay + p.firstReportAfter || (urgedSinceReport && rnd.chance(0.5 + p.diligence / 2))
          : day >= lastReport + p.reportEvery || (urgedSinceReport && day > lastReport));
      if (due && lastReport !== day) {
        const span = Math.max(1, finishDay - p.assignDay);
        const pct = Math.max(s.percentComplete, Math.min(95, Math.round((100 * (day - p.assignDay)) / span)));
        const difficulty =
          p.difficultyAt !== undefined && !p.difficultyReported && pct >= p.difficultyAt * 100;
        if (difficulty) p.difficultyReported = true;
        unitActions.push(
          act((i) =>
            exec(
              'ReportProgress',
              difficulty
                ? {
                    taskId: p.taskId,
                    status: 'difficulty',
                    summary: '推进中遇到跨部门协调困难',
                    percentComplete: pct,
                    difficulties: '用地指标和资金配套未落实，需市级层面协调',
                    proposals: '建议由分管副市长召开专题会议协调相关部门',
                  }
                : {
                    taskId: p.taskId,
                    status: 'on-track',
                    summary: `按计划推进，完成${pct}%`,
                    percentComplete: pct,
                  },
              lead,
              i,
            ),
          ),
        );
      }
    }
    await runPhase(day, 10 * 3600, unitActions);

    // 16:00 sections and the inspection office supervise (督办), review and decide.
    const supervisorActions: Action[] = [];
    for (const p of plans) {
      const s = model.tasks[p.taskId];
      if (!s || s.status === 'none') continue;
      const section = p.portfolio.section;
      const now = at(day, 16 * 3600);
      if (s.status === 'closed') {
        if (p.stories.has('criticism') && !p.criticised && day >= indexOf(s.closed!.at) + 3) {
          p.criticised = true;
          supervisorActions.push(
            act((i) =>
              exec(
                'RecordCriticism',
                {
                  taskId: p.taskId,
                  criticismId: `PP-${p.taskId}`,
                  source: 'meeting',
                  reference: `市政府常务会议纪要〔${year}〕${rnd.int(3, 30)}号`,
                  summary: '群众反映问题反弹，在常务会议上被点名批评',
                },
                MAYOR,
                i,
              ),
            ),
          );
        }
        continue;
      }
      if (s.pendingExtension && indexOf(s.pendingExtension.at) < day) {
        supervisorActions.push(
          act((i) =>
            p.stories.has('extension-granted')
              ? exec(
                  'ApproveExtension',
                  {
                    taskId: p.taskId,
                    leaderApproval: {
                      ref: `分管副市长批示同意延期（${days[day]}）`,
                      by: p.originMain ? MAYOR.id : p.portfolio.deputy.id,
                    },
                  },
                  section,
                  i,
                )
              : exec(
                  'RejectExtension',
                  { taskId: p.taskId, reason: '延期理由不充分，请按原定期限办结' },
                  section,
                  i,
                ),
          ),
        );
        continue;
      }
      if (s.status === 'closure-requested' && indexOf(s.closureRequest!.at) < day) {
        if (p.stories.has('sent-back-review') && s.closureRejections.length === 0) {
          p.retryClosureDay = day + 2;
          supervisorActions.push(
            act((i) =>
              exec(
                'RejectClosure',
                { taskId: p.taskId, reason: '两个县区尚未覆盖，佐证材料不全，继续跟进督办' },
                section,
                i,
              ),
            ),
          );
        } else
          supervisorActions.push(
            act((i) =>
              exec(
                'ReviewClosure',
                {
                  taskId: p.taskId,
                  proposedGrade: suggestGrade(s, i, ctx).grade,
                  opinion: '经初审，目标任务基本完成，材料齐全',
                },
                section,
                i,
              ),
            ),
          );
        continue;
      }
      if (s.status !== 'in-progress' && s.status !== 'assigned') continue;
      const supervisor = supervisorOf(s, p);
      // Inspection story: the inspection office finds a problem and opens a rectification (问题整改).
      if (
        p.stories.has('rectification') &&
        !p.rectificationOpened &&
        s.status === 'in-progress' &&
        day >= indexOf(s.accepted!.at) + 2
      ) {
        p.rectificationOpened = true;
        supervisorActions.push(
          act((i) =>
            exec(
              'OpenRectification',
              {
                taskId: p.taskId,
                rectificationId: `ZG-${p.taskId}`,
                problem: '明察暗访发现政务大厅窗口排队时间过长',
                source: 'inspection',
                dueBy: `${laterDay(i, 6).slice(0, 10)}T17:00:00${zone}`,
              },
              INSPECTION_OFFICE,
              i,
            ),
          ),
        );
        continue;
      }
      const completed = s.rectifications.find(
        (r) => r.status === 'completed' && r.completed && day >= indexOf(r.completed.at) + 2,
      );
      if (completed) {
        const fail = !p.lookBackFailed;
        p.lookBackFailed = true;
        supervisorActions.push(
          act((i) =>
            exec(
              'ReviewLookBack',
              {
                taskId: p.taskId,
                rectificationId: completed.id,
                result: fail ? 'failed' : 'passed',
                findings: fail ? '回头看发现高峰时段排队问题反弹' : '再检查未发现排队问题，整改到位',
              },
              INSPECTION_OFFICE,
              i,
            ),
          ),
        );
        continue;
      }
      // Recognition story: the mayor's written approval of the unit's work (主要领导批示肯定).
      if (p.stories.has('recognition') && !p.recognised && s.percentComplete >= 40) {
        p.recognised = true;
        supervisorActions.push(
          act((i) =>
            exec(
              'RecordRecognition',
              {
                taskId: p.taskId,
                recognitionId: `PS-${p.taskId}`,
                source: 'municipal-government-leader',
                reference: `市长批示（${days[day]}）`,
                summary: '工作扎实、成效明显，请总结经验全市推广',
              },
              MAYOR,
              i,
            ),
          ),
        );
        continue;
      }
      // The supervision ladder (催办 → 预警 → 书面督办通知书 → 督查室立项督办), while a time limit stands missed.
      const missed = outstanding(s, now);
      const last = lastSupervision(s);
      if (missed.length > 0 && (last === undefined || day >= indexOf(last) + 2)) {
        const deadlineMissed = missed.some((d) => d.kind === 'deadline');
        // The office writes in Chinese: each limit by its Chinese name, not the engine's English label.
        const reason = `${missed.map((d) => zhLabel(d)).join('；')}已超时`;
        if (s.urges.length < 2)
          supervisorActions.push(
            act((i) => exec('UrgeTask', { taskId: p.taskId, reason: `催办：${reason}` }, supervisor, i)),
          );
        else if (s.warnings.length === 0 || (deadlineMissed && !s.warnings.some((w) => w.level === 'red')))
          supervisorActions.push(
            act((i) =>
              exec(
                'IssueWarning',
                { taskId: p.taskId, level: deadlineMissed ? 'red' : 'yellow', reason: `推进滞后：${reason}` },
                supervisor,
                i,
              ),
            ),
          );
        else if (s.notices.length === 0) {
          const no = ++noticeNo.n;
          supervisorActions.push(
            act((i) =>
              exec(
                'IssueSupervisionNotice',
                {
                  taskId: p.taskId,
                  noticeNo: `长政办督〔${year}〕${no}号`,
                  requirements: '请于3个工作日内书面报告落实情况和整改措施',
                  respondBy: `${laterDay(i, 3).slice(0, 10)}T17:00:00${zone}`,
                },
                supervisor,
                i,
              ),
            ),
          );
        } else if (s.supervisor.kind === 'section' && p.stories.has('escalation'))
          supervisorActions.push(
            act((i) =>
              exec(
                'EscalateTask',
                {
                  taskId: p.taskId,
                  reason: '多次催办、书面督办后仍未落实（督办未果）',
                  consent: { ref: `市长同意督查室立项督办（${days[day]}）`, by: MAYOR.id },
                },
                section,
                i,
              ),
            ),
          );
        else
          supervisorActions.push(
            act((i) => exec('UrgeTask', { taskId: p.taskId, reason: `再次催办：${reason}` }, supervisor, i)),
          );
        continue;
      }
      // An early yellow warning when the deadline nears and the work lags (亮黄灯).
      if (s.signalled.approaching.includes(s.deadline) && s.percentComplete < 60 && s.warnings.length === 0)
        supervisorActions.push(
          act((i) =>
            exec(
              'IssueWarning',
              { taskId: p.taskId, level: 'yellow', reason: '临近办结期限，完成进度不足六成' },
              supervisor,
              i,
            ),
          ),
        );
    }
    // Unit records: key inspections, interviews (约谈) with the unit ranked last the quarter before.
    const qStart = days.findIndex((_, i) => quarterOfDay[i] === qi);
    if (day === qStart + Math.floor((days.filter((_, i) => quarterOfDay[i] === qi).length * 9) / 20)) {
      const now = at(day, 16 * 3600);
      const late = new Map<string, string[]>();
      for (const p of plans) {
        const s = model.tasks[p.taskId];
        if (s && s.status !== 'closed' && s.status !== 'none' && outstanding(s, now).length > 0)
          late.set(p.lead, [...(late.get(p.lead) ?? []), p.taskId]);
      }
      const [unitId, taskIds] = [...late.entries()].sort(
        (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
      )[0] ?? [rnd.pick(unitIds), []];
      supervisorActions.push(
        act((i) =>
          exec(
            'RecordInspection',
            {
              unitId,
              inspectionId: `DC-${year}-${qi + 1}`,
              approval: { ref: `市长批准派出督查组（${days[day]}）`, by: MAYOR.id },
              methods: rnd
                .shuffle([
                  'hear-reports',
                  'review-documents',
                  'on-site-supervision',
                  'interviews-and-visits',
                  'questionnaires',
                  'unannounced-visits',
                ])
                .slice(0, 3),
              findings:
                taskIds.length > 0
                  ? `${taskIds.length}项任务超过时限未落实，台账更新不及时`
                  : '重点任务推进总体有序，个别台账不完整',
              opinion: '限期补齐短板，每周向督查室报送进展',
              taskIds,
            },
            INSPECTION_OFFICE,
            i,
          ),
        ),
      );
    }
    if (qi > 0 && day === qStart + 3) {
      const previous = unitScorecard(model, options.quarters[qi - 1]!, DEFAULT_SCORING_POLICY, ctx);
      const bottom = previous.at(-1);
      if (bottom) {
        interviews.set(`YT-${options.quarters[qi - 1]}`, { unitId: bottom.unitId, day: day + 2 });
        supervisorActions.push(
          act((i) =>
            exec(
              'ScheduleInterview',
              {
                unitId: bottom.unitId,
                interviewId: `YT-${options.quarters[qi - 1]}`,
                interviewee: 'principal',
                reason: `${options.quarters[qi - 1]}抓落实评分排名末位`,
                scheduledFor: `${laterDay(i, 2).slice(0, 10)}T10:00:00${zone}`,
              },
              MAYOR,
              i,
            ),
          ),
        );
      }
    }
    for (const [interviewId, interview] of interviews)
      if (day >= interview.day) {
        interviews.delete(interviewId);
        supervisorActions.push(
          act((i) =>
            exec(
              'RecordInterview',
              {
                unitId: interview.unitId,
                interviewId,
                summary: '市长约谈主要负责人，听取情况说明，提出限期整改要求',
              },
              MAYOR,
              i,
            ),
          ),
        );
      }
    await runPhase(day, 16 * 3600, supervisorActions);

    // 17:00 leaders approve closures (审定办结) or send them back.
    const leaderActions: Action[] = [];
    for (const p of plans) {
      const s = model.tasks[p.taskId];
      if (!s || s.status !== 'closure-reviewed' || indexOf(s.closureReview!.at) >= day) continue;
      const approver = approverOf(p);
      if (p.stories.has('sent-back-approval') && s.closureRejections.length === 0) {
        p.retryClosureDay = day + 2;
        leaderActions.push(
          act((i) =>
            exec(
              'RejectClosure',
              { taskId: p.taskId, reason: '成效尚未显现，暂不同意办结，继续跟踪督办' },
              approver,
              i,
            ),
          ),
        );
        continue;
      }
      leaderActions.push(
        act(async (i) => {
          const suggested = suggestGrade(s, i, ctx).grade;
          const overridden: Grade | undefined = p.stories.has('override')
            ? suggested === 'poor'
              ? 'basic'
              : suggested === 'basic'
                ? 'good'
                : undefined
            : undefined;
          await exec(
            'ApproveClosure',
            overridden
              ? {
                  taskId: p.taskId,
                  grade: overridden,
                  justification: '逾期系省级审批延迟等客观原因，已按程序报告并经市政府领导认可',
                }
              : { taskId: p.taskId, grade: suggested },
            approver,
            i,
          );
          p.closedDay = day;
        }),
      );
    }
    await runPhase(day, 17 * 3600, leaderActions);

    // 18:00 on the quarter's last working day: the ranking is published (通报表扬 / 通报批评).
    if (lastOfQuarter) {
      const quarter = options.quarters[qi]!;
      const ranking = unitScorecard(model, quarter, DEFAULT_SCORING_POLICY, ctx);
      const actions: Action[] = [];
      const top = ranking[0];
      const bottom = ranking.length > 1 ? ranking.at(-1) : undefined;
      if (top)
        actions.push(
          act((i) =>
            exec(
              'PublishCommendation',
              {
                unitId: top.unitId,
                commendationId: `TB-${quarter}`,
                reason: `${quarter}抓落实评分排名第一，予以通报表扬`,
              },
              MAYOR,
              i,
            ),
          ),
        );
      if (bottom && bottom.score < DEFAULT_SCORING_POLICY.gradePoints.basic)
        actions.push(
          act((i) =>
            exec(
              'PublishCriticism',
              {
                unitId: bottom.unitId,
                criticismId: `TP-${quarter}`,
                reason: `${quarter}抓落实评分排名末位、落实不力，予以通报批评`,
              },
              MAYOR,
              i,
            ),
          ),
        );
      if (qi === options.quarters.length - 1)
        for (const flag of accountabilityFlags(model, quarter, DEFAULT_SCORING_POLICY, ctx).filter(
          (f) => f.action === 'referral',
        ))
          actions.push(
            act((i) =>
              exec(
                'ReferToDiscipline',
                {
                  unitId: flag.unitId,
                  referralId: `YJ-${quarter}-${flag.reason}`,
                  to: 'discipline-inspection',
                  reason: flag.text,
                  approval: { ref: `长政办字〔${quarter.slice(0, 4)}〕问责${qi + 1}号`, by: MAYOR.id },
                  // Every flag names its evidence: the interviews, the graded events, the missed deadlines.
                  evidence: flag.evidence.map((e) => ({
                    streamId: e.streamId,
                    revision: e.revision,
                    type: e.type,
                  })),
                },
                MAYOR,
                i,
              ),
            ),
          );
      await runPhase(day, 18 * 3600, actions);
    }
    options.onDay?.(day + 1, days.length);
  }

  return {
    engine,
    model,
    asOf: at(days.length - 1, 18 * 3600 + 30 * 60),
    tasks: plans.length,
    commands,
    refusals,
    unitIds,
  };
};

/** Gives some tasks of a quarter the stories the demo must show, on tasks that can carry them. */
const allocateStories = (plans: Plan[], rnd: Random, totalDays: number) => {
  const free = rnd.shuffle(plans);
  const take = (story: Story, fits: (p: Plan) => boolean) => {
    const i = free.findIndex((p) => fits(p) && p.assignDay + p.deadlineDays + 12 < totalDays);
    const j = i >= 0 ? i : free.findIndex(fits);
    if (j < 0) return;
    free[j]!.stories.add(story);
    free.splice(j, 1);
  };
  take('escalation', (p) => !p.originMain && !p.key && p.deadlineDays >= 12);
  take('extension-granted', (p) => p.deadlineDays >= 12);
  take('extension-refused', (p) => p.deadlineDays >= 12);
  take('rectification', (p) => p.deadlineDays >= 10);
  take('recognition', (p) => p.diligence > 0.6);
  take('sent-back-review', () => true);
  take('sent-back-approval', () => true);
  take('criticism', (p) => p.diligence < 0.7);
  take('override', (p) => p.finishBias > 0);
};
