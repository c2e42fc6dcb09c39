import { suggestGrade, type TaskState } from '@duban/domain';
import type { Clock } from './clock';
import { INSPECTION_OFFICE, MAYOR } from './office';
import type { Random } from './prng';
import { act, type Action, type Runner } from './run';
import { approverOf, lastSupervision, outstanding, supervisorOf, zhLabel, type Plan } from './task-view';

/**
 * The office supervises (16:00), task by task: the section decides extension requests with the leader's
 * approval and reviews closure requests (初审), sending some back; the leader in charge answers a
 * difficulty a unit reported; the inspection office opens a rectification and looks back at it; the
 * mayor praises or criticises; and while a time limit stands missed, the ladder climbs — 催办, 预警,
 * 书面督办通知书, then 督查室立项督办 with the mayor's consent.
 */
export const supervisionActions = (
  run: Runner,
  clock: Clock,
  rnd: Random,
  plans: readonly Plan[],
  day: number,
  noticeNo: { n: number },
): Action[] => {
  const actions: Action[] = [];
  const exec = run.exec;
  const now = clock.at(day, 16 * 3600);
  const ctx = run.ctxAt(now);
  const date = clock.days[day]!;
  const year = date.slice(0, 4);
  for (const p of plans) {
    const s = run.model.tasks[p.taskId];
    if (!s || s.status === 'none') continue;
    const section = p.portfolio.section;
    if (s.status === 'closed') {
      if (p.stories.has('criticism') && !p.criticised && day >= clock.indexOf(s.closed!.at) + 3) {
        p.criticised = true;
        actions.push(
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
    // 困难和问题: the deputy mayor in charge answers (a key task's, the section for the mayor) in a few days.
    const difficulty = s.difficulties.find((d) => !d.answered && day >= clock.indexOf(d.at) + p.answerDelay);
    if (difficulty) {
      actions.push(
        act((i) =>
          exec(
            'AnswerDifficulty',
            {
              taskId: p.taskId,
              reportRevision: difficulty.revision,
              decision: p.key
                ? '报市长同意，由市发展改革委牵头统筹用地指标，市财政局落实配套资金'
                : '分管副市长召开专题会议协调，明确用地和资金由相关部门限期解决',
            },
            p.key ? section : p.portfolio.deputy,
            i,
          ),
        ),
      );
      continue;
    }
    if (s.pendingExtension && clock.indexOf(s.pendingExtension.at) < day) {
      actions.push(
        act((i) =>
          p.stories.has('extension-granted')
            ? exec(
                'ApproveExtension',
                {
                  taskId: p.taskId,
                  leaderApproval: { ref: `分管领导批示同意延期（${date}）`, by: approverOf(p).id },
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
    if (s.status === 'closure-requested' && clock.indexOf(s.closureRequest!.at) < day) {
      if (p.stories.has('sent-back-review') && s.closureRejections.length === 0) {
        p.retryClosureDay = day + 2;
        actions.push(
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
        actions.push(
          act((i) =>
            exec(
              'ReviewClosure',
              {
                taskId: p.taskId,
                proposedGrade: suggestGrade(s, i, run.ctxAt(i)).grade,
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
    const inspection = inspect(run, clock, p, s, day);
    if (inspection) {
      actions.push(inspection);
      continue;
    }
    // Recognition story: the mayor's written approval of the unit's work (主要领导批示肯定).
    if (p.stories.has('recognition') && !p.recognised && s.percentComplete >= 40) {
      p.recognised = true;
      actions.push(
        act((i) =>
          exec(
            'RecordRecognition',
            {
              taskId: p.taskId,
              recognitionId: `PS-${p.taskId}`,
              source: 'municipal-government-leader',
              reference: `市长批示（${date}）`,
              summary: '工作扎实、成效明显，请总结经验全市推广',
            },
            MAYOR,
            i,
          ),
        ),
      );
      continue;
    }
    const supervisor = supervisorOf(s, p);
    // The supervision ladder (催办 → 预警 → 书面督办通知书 → 督查室立项督办), while a time limit stands missed.
    const missed = outstanding(s, now, ctx);
    const last = lastSupervision(s);
    if (missed.length > 0 && (last === undefined || day >= clock.indexOf(last) + 2)) {
      const deadlineMissed = missed.some((d) => d.kind === 'deadline');
      const reason = `${missed.map((d) => zhLabel(d, ctx)).join('；')}已超时`;
      if (s.urges.length < 2)
        actions.push(
          act((i) => exec('UrgeTask', { taskId: p.taskId, reason: `催办：${reason}` }, supervisor, i)),
        );
      else if (s.warnings.length === 0 || (deadlineMissed && !s.warnings.some((w) => w.level === 'red')))
        actions.push(
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
        actions.push(
          act((i) =>
            exec(
              'IssueSupervisionNotice',
              {
                taskId: p.taskId,
                noticeNo: `长政办督〔${year}〕${no}号`,
                requirements: '请于3个工作日内书面报告落实情况和整改措施',
                respondBy: clock.dueAfter(i, 3),
              },
              supervisor,
              i,
            ),
          ),
        );
      } else if (s.supervisor.kind === 'section' && p.stories.has('escalation'))
        actions.push(
          act((i) =>
            exec(
              'EscalateTask',
              {
                taskId: p.taskId,
                reason: '多次催办、书面督办后仍未落实（督办未果）',
                consent: { ref: `市长同意督查室立项督办（${date}）`, by: MAYOR.id },
              },
              section,
              i,
            ),
          ),
        );
      else
        actions.push(
          act((i) => exec('UrgeTask', { taskId: p.taskId, reason: `再次催办：${reason}` }, supervisor, i)),
        );
      continue;
    }
    // An early yellow warning when the deadline nears and the work lags (亮黄灯).
    if (s.signalled.approaching.includes(s.deadline) && s.percentComplete < 60 && s.warnings.length === 0)
      actions.push(
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
  return actions;
};

/** Inspection story: the inspection office finds a problem, opens a rectification (问题整改) and looks back (回头看). */
const inspect = (run: Runner, clock: Clock, p: Plan, s: TaskState, day: number): Action | undefined => {
  if (
    p.stories.has('rectification') &&
    !p.rectificationOpened &&
    s.status === 'in-progress' &&
    day >= clock.indexOf(s.accepted!.at) + 2
  ) {
    p.rectificationOpened = true;
    return act((i) =>
      run.exec(
        'OpenRectification',
        {
          taskId: p.taskId,
          rectificationId: `ZG-${p.taskId}`,
          problem: '明察暗访发现政务大厅窗口排队时间过长',
          source: 'inspection',
          dueBy: clock.dueAfter(i, 6),
        },
        INSPECTION_OFFICE,
        i,
      ),
    );
  }
  const completed = s.rectifications.find(
    (r) => r.status === 'completed' && r.completed && day >= clock.indexOf(r.completed.at) + 2,
  );
  if (!completed) return undefined;
  const fail = !p.lookBackFailed;
  p.lookBackFailed = true;
  return act((i) =>
    run.exec(
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
  );
};
