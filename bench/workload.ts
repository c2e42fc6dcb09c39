import { isLeft } from 'fp-ts/Either';
import {
  createCalendar,
  createTaskDecider,
  defaultContext,
  GRADES,
  suggestGrade,
  type Actor,
  type DomainContext,
  type Grade,
  type TaskCommand,
  type TaskCommandOf,
  type TaskCommandType,
  type TaskEvent,
  type TaskState,
} from '@duban/domain';
// The demo's workload generator: one seeded source of task plans for the demo and the benchmark.
import { createRandom } from '../packages/cli/src/simulation/prng';
import { drawDiligence, drawTaskPlans, type TaskPlan } from '../packages/cli/src/simulation/plans';
import { createRng, type Rng } from './prng';

/**
 * The benchmark's workload: a deterministic (seeded) supervision history of N tasks over M units. Which
 * tasks are handed out, when, to which lead unit and co-units, with what deadline, source and origin, is
 * drawn by the same seeded generator as `duban demo` (packages/cli/src/simulation/plans.ts); each task's
 * life then follows the seed's lifecycle — assign, accept, work plan, 4–6 feedback reports, some urges, warnings and
 * notices, extensions requested and approved or rejected, rectifications, deadline checks, closure
 * requested, reviewed (sometimes sent back), approved with a grade (justified when it differs from the
 * suggestion), and now and then recognition or criticism after closure. About 14 events a task.
 *
 * Every command runs through the Duban task decider while the workload is built, so the events are
 * exactly what the domain decides: every row of the benchmark folds the same valid history.
 */

export interface WorkloadOptions {
  readonly seed: number;
  /** Tasks to simulate; the global history is then cut at `maxEvents`. */
  readonly tasks: number;
  readonly units: number;
  /** Cut the global (time-ordered) history at a command boundary once this many events are reached. */
  readonly maxEvents?: number;
  /** Working days over which assignments are spread. */
  readonly spanWorkingDays?: number;
}

export interface WorkloadCommand {
  readonly commandId: string;
  readonly command: TaskCommand;
}

/**
 * `commandEvents`: the command path runs the commands of whole tasks (in global order) that decide about
 * this many events. All of it would take too long: Emmett's in-memory store recounts every stream on each
 * append (quadratic: hours for a million events), and even at 10k commands/s a million commands take
 * minutes per run. Every row of the command path runs the same slice.
 */
export const SIZES = {
  quick: {
    seed: 20220301,
    tasks: 3_900,
    units: 60,
    maxEvents: 50_000,
    spanWorkingDays: 120,
    commandEvents: 10_000,
  },
  full: {
    seed: 20220301,
    tasks: 76_000,
    units: 400,
    maxEvents: 1_000_000,
    spanWorkingDays: 480,
    commandEvents: 100_000,
  },
  /**
   * A province (省级) instead of a city: ~10M events, ~750k tasks over 1,500 units, the same span. Opt-in
   * (`tsx bench/run.ts province`), never in CI: only the `duban` binary's streaming rows run on it
   * (verify, replay, report), and only its envelopes are written (~9 GB).
   */
  province: {
    seed: 20220301,
    tasks: 760_000,
    units: 1_500,
    maxEvents: 10_000_000,
    spanWorkingDays: 480,
    commandEvents: 0,
    envelopesOnly: true,
  },
} as const satisfies Record<string, WorkloadOptions & { commandEvents: number; envelopesOnly?: boolean }>;
export type SizeName = keyof typeof SIZES;

const START_DATE = '2022-01-04'; // a Tuesday
const OFFSET_MS = 8 * 3_600_000; // China Standard Time, as the default calendar
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local midnight (in ms) of the first `count` working days from START_DATE. */
const workingDayStarts = (count: number): number[] => {
  const calendar = createCalendar();
  const out: number[] = [];
  for (let ms = Date.parse(`${START_DATE}T00:00:00.000+08:00`); out.length < count; ms += 86_400_000) {
    const d = new Date(ms + OFFSET_MS);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    if (calendar.isWorkingDay(date)) out.push(ms);
  }
  return out;
};

const formatLocal = (ms: number): string => {
  const d = new Date(ms + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00.000+08:00`
  );
};

const SUMMARIES = [
  '已召开专题会议研究部署，明确责任分工和时间节点',
  '完成现场踏勘和方案论证，正在组织实施',
  '主体工作已完成过半，剩余工作按计划推进',
  '已完成阶段性目标，正在开展验收准备',
  '各项措施落实到位，群众反映良好',
  '问题已整改，相关制度已建立',
] as const;

type DataOf<K extends TaskCommandType> = Omit<TaskCommandOf<K>['data'], 'taskId'>;

interface Step {
  readonly day: number;
  readonly minute: number;
  readonly seq: number;
  /** Builds the command from the state just before it (grades and deadlines depend on it). */
  readonly build: (state: TaskState, at: string) => TaskCommand;
}

interface Timed extends WorkloadCommand {
  readonly ms: number;
  readonly task: number;
  readonly n: number;
  readonly events: TaskEvent[];
}

/** Simulates one task's whole life through the decider; its commands come out in its own time order. */
const simulateTask = (
  index: number,
  plan: TaskPlan,
  rng: Rng,
  days: readonly number[],
  options: Required<Omit<WorkloadOptions, 'maxEvents'>>,
  ctx: DomainContext,
  decider: ReturnType<typeof createTaskDecider>,
): Timed[] => {
  const taskId = `T-${pad(index, 6)}`;
  const instant = (day: number, minute: number) => formatLocal(days[day]! + minute * 60_000);
  const a = plan.assignDay;
  const m0 = rng.int(540, 900); // 09:00–15:00
  const D = plan.deadlineDays;
  const major = D > 7;
  const deadline = instant(a + D, 1020); // 17:00 on the last day
  const origin = plan.originMain ? 'main-leader' : 'deputy-leader';
  const key = plan.key;
  const section = rng.int(1, 8);
  const sectionActor: Actor = { id: `clerk-${section}`, kind: 'section', unitId: `section-${section}` };
  const deputy: Actor = { id: `vice-mayor-${rng.int(1, 6)}`, kind: 'deputy-leader' };
  const mayor: Actor = { id: 'mayor', kind: 'main-leader' };
  const inspection: Actor = { id: `inspector-${rng.int(1, 3)}`, kind: 'inspection-office' };
  const system: Actor = { id: '13710-system', kind: 'system' };
  const supervisor = origin === 'main-leader' ? inspection : sectionActor;
  const approver = key || (origin === 'main-leader' && rng.chance(0.5)) ? mayor : deputy;
  const leadUnitId = plan.lead;
  const coUnits = [...plan.coUnits];
  const lead: Actor = { id: `head-${leadUnitId}`, kind: 'unit', unitId: leadUnitId };
  const year = 2022 + Math.floor(a / 250);

  const steps: Step[] = [];
  let seq = 0;
  const at = (day: number, minute: number, build: Step['build']) =>
    steps.push({ day, minute: Math.min(minute, 1079), seq: seq++, build });
  const command =
    <K extends TaskCommandType>(type: K, actor: Actor, data: DataOf<K>) =>
    (_s: TaskState, when: string): TaskCommand =>
      ({ type, actor, at: when, data: { taskId, ...data } }) as unknown as TaskCommand;

  // 立项交办
  at(
    a,
    m0,
    command('AssignTask', sectionActor, {
      title: `${plan.title}（${taskId}）`,
      source: plan.source,
      leadUnit: leadUnitId,
      coUnits,
      ...(coUnits.length > 0
        ? { coUnitDuties: coUnits.map((unitId) => ({ unitId, duty: '配合做好相关工作，按时报送配合情况' })) }
        : {}),
      deadline,
      approval: {
        ref: `CZ-GOV-${year}-${pad(index % 1000, 3)}`,
        by: origin === 'main-leader' ? 'mayor' : deputy.id,
      },
      origin: { kind: origin, leaderId: origin === 'main-leader' ? 'mayor' : deputy.id },
      sectionId: `section-${section}`,
      requirements: '按时保质完成，每周五反馈进展',
      ...(key ? { key: true } : {}),
    }),
  );
  // 签收
  const lateAccept = rng.chance(0.15);
  const acceptDay = lateAccept ? a + 1 : a;
  at(
    acceptDay,
    lateAccept ? rng.int(540, 700) : m0 + rng.int(20, 100),
    command('AcceptTask', lead, { deployment: '党组会研究部署，成立工作专班' }),
  );
  // 工作方案
  const planDay = acceptDay + 1 + (rng.chance(0.2) ? 1 : 0);
  const milestones =
    major && rng.chance(0.6)
      ? [
          {
            name: '完成方案论证',
            due: instant(planDay + Math.max(1, Math.floor((a + D - planDay) / 2)), 1020),
          },
          { name: '完成主体工作', due: deadline },
        ]
      : [];
  at(
    planDay,
    rng.int(540, 1000),
    command('SubmitWorkPlan', lead, {
      checklist: [
        { task: '制定实施方案', responsible: '分管副局长', measures: '专班推进、周调度', result: '按期完成' },
        { task: '组织实施', responsible: '业务科室', measures: '挂图作战', result: '群众满意' },
      ],
      matrix: {
        goals: [{ goal: '按期办结', indicator: '完成率', target: 100, unit: '%' }],
        initiatives: ['周调度', '现场督导'],
        policies: ['督办工作制度'],
      },
      milestones,
    }),
  );

  // When the lead unit applies for closure: mostly in time, sometimes late.
  const late = rng.chance(0.12);
  const c = late
    ? a + D + rng.int(1, 4)
    : Math.min(a + D, Math.max(planDay + 2, a + Math.round(D * (0.55 + 0.4 * rng.next()))));

  // 反馈: the first one on time (within 3 working days) or late; the rest spread until closure.
  const reports = rng.int(4, 6);
  const firstOnTime = rng.chance(0.85);
  const firstDay = firstOnTime ? acceptDay + 1 : Math.min(c - 1, a + rng.int(4, 6));
  const lastDay = Math.max(firstDay, c - 1);
  const reportDays = [firstDay];
  for (let k = 1; k < reports; k++) reportDays.push(rng.int(firstDay, lastDay));
  reportDays.sort((x, y) => x - y);
  const coReport = coUnits.length > 0 && rng.chance(0.3) ? rng.int(1, reports - 1) : -1;
  reportDays.forEach((day, k) => {
    const percent = Math.min(100, Math.round(((k + 1) / reports) * 90 + rng.int(0, 10)));
    if (k === coReport) {
      const co = coUnits[0]!;
      at(
        day,
        rng.int(540, 1050),
        command(
          'ReportProgress',
          { id: `head-${co}`, kind: 'unit', unitId: co },
          {
            status: 'on-track',
            summary: rng.pick(SUMMARIES),
            percentComplete: percent,
          },
        ),
      );
      return;
    }
    const difficulty = rng.chance(0.08);
    at(
      day,
      rng.int(540, 1050),
      command('ReportProgress', lead, {
        status: difficulty ? 'difficulty' : 'on-track',
        summary: rng.pick(SUMMARIES),
        percentComplete: percent,
        ...(difficulty
          ? { difficulties: '跨部门数据共享受阻，资金尚未到位', proposals: '提请分管领导召开协调会' }
          : {}),
      }),
    );
  });

  // 催办 and 预警, and now and then a written notice.
  const urgeFrom = a + 1;
  const urgeTo = Math.max(urgeFrom, c - 1);
  if (!firstOnTime)
    at(a + 3, rng.int(540, 1050), command('UrgeTask', supervisor, { reason: '未按时反馈办理情况' }));
  if (rng.chance(0.35))
    for (let k = rng.int(1, 2); k > 0; k--)
      at(
        rng.int(urgeFrom, urgeTo),
        rng.int(540, 1050),
        command('UrgeTask', supervisor, { reason: '进度滞后' }),
      );
  if (rng.chance(0.2))
    at(
      rng.int(urgeFrom, urgeTo),
      rng.int(540, 1050),
      command('IssueWarning', supervisor, {
        level: rng.chance(0.7) ? 'yellow' : 'red',
        reason: '进度明显滞后于工作方案',
      }),
    );
  if (rng.chance(0.05)) {
    const day = rng.int(urgeFrom, urgeTo);
    at(
      day,
      rng.int(540, 1000),
      command('IssueSupervisionNotice', supervisor, {
        noticeNo: `DB-${year}-${pad(index, 6)}`,
        requirements: '三日内书面报告整改情况',
        respondBy: instant(day + 3, 1020),
      }),
    );
  }

  // 延期: requested before the deadline, decided by the section the next working day.
  const extensionLast = Math.min(c - 2, a + D - 1);
  if (rng.chance(0.3) && extensionLast >= acceptDay + 1) {
    const e = rng.int(acceptDay + 1, extensionLast);
    const extra = rng.int(5, 15);
    at(
      e,
      rng.int(540, 1000),
      command('RequestExtension', lead, {
        requestedDeadline: instant(a + D + extra, 1020),
        reason: '受上级系统升级影响，需延期办理',
      }),
    );
    at(
      e + 1,
      rng.int(540, 1000),
      rng.chance(0.7)
        ? command('ApproveExtension', sectionActor, {
            leaderApproval: {
              ref: `领导批示-${pad(index, 6)}`,
              by: origin === 'main-leader' ? 'mayor' : deputy.id,
            },
          })
        : command('RejectExtension', sectionActor, { reason: '请按原定时限办结' }),
    );
  }

  // 问题整改: opened, planned, completed, looked back on (a failed look-back means another round).
  const failed = rng.chance(0.15);
  const rectLast = c - (failed ? 8 : 5);
  if (rng.chance(0.15) && rectLast >= acceptDay + 1) {
    const o = rng.int(acceptDay + 1, rectLast);
    const rectificationId = `R-${pad(index, 6)}-1`;
    at(
      o,
      rng.int(540, 1000),
      command('OpenRectification', supervisor, {
        rectificationId,
        problem: '窗口排队时间过长',
        source: rng.pick(['inspection', 'self-check', 'supervision'] as const),
        dueBy: instant(o + 5, 1020),
      }),
    );
    at(
      o + 1,
      600,
      command('SubmitRectificationPlan', lead, { rectificationId, measures: ['增设窗口', '推行预约办理'] }),
    );
    at(o + 2, 600, command('CompleteRectification', lead, { rectificationId, summary: '已增设两个窗口' }));
    at(
      o + 3,
      600,
      command('ReviewLookBack', supervisor, {
        rectificationId,
        result: failed ? 'failed' : 'passed',
        findings: failed ? '回头看发现问题反弹' : '整改到位，未见反弹',
      }),
    );
    if (failed) {
      at(
        o + 4,
        600,
        command('SubmitRectificationPlan', lead, { rectificationId, measures: ['建立长效机制'] }),
      );
      at(o + 5, 600, command('CompleteRectification', lead, { rectificationId, summary: '长效机制已建立' }));
      at(
        o + 6,
        600,
        command('ReviewLookBack', supervisor, { rectificationId, result: 'passed', findings: '再检查通过' }),
      );
    }
  }

  // The 13710 system's deadline sweep, now and then (turns due times into events).
  if (rng.chance(0.3)) at(rng.int(a + 2, c), 540, command('CheckDeadlines', system, {}));

  // 办结: request, review (sometimes sent back at review), approval with a grade.
  const closureAt = rng.int(600, 1000);
  at(
    c,
    closureAt,
    command('RequestClosure', lead, { summary: '各项任务已完成', results: '达到预期目标，群众满意' }),
  );
  const review = (s: TaskState, when: string): TaskCommand => {
    const suggested = suggestGrade(s, when, ctx).grade;
    const proposedGrade: Grade = rng.chance(0.75) ? suggested : rng.pick(GRADES);
    return command('ReviewClosure', sectionActor, { proposedGrade, opinion: '经初审，同意办结' })(s, when);
  };
  let reviewDay = c + 1;
  if (rng.chance(0.08)) {
    at(c + 1, rng.int(540, 1000), command('RejectClosure', sectionActor, { reason: '佐证材料不全，请补充' }));
    at(
      c + 3,
      rng.int(540, 1000),
      command('RequestClosure', lead, { summary: '已补充佐证材料', results: '达到预期目标' }),
    );
    reviewDay = c + 4;
  }
  at(reviewDay, rng.int(540, 1000), review);
  const approveDay = reviewDay + rng.int(1, 3);
  at(approveDay, rng.int(540, 1000), (s, when) => {
    const suggested = suggestGrade(s, when, ctx).grade;
    const differ = rng.chance(0.2);
    const grade: Grade = differ ? rng.pick(GRADES.filter((g) => g !== suggested)) : suggested;
    return command('ApproveClosure', approver, {
      grade,
      ...(differ ? { justification: '综合考虑工作难度和群众满意度' } : {}),
    })(s, when);
  });

  // After closure: facts that can still change the grade.
  if (rng.chance(0.04))
    at(
      approveDay + rng.int(3, 20),
      600,
      command('RecordRecognition', mayor, {
        recognitionId: `P-${pad(index, 6)}`,
        source: 'national-ministry',
        reference: '国家部委书面表扬',
        summary: '经验做法被推广',
      }),
    );
  if (rng.chance(0.02))
    at(
      approveDay + rng.int(3, 20),
      700,
      command('RecordCriticism', mayor, {
        criticismId: `C-${pad(index, 6)}`,
        source: 'meeting',
        reference: '市政府常务会议',
        summary: '会议点名批评',
      }),
    );

  steps.sort((x, y) => x.day - y.day || x.minute - y.minute || x.seq - y.seq);
  const state = decider.initialState();
  const out: Timed[] = [];
  steps.forEach((step, n) => {
    const when = instant(step.day, step.minute);
    const c = step.build(state, when);
    const decision = decider.decide(c, state);
    if (isLeft(decision))
      throw new Error(`workload bug: ${taskId} ${c.type} at ${when} rejected: ${decision.left.message}`);
    for (const e of decision.right) decider.apply(state, e);
    out.push({
      commandId: `cmd-${taskId}-${pad(n)}`,
      command: c,
      ms: Date.parse(when),
      task: index,
      n,
      events: decision.right,
    });
  });
  return out;
};

/**
 * The tasks, drawn by the demo's generator: the span cut into quarters of 60 working days, the units
 * `unit-001` …, as many tasks in each quarter (the last quarter's surplus dropped).
 */
const taskPlans = (options: WorkloadOptions, span: number): TaskPlan[] => {
  const rnd = createRandom(options.seed);
  const unitIds = Array.from({ length: options.units }, (_, i) => `unit-${pad(i + 1, 3)}`);
  const quarters = Array.from({ length: Math.ceil(span / 60) }, (_, q) => ({
    name: `${2022 + Math.floor(q / 4)}Q${(q % 4) + 1}`,
    days: Array.from({ length: Math.min(60, span - q * 60) }, (_, k) => q * 60 + k),
  }));
  return drawTaskPlans(rnd, {
    unitIds,
    diligence: drawDiligence(rnd, unitIds),
    quarters,
    tasks: Math.ceil(options.tasks / quarters.length),
    totalDays: span,
  }).slice(0, options.tasks);
};

/** One command of the workload with the events it decided, in global (business time) order. */
export interface WorkloadStep extends WorkloadCommand {
  readonly events: TaskEvent[];
  /** The command's task was assigned in the first tenth of the span: its history is written under schema v1. */
  readonly old: boolean;
}

/** Orders commands as the whole history does: business time, then task, then the task's own order. */
const before = (x: Timed, y: Timed): boolean =>
  x.ms < y.ms || (x.ms === y.ms && (x.task < y.task || (x.task === y.task && x.n < y.n)));

/** A binary min-heap of the simulated tasks' commands not yet emitted. */
const createHeap = () => {
  const items: Timed[] = [];
  return {
    get size() {
      return items.length;
    },
    peek: (): Timed | undefined => items[0],
    push(item: Timed) {
      let i = items.push(item) - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!before(items[i]!, items[parent]!)) break;
        [items[i], items[parent]] = [items[parent]!, items[i]!];
        i = parent;
      }
    },
    pop(): Timed {
      const top = items[0]!;
      const last = items.pop()!;
      if (items.length > 0) {
        items[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let least = i;
          if (l < items.length && before(items[l]!, items[least]!)) least = l;
          if (r < items.length && before(items[r]!, items[least]!)) least = r;
          if (least === i) break;
          [items[i], items[least]] = [items[least]!, items[i]!];
          i = least;
        }
      }
      return top;
    },
  };
};

/**
 * The workload one command at a time, in global order, cut at `maxEvents`, in memory that grows with
 * the tasks open at once rather than with the history (the province size has 10M events). Tasks are simulated in index order (the seeded draws stay the same), and their
 * assignment days never go back in index order, while a task's commands are never earlier than its
 * assignment day: so every pending command earlier than the next task's assignment day comes before
 * anything not yet simulated, and is emitted.
 */
export function* workloadSteps(options: WorkloadOptions): Generator<WorkloadStep> {
  const span = options.spanWorkingDays ?? 250;
  const days = workingDayStarts(span + 200);
  const ctx = defaultContext();
  const decider = createTaskDecider(ctx);
  const rng = createRng(options.seed);
  const plans = taskPlans(options, span);
  const oldBefore = days[Math.floor(span / 10)]!;
  const oldTasks = new Set<number>();
  const pending = createHeap();
  const max = options.maxEvents ?? Number.POSITIVE_INFINITY;
  let eventCount = 0;
  let lastAssignDay = 0;
  // Emits every pending command before `until`; false once the cut is reached.
  const emit = function* (until: number): Generator<WorkloadStep, boolean> {
    while (pending.size > 0 && pending.peek()!.ms < until) {
      const t = pending.pop();
      if (eventCount + t.events.length > max) return false;
      eventCount += t.events.length;
      yield { commandId: t.commandId, command: t.command, events: t.events, old: oldTasks.has(t.task) };
    }
    return true;
  };
  for (let i = 1; i <= options.tasks; i++) {
    const plan = plans[i - 1]!;
    if (plan.assignDay < lastAssignDay)
      throw new Error(`workload bug: task ${i} is assigned before task ${i - 1}; cannot stream`);
    lastAssignDay = plan.assignDay;
    if (!(yield* emit(days[plan.assignDay]!))) return;
    const timed = simulateTask(i, plan, rng, days, { ...options, spanWorkingDays: span }, ctx, decider);
    if (timed[0]!.ms < oldBefore) oldTasks.add(i);
    for (const t of timed) pending.push(t);
  }
  yield* emit(Number.POSITIVE_INFINITY);
}
