import { spec, taskFixture } from '@duban/testing';
import {
  createTaskDecider,
  defaultContext,
  dueTimes,
  fold,
  suggestGrade,
  taskDecider,
  type TaskEvent,
} from '@duban/domain';

/** The loopholes a 督查室 would find in the first week, each closed by a rule. */
const f = taskFixture();
const task = spec(taskDecider);
const ctx = defaultContext();
const types = (events: readonly TaskEvent[]) => events.map((e) => e.type);
const stateOf = (...events: TaskEvent[]) => fold(taskDecider, events);

describe('extensions (须在规定时限内提出延期申请 … 及时反馈批复意见)', () => {
  it('are not decided once the unit applied for closure: the request lapsed', () => {
    const applied = f.history(f.assign(), f.accept(), f.requestExtension(), f.requestClosure(f.day(10, 2)));
    task
      .given(applied)
      .when(f.approveExtension(f.day(11)))
      .thenRejects('TaskNotInProgress', 'lapsed');
    task
      .given(applied)
      .when(f.rejectExtension(f.day(11)))
      .thenRejects('TaskNotInProgress');
  });

  it('the section’s reply is due within the profile’s working days, and a late one is signalled once', () => {
    const pending = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.requestExtension(f.day(30, 8), f.day(10)),
    );
    const reply = dueTimes(stateOf(...pending), ctx).find((d) => d.kind === 'extension-reply')!;
    expect(reply).toMatchObject({ owner: 'office', due: f.day(13) });
    task
      .given(pending)
      .when(f.checkDeadlines(f.day(13, 1)))
      .thenEvents((events) =>
        expect(events).toEqual([
          {
            type: 'ExtensionReplyOverdue',
            data: { taskId: f.taskId, at: f.day(13, 1), requestedAt: f.day(10), due: f.day(13) },
          },
        ]),
      );
    const signalled = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.requestExtension(f.day(30, 8), f.day(10)),
      f.checkDeadlines(f.day(13, 1)),
    );
    task
      .given(signalled)
      .when(f.checkDeadlines(f.day(14)))
      .thenNothingHappens();
  });

  it('a request that lapsed when the unit applied for closure owes no reply and is never signalled overdue', () => {
    const applied = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.requestExtension(f.day(30, 8), f.day(10)),
      f.requestClosure(f.day(10, 2)),
    );
    expect(dueTimes(stateOf(...applied), ctx).filter((d) => d.kind === 'extension-reply')).toEqual([]);
    task
      .given(applied)
      .when(f.checkDeadlines(f.day(14)))
      .thenEvents((events) => expect(types(events)).not.toContain('ExtensionReplyOverdue'));
  });

  it('a timely request answered after the deadline keeps the time it had left: the wait is not charged to the unit', () => {
    // Deadline day 20 (17:00); asked on day 18 at 09:00; rejected on day 22.
    const asked = f.history(f.assign(), f.accept(), f.report(), f.requestExtension(f.day(30, 8), f.day(18)));
    task
      .given(asked)
      .when(f.rejectExtension(f.day(22)))
      .thenEvents(([e]) => {
        const left = Date.parse(f.deadline) - Date.parse(f.day(18));
        expect(e!.data).toMatchObject({ deadline: new Date(Date.parse(f.day(22)) + left).toISOString() });
      });
    // Answered in time, the deadline stands.
    task
      .given(asked)
      .when(f.rejectExtension(f.day(19)))
      .thenEvents(([e]) => expect(e!.data).toMatchObject({ deadline: f.deadline }));
  });
});

describe('co-units (明确牵头单位和配合单位，细化各自职责)', () => {
  it('each co-unit’s duty is stated at assignment, once, and only for a co-unit', () => {
    task
      .given([])
      .when(f.assign({ coUnitDuties: [] }))
      .thenRejects('CoUnitDutyMissing', 'bureau-of-finance has no duty');
    task
      .given([])
      .when(
        f.assign({
          coUnitDuties: [
            { unitId: 'bureau-of-transport', duty: 'Roads' },
            { unitId: 'bureau-of-finance', duty: 'Fees' },
          ],
        }),
      )
      .thenRejects('CoUnitDutyMissing', 'not a co-unit');
  });

  it('each co-unit is graded on its own part: never reported → poor; in time on a task done in time → good', () => {
    const coUnit = f.actors.coUnit;
    const closedWithout = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.requestClosure(),
      f.reviewClosure('good'),
      f.approveClosure('good'),
    );
    const closed = closedWithout.find((e) => e.type === 'TaskClosed')!;
    expect(closed.type === 'TaskClosed' && closed.data.coUnitGrades).toEqual([
      expect.objectContaining({ unitId: 'bureau-of-finance', grade: 'poor', suggestedGrade: 'poor' }),
    ]);
    const withReport = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.report({ summary: 'Fees waived from 1 March' }, f.day(2, 1), coUnit),
      f.requestClosure(),
      f.reviewClosure('good'),
      f.approveClosure('good'),
    );
    const ok = withReport.find((e) => e.type === 'TaskClosed')!;
    expect(ok.type === 'TaskClosed' && ok.data.coUnitGrades?.[0]).toMatchObject({
      grade: 'good',
      reasons: [{ rule: 'co-unit-on-time' }],
    });
  });

  it('the approver may grade a co-unit otherwise, with a justification', () => {
    const reviewed = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.requestClosure(),
      f.reviewClosure('good'),
    );
    const approve = f.approveClosure('good');
    task
      .given(reviewed)
      .when({
        ...approve,
        data: { ...approve.data, coUnitGrades: [{ unitId: 'bureau-of-finance', grade: 'basic' }] },
      })
      .thenRejects('JustificationRequired', 'co-unit bureau-of-finance');
    task
      .given(reviewed)
      .when({
        ...approve,
        data: {
          ...approve.data,
          coUnitGrades: [
            { unitId: 'bureau-of-finance', grade: 'basic', justification: 'Funds came by phone' },
          ],
        },
      })
      .thenEvents(([e]) =>
        expect(e!.type === 'TaskClosed' && e!.data.coUnitGrades?.[0]).toMatchObject({
          grade: 'basic',
          suggestedGrade: 'poor',
          justification: 'Funds came by phone',
        }),
      );
  });
});

describe('grading (未能按时报告 … 能及时报告进展情况)', () => {
  it('a closure request is feedback: applying on day 1 meets the first-feedback limit', () => {
    const ordinary = taskFixture({ deadlineInWorkingDays: 5 });
    const events = ordinary.history(
      ordinary.assign(),
      ordinary.accept(),
      ordinary.requestClosure(ordinary.day(1)),
    );
    task
      .given(events)
      .when(ordinary.checkDeadlines(ordinary.day(4)))
      .thenNothingHappens();
    expect(suggestGrade(stateOf(...events), ordinary.day(4), ctx).grade).toBe('good');
  });

  it('a long task owes a report every month; each missed one is signalled once and keeps the task from good', () => {
    const long = taskFixture({ deadlineInWorkingDays: 60 });
    const quiet = long.history(long.assign(), long.accept(), long.report());
    const aMonthOn = '2022-04-01T09:30:00+08:00';
    const twoMonthsOn = '2022-05-02T09:30:00+08:00';
    // report-1 is met by the early report; report-2 (1 May) is missed.
    task
      .given(quiet)
      .when(long.checkDeadlines(aMonthOn))
      .thenEvents((e) => expect(types(e)).toEqual(['MilestoneMissed']));
    const later = long.history(long.assign(), long.accept(), long.report(), long.checkDeadlines(aMonthOn));
    task
      .given(later)
      .when(long.checkDeadlines(twoMonthsOn))
      .thenEvents((e) =>
        expect(e.map((x) => x.type === 'MilestoneMissed' && x.data.milestone)).toEqual(['report-2']),
      );
    const done = long.history(
      long.assign(),
      long.accept(),
      long.submitPlan({ milestones: [{ name: 'Pilot', due: long.day(10) }] }, long.day(1)),
      long.report({ milestonesMet: ['Pilot'] }),
      long.requestClosure('2022-05-05T09:00:00.000+08:00'),
    );
    const s = suggestGrade(stateOf(...done), '2022-05-05T10:00:00+08:00', ctx);
    expect(s.grade).toBe('basic');
    expect(s.reasons[0]!.text).toContain('report-2');
  });

  it('basically implemented, second limb: a partial closure for objective reasons, explained and approved, is basic', () => {
    const request = f.requestClosure();
    const partial = f.history(f.assign(), f.accept(), f.report(), {
      ...request,
      data: { ...request.data, partial: { explanation: 'The provincial system is not ready' } },
    });
    const s = suggestGrade(stateOf(...partial), f.day(13), ctx);
    expect(s.grade).toBe('basic');
    expect(s.reasons[0]).toMatchObject({ rule: 'partial-explained' });
    // The same request in full would have been good.
    expect(
      suggestGrade(stateOf(...f.history(f.assign(), f.accept(), f.report(), request)), f.day(13), ctx).grade,
    ).toBe('good');
  });
});

describe('work-plan milestones (工作矩阵图的节点)', () => {
  const planned = () =>
    f.history(
      f.assign(),
      f.accept(),
      f.submitPlan({
        milestones: [
          { name: 'Pilot', due: f.day(8) },
          { name: 'Citywide', due: f.day(15) },
        ],
      }),
      f.report(),
    );

  it('are due times of their own, each signalled once when missed', () => {
    task
      .given(planned())
      .when(f.checkDeadlines(f.day(9)))
      .thenEvents((e) =>
        expect(e).toEqual([
          {
            type: 'MilestoneMissed',
            data: { taskId: f.taskId, at: f.day(9), milestone: 'plan:Pilot', due: f.day(8) },
          },
        ]),
      );
  });

  it('are met by a report that says so, and only by a milestone of the standing plan', () => {
    const met = [...planned()];
    task
      .given(met)
      .when(f.report({ milestonesMet: ['Pilot'] }, f.day(7)))
      .thenEvents(([e]) => expect(e!.data).toMatchObject({ milestonesMet: ['Pilot'] }));
    task
      .given(met)
      .when(f.report({ milestonesMet: ['Launch'] }, f.day(7)))
      .thenRejects('PlanMilestoneUnknown', 'Launch');
    const after = f.history(
      f.assign(),
      f.accept(),
      f.submitPlan({ milestones: [{ name: 'Pilot', due: f.day(8) }] }),
      f.report(),
      f.report({ milestonesMet: ['Pilot'] }, f.day(7)),
    );
    task
      .given(after)
      .when(f.checkDeadlines(f.day(9)))
      .thenNothingHappens();
  });
});

describe('written notices and difficulties', () => {
  const noticed = () => {
    const n = f.notice('DB-2022-09', f.day(7));
    return f.history(f.assign(), f.accept(), f.report(), { ...n, data: { ...n.data, respondBy: f.day(9) } });
  };

  it('a notice’s reply is tracked: the lead unit replies; a missed reply is signalled once and makes the task poor', () => {
    task
      .given(noticed())
      .when(f.respondToNotice('DB-2022-09', f.day(8)))
      .thenEvents(([e]) => expect(e!.type).toBe('NoticeResponded'));
    task
      .given(noticed())
      .when(f.respondToNotice('DB-9', f.day(8)))
      .thenRejects('NoticeNotFound');
    task
      .given(noticed())
      .when(f.respondToNotice('DB-2022-09', f.day(8), f.actors.coUnit))
      .thenRejects('NotAuthorized');
    task
      .given(noticed())
      .when(f.checkDeadlines(f.day(10)))
      .thenEvents((e) =>
        expect(e).toEqual([
          {
            type: 'NoticeResponseMissed',
            data: { taskId: f.taskId, at: f.day(10), noticeNo: 'DB-2022-09', respondBy: f.day(9) },
          },
        ]),
      );
    const check = createTaskDecider().decide(f.checkDeadlines(f.day(10)), stateOf(...noticed()));
    const missed = [...noticed(), ...(check._tag === 'Right' ? check.right : [])];
    task
      .given(missed)
      .when(f.checkDeadlines(f.day(11)))
      .thenNothingHappens();
    const s = suggestGrade(stateOf(...missed), f.day(12), ctx);
    expect(s.grade).toBe('poor');
    expect(s.reasons.map((r) => r.rule)).toContain('notice-unanswered');
  });

  it('a difficulty gets the office’s answer on record: who, when, what was decided', () => {
    const difficult = f.history(f.assign(), f.accept(), f.report(), f.reportDifficulty(f.day(4)));
    const revision = difficult.length - 1;
    task
      .given(difficult)
      .when(f.answerDifficulty(revision, f.day(5)))
      .thenEvents(([e]) =>
        expect(e).toMatchObject({
          type: 'DifficultyAnswered',
          data: { reportRevision: revision, decision: expect.any(String) },
        }),
      );
    task
      .given(difficult)
      .when(f.answerDifficulty(revision - 1, f.day(5)))
      .thenRejects('DifficultyNotFound');
    task
      .given(difficult)
      .when(f.answerDifficulty(revision, f.day(5), f.actors.otherUnit))
      .thenRejects('NotAuthorized');
    const answered = f.history(
      f.assign(),
      f.accept(),
      f.report(),
      f.reportDifficulty(f.day(4)),
      f.answerDifficulty(revision, f.day(5)),
    );
    expect(stateOf(...answered).difficulties).toEqual([
      { revision, at: f.day(4), answered: { revision: revision + 1, at: f.day(5) } },
    ]);
    task
      .given(answered)
      .when(f.answerDifficulty(revision, f.day(6)))
      .thenNothingHappens();
  });
});
