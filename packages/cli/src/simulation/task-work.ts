import type { TaskState } from '@duban/domain';
import type { Clock } from './clock';
import { unitActor } from './office';
import type { Random } from './prng';
import { act, type Action, type Runner } from './run';
import { lastSupervision, type Plan } from './task-view';

/**
 * The units' working day (10:00), task by task: the lead unit signs for a task (签收), submits its work
 * plan with dated milestones (工作矩阵图), reports progress — naming milestones met, reporting a
 * difficulty when it meets one — replies to a written notice, asks for more time, rectifies what an
 * inspection found, and applies for closure (sometimes only in part, explained); co-units report on
 * their own part (or fail to). Each unit acts once a day on a task, as its plan and diligence say.
 */
export const taskWorkActions = (
  run: Runner,
  clock: Clock,
  rnd: Random,
  plans: readonly Plan[],
  day: number,
): Action[] => {
  const actions: Action[] = [];
  const exec = run.exec;
  for (const p of plans) {
    const s = run.model.tasks[p.taskId];
    if (!s || s.status === 'none' || s.status === 'closed') continue;
    const lead = unitActor(p.lead);
    const deadlineDay = clock.indexOf(s.deadline);
    actions.push(...coUnitReports(run, p, day, deadlineDay, rnd));
    if (s.status === 'assigned') {
      if (day >= p.assignDay + p.acceptDelay)
        actions.push(
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
    const silent = p.stories.has('escalation') && !s.escalation;
    // 书面督办通知书: the lead unit replies the day after, unless it lets the notice lie (督办未果, escalated).
    const notice = s.notices.find(
      (n) =>
        !n.responded &&
        n.respondBy &&
        clock.indexOf(n.at) < day &&
        Date.parse(clock.at(day, 10 * 3600)) < Date.parse(n.respondBy),
    );
    if (notice && p.answersNotices && !p.stories.has('escalation')) {
      actions.push(
        act((i) =>
          exec(
            'RespondToNotice',
            {
              taskId: p.taskId,
              noticeNo: notice.noticeNo,
              response: '已召开专题会议研究整改，明确责任人和完成时限，落实情况附后',
            },
            lead,
            i,
          ),
        ),
      );
      continue;
    }
    if (s.status !== 'in-progress') continue;
    const rectification = rectify(run, p, s, day, clock);
    if (rectification !== undefined) {
      if (rectification) actions.push(rectification);
      continue;
    }
    if (
      !s.workPlan &&
      !silent &&
      day >= clock.indexOf(s.accepted!.at) + (p.diligence > 0.6 ? 0 : 1) &&
      day > p.assignDay
    ) {
      actions.push(workPlan(run, clock, p, s, day, deadlineDay));
      continue;
    }
    // Extension story: ask three working days before the deadline (须在规定时限内提出).
    const wantsExtension =
      (p.stories.has('extension-granted') || p.stories.has('extension-refused')) &&
      s.extensions.length === 0 &&
      day < deadlineDay;
    if (wantsExtension && !s.pendingExtension && day >= deadlineDay - 3) {
      actions.push(
        act((i) =>
          exec(
            'RequestExtension',
            {
              taskId: p.taskId,
              requestedDeadline: clock.dueAfter(s.deadline, 10),
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
      clock.indexOf(s.accepted!.at) + 2,
      s.firstLeadReport ? 0 : Number.POSITIVE_INFINITY,
    );
    if (
      !s.pendingExtension &&
      !wantsExtension &&
      day >= readyFor &&
      (!p.stories.has('rectification') || p.rectificationOpened)
    ) {
      // Partial story: one part waits on the province; the unit says so (基本落实, 客观原因).
      const partial = p.stories.has('partial');
      actions.push(
        act((i) =>
          exec(
            'RequestClosure',
            {
              taskId: p.taskId,
              summary: partial ? '主体任务已完成，省级平台对接部分尚未完成' : '各项任务已按工作矩阵图完成',
              results: partial
                ? '主体目标完成，剩余部分待省级平台上线后完成'
                : '目标任务全部完成，台账资料齐全',
              evidence: ['验收报告', '工作台账'],
              ...(partial
                ? { partial: { explanation: '省级政务服务平台接口尚未开放，系客观原因，已报分管副市长同意' } }
                : {}),
            },
            lead,
            i,
          ),
        ),
      );
      p.retryClosureDay = undefined;
      continue;
    }
    const report = progressReport(run, clock, rnd, p, s, day, finishDay, silent);
    if (report) actions.push(report);
  }
  return actions;
};

/** Co-units report on their part: the day after assignment, or only at the deadline, or never (then graded poor). */
const coUnitReports = (run: Runner, p: Plan, day: number, deadlineDay: number, rnd: Random): Action[] =>
  p.coUnits
    .filter((co) => {
      if (p.contributed.has(co)) return false;
      const habit = p.coUnitHabits[co];
      const when = habit === 'prompt' ? p.assignDay + 1 : habit === 'at-deadline' ? deadlineDay : undefined;
      if (when === undefined || day < when) return false;
      p.contributed.add(co);
      return true;
    })
    .map((co) =>
      act((i) =>
        run.exec(
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

/** 问题整改: a plan the next day, done two days after the plan. `null`: busy rectifying, nothing today. */
const rectify = (
  run: Runner,
  p: Plan,
  s: TaskState,
  day: number,
  clock: Clock,
): Action | null | undefined => {
  const rect = s.rectifications.find((r) => r.status !== 'passed');
  if (!rect) return undefined;
  const lead = unitActor(p.lead);
  const since = clock.indexOf((rect.completed ?? rect.opened).at);
  if (
    (rect.status === 'open' || rect.status === 'failed') &&
    day > clock.indexOf(rect.lookBacks.at(-1)?.at ?? rect.opened.at)
  )
    return act((i) =>
      run.exec(
        'SubmitRectificationPlan',
        {
          taskId: p.taskId,
          rectificationId: rect.id,
          measures: ['增设服务窗口两个', '实行预约办理和延时服务', '每周通报排队时长'],
        },
        lead,
        i,
      ),
    );
  if (rect.status === 'planned' && day >= since + 2)
    return act((i) =>
      run.exec(
        'CompleteRectification',
        { taskId: p.taskId, rectificationId: rect.id, summary: '整改措施全部落实，排队时长降至15分钟以内' },
        lead,
        i,
      ),
    );
  return null;
};

/** 四合一清单 + 工作矩阵图: a major item's plan carries two dated milestones, on working days before the deadline. */
const workPlan = (
  run: Runner,
  clock: Clock,
  p: Plan,
  s: TaskState,
  day: number,
  deadlineDay: number,
): Action => {
  const planAt = clock.at(day, 10 * 3600);
  const span = Math.max(2, deadlineDay - day);
  const milestones =
    s.complexity === 'major' && (p.diligence > 0.4 || p.key)
      ? [
          { name: '完成方案制定和任务分解', due: clock.dueAfter(planAt, Math.max(1, Math.floor(span / 3))) },
          {
            name: '主体任务完成，进入验收',
            due: clock.dueAfter(planAt, Math.max(2, Math.floor((2 * span) / 3))),
          },
        ].filter((m) => Date.parse(m.due) < Date.parse(s.deadline))
      : [];
  return act((i) =>
    run.exec(
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
          { task: '协调配合单位', responsible: '办公室主任', measures: '每周调度会', result: '问题清零' },
        ],
        matrix: {
          goals: [{ goal: '按期完成', indicator: '完成率', target: 100, unit: '%' }],
          initiatives: ['建立周调度、月通报机制'],
          policies: ['工作专班制度', '限时办结制度'],
        },
        milestones: milestones.filter((m) => Date.parse(m.due) > Date.parse(i)),
      },
      unitActor(p.lead),
      i,
    ),
  );
};

/**
 * Progress reports (反馈): the first by `firstReportAfter`, then regularly, and after being urged. A
 * report names the plan's milestones reached: before they fall due if the unit keeps its milestones and
 * its next report would come too late, otherwise only once they were missed.
 */
const progressReport = (
  run: Runner,
  clock: Clock,
  rnd: Random,
  p: Plan,
  s: TaskState,
  day: number,
  finishDay: number,
  silent: boolean,
): Action | undefined => {
  const lastReport = s.lastLeadReport ? clock.indexOf(s.lastLeadReport.at) : undefined;
  const supervised = lastSupervision(s);
  const urgedSinceReport =
    supervised !== undefined && (!s.lastLeadReport || supervised > s.lastLeadReport.at);
  const due =
    !silent &&
    (lastReport === undefined
      ? day >= p.assignDay + p.firstReportAfter || (urgedSinceReport && rnd.chance(0.5 + p.diligence / 2))
      : day >= lastReport + p.reportEvery || (urgedSinceReport && day > lastReport));
  if (!due || lastReport === day) return undefined;
  const span = Math.max(1, finishDay - p.assignDay);
  const pct = Math.max(s.percentComplete, Math.min(95, Math.round((100 * (day - p.assignDay)) / span)));
  const difficulty = p.difficultyAt !== undefined && !p.difficultyReported && pct >= p.difficultyAt * 100;
  if (difficulty) p.difficultyReported = true;
  const now = clock.at(day, 10 * 3600);
  const met = s.planMilestones
    .filter((m) =>
      m.met
        ? false
        : Date.parse(m.due) < Date.parse(now)
          ? true
          : p.keepsMilestones && clock.indexOf(m.due) <= day + p.reportEvery,
    )
    .map((m) => m.name);
  return act((i) =>
    run.exec(
      'ReportProgress',
      {
        taskId: p.taskId,
        ...(difficulty
          ? {
              status: 'difficulty',
              summary: '推进中遇到跨部门协调困难',
              percentComplete: pct,
              difficulties: '用地指标和资金配套未落实，需市级层面协调',
              proposals: '建议由分管副市长召开专题会议协调相关部门',
            }
          : { status: 'on-track', summary: `按计划推进，完成${pct}%`, percentComplete: pct }),
        ...(met.length > 0 ? { milestonesMet: met } : {}),
      },
      unitActor(p.lead),
      i,
    ),
  );
};
