import { spec, taskFixture } from '@duban/testing';
import {
  DEFAULT_POLICY,
  PROFILE_13710,
  createCalendar,
  createTaskDecider,
  defaultContext,
  dueTimes,
  fold,
  milestoneDue,
  taskDecider,
  type TaskEvent,
} from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const ctx = defaultContext();
const types = (events: readonly TaskEvent[]) => events.map((e) => e.type);
/** [id, due, met at] of every time limit of the task after these commands. */
const limits = (history: TaskEvent[], context = ctx) =>
  dueTimes(fold(taskDecider, history), context).map((d) => [d.id, d.due, d.metBy?.at]);

const NATIONAL_DAY_2022 = createCalendar({
  adjustments: {
    '2022-10-03': 'holiday',
    '2022-10-04': 'holiday',
    '2022-10-05': 'holiday',
    '2022-10-06': 'holiday',
    '2022-10-07': 'holiday',
    '2022-10-08': 'working',
    '2022-10-09': 'working',
  },
});

describe('13710 time limits (1天部署、3天反馈、一般事项7天办结、重大复杂问题1个月办结或拿出阶段性方案)', () => {
  it('are 1, 3 working days and one month after assignment for a major item, a monthly report, then the deadline', () => {
    const long = taskFixture({ deadlineInWorkingDays: 40 });
    expect(limits(long.history(long.assign()))).toEqual([
      ['deploy', '2022-03-02T09:00:00.000+08:00', undefined],
      ['first-feedback', '2022-03-04T09:00:00.000+08:00', undefined],
      ['resolve-or-plan', '2022-04-01T09:00:00.000+08:00', undefined],
      // 跟踪到底: a major item reports every month until closure (the 0 of 1·3·7·1·0).
      ['report-1', '2022-04-01T09:00:00.000+08:00', undefined],
      ['deadline', long.deadline, undefined],
    ]);
  });

  it('are 1, 3 and 7 working days for an ordinary item', () => {
    expect(limits(f.history(f.assign({ complexity: 'ordinary' })))).toEqual([
      ['deploy', f.day(1), undefined],
      ['first-feedback', f.day(3), undefined],
      ['resolve', '2022-03-10T09:00:00.000+08:00', undefined],
      ['deadline', f.deadline, undefined],
    ]);
  });

  it('count working days over the weekend', () => {
    const friday = taskFixture({ assignedAt: '2022-03-04T15:00:00+08:00' });
    expect(limits(friday.history(friday.assign())).slice(0, 2)).toEqual([
      ['deploy', '2022-03-07T15:00:00.000+08:00', undefined],
      ['first-feedback', '2022-03-09T15:00:00.000+08:00', undefined],
    ]);
  });

  it('count working days with the 调休 table of the deployment', () => {
    const holiday = defaultContext({ calendar: NATIONAL_DAY_2022 });
    const g = taskFixture({
      assignedAt: '2022-09-30T09:00:00+08:00',
      decider: createTaskDecider(holiday),
    });
    expect(
      limits(g.history(g.assign({ deadline: '2022-11-30T17:00:00+08:00' })), holiday).slice(0, 2),
    ).toEqual([
      ['deploy', '2022-10-08T09:00:00.000+08:00', undefined], // the working Saturday
      ['first-feedback', '2022-10-10T09:00:00.000+08:00', undefined],
    ]);
  });

  it('leave out a limit that falls on or after the deadline: the deadline already asks for it', () => {
    const short = taskFixture({ deadlineInWorkingDays: 2 });
    expect(limits(short.history(short.assign()))).toEqual([
      ['deploy', short.day(1), undefined],
      ['deadline', short.deadline, undefined],
    ]);
    // The 20-day default task is major, and its one-month limit lies past its deadline.
    expect(limits(f.history(f.assign())).map(([id]) => id)).toEqual(['deploy', 'first-feedback', 'deadline']);
    expect(milestoneDue(PROFILE_13710.milestones[2]!, f.assignedAt, ctx.calendar)).toBe(f.day(7));
  });

  it('do not come back when the deadline is extended past them', () => {
    const extended = f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension());
    expect(limits(extended).map(([id, due]) => [id, due])).toEqual([
      ['deploy', f.day(1)],
      ['first-feedback', f.day(3)],
      // The one-month limit stays left out; the monthly report is owed for as long as the task runs.
      ['report-1', '2022-04-01T09:00:00.000+08:00'],
      ['deadline', f.day(30, 8)],
    ]);
  });

  describe('are met by the facts DOMAIN.md names', () => {
    it('acceptance with its deployment meets the day-1 limit; the lead unit first report the day-3 one', () => {
      const events = f.history(f.assign(), f.accept(), f.report({}, f.day(1)), f.report({}, f.day(2)));
      expect(limits(events).slice(0, 2)).toEqual([
        ['deploy', f.day(1), f.day(0, 2)],
        ['first-feedback', f.day(3), f.day(1)],
      ]);
    });

    it('a co-unit contribution is not the first feedback', () => {
      const events = f.history(f.assign(), f.accept(), f.report({}, f.day(1), f.actors.coUnit));
      expect(limits(events)[1]).toEqual(['first-feedback', f.day(3), undefined]);
    });

    it('a closure request meets the 7-day limit of an ordinary item and the deadline', () => {
      const events = f.history(f.assign({ complexity: 'ordinary' }), f.accept(), f.requestClosure(f.day(6)));
      expect(limits(events).slice(2)).toEqual([
        ['resolve', '2022-03-10T09:00:00.000+08:00', f.day(6)],
        ['deadline', f.deadline, f.day(6)],
      ]);
    });

    it('a work plan with dated milestones meets the one-month limit of a major item; one without does not', () => {
      const long = taskFixture({ deadlineInWorkingDays: 40 });
      const dated = long.history(
        long.assign(),
        long.accept(),
        long.submitPlan({}, long.day(2)),
        long.submitPlan({ milestones: [{ name: 'Pilot', due: long.day(15) }] }, long.day(5)),
      );
      expect(limits(dated)[2]).toEqual(['resolve-or-plan', '2022-04-01T09:00:00.000+08:00', long.day(5)]);
      const undated = long.history(long.assign(), long.accept(), long.submitPlan({}, long.day(2)));
      expect(limits(undated)[2]).toEqual(['resolve-or-plan', '2022-04-01T09:00:00.000+08:00', undefined]);
    });
  });
});

describe('CheckDeadlines: each due time becomes an event exactly once', () => {
  const accepted = f.history(f.assign(), f.accept(), f.report());

  describe('who runs it', () => {
    it.each([
      ['the 13710 system', f.actors.system],
      ['the section', f.actors.section],
      ['the inspection office', f.actors.inspectionOffice],
    ])('%s', (_, actor) => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(2), actor))
        .thenNothingHappens();
    });

    it.each([
      ['the lead unit', f.actors.leadUnit],
      ['the deputy leader', f.actors.deputyLeader],
      ['the main leader', f.actors.mainLeader],
    ])('not %s', (_, actor) => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(2), actor))
        .thenRejects('NotAuthorized');
    });

    it('not an auditor', () => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(2), f.actors.auditor))
        .thenRejects('AuditorsCannotAct');
    });

    it('the system issues no other command', () => {
      task
        .given(accepted)
        .when(f.urge(f.day(5), f.actors.system))
        .thenRejects('NotAuthorized');
    });
  });

  describe('MilestoneMissed', () => {
    it('signals the day-1 limit passed without acceptance', () => {
      task
        .given(f.history(f.assign()))
        .when(f.checkDeadlines(f.day(1, 1)))
        .then([
          {
            type: 'MilestoneMissed',
            data: { taskId: f.taskId, at: f.day(1, 1), milestone: 'deploy', due: f.day(1) },
          },
        ]);
    });

    it('not before the limit, nor at its very instant', () => {
      task
        .given(f.history(f.assign()))
        .when(f.checkDeadlines(f.day(1)))
        .thenNothingHappens();
    });

    it('signals a limit met late', () => {
      task
        .given(f.history(f.assign(), f.accept(f.day(1, 2))))
        .when(f.checkDeadlines(f.day(2)))
        .thenEvents((events) =>
          expect(events.map((e) => [e.type, e.data])).toEqual([
            ['MilestoneMissed', { taskId: f.taskId, at: f.day(2), milestone: 'deploy', due: f.day(1) }],
          ]),
        );
    });

    it('does not signal a limit met in time', () => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(3, 1)))
        .thenNothingHappens();
    });

    it('signals the day-3 limit passed without a lead unit report', () => {
      task
        .given(f.history(f.assign(), f.accept(), f.report({}, f.day(1), f.actors.coUnit)))
        .when(f.checkDeadlines(f.day(3, 1)))
        .thenEvents((events) =>
          expect(events).toEqual([
            {
              type: 'MilestoneMissed',
              data: { taskId: f.taskId, at: f.day(3, 1), milestone: 'first-feedback', due: f.day(3) },
            },
          ]),
        );
    });

    it('signals the 7-day limit of an ordinary item, unless closure was applied for', () => {
      const ordinary = [f.assign({ complexity: 'ordinary' }), f.accept(), f.report()];
      task
        .given(f.history(...ordinary))
        .when(f.checkDeadlines(f.day(7, 1)))
        .thenEvents((events) =>
          expect(events.map((e) => [e.type, 'milestone' in e.data && e.data.milestone])).toEqual([
            ['MilestoneMissed', 'resolve'],
          ]),
        );
      task
        .given(f.history(...ordinary, f.requestClosure(f.day(6))))
        .when(f.checkDeadlines(f.day(7, 1)))
        .thenNothingHappens();
    });

    it('signals the one-month limit of a major item, unless a plan with dated milestones came first', () => {
      const long = taskFixture({ deadlineInWorkingDays: 40 });
      const base = [long.assign(), long.accept(), long.report()];
      const aMonthOn = '2022-04-01T09:30:00+08:00';
      task
        .given(long.history(...base))
        .when(long.checkDeadlines(aMonthOn))
        .then([
          {
            type: 'MilestoneMissed',
            data: {
              taskId: long.taskId,
              at: aMonthOn,
              milestone: 'resolve-or-plan',
              due: '2022-04-01T09:00:00.000+08:00',
            },
          },
        ]);
      task
        .given(
          long.history(
            ...base,
            long.submitPlan({ milestones: [{ name: 'Pilot', due: long.day(15) }] }, long.day(4)),
            long.report({ milestonesMet: ['Pilot'] }, long.day(14)),
          ),
        )
        .when(long.checkDeadlines(aMonthOn))
        .thenNothingHappens();
    });

    it('signals each limit once, however often the check runs', () => {
      const events = f.history(f.assign(), f.checkDeadlines(f.day(1, 1)));
      task
        .given(events)
        .when(f.checkDeadlines(f.day(1, 2)))
        .thenNothingHappens();
      task
        .given(events)
        .when(f.checkDeadlines(f.day(3, 1)))
        .thenEvents((next) =>
          expect(next.map((e) => 'milestone' in e.data && e.data.milestone)).toEqual(['first-feedback']),
        );
    });

    it('signals every limit passed since the last check, in order, in one decision', () => {
      task
        .given(f.history(f.assign()))
        .when(f.checkDeadlines(f.day(4)))
        .thenEvents((events) =>
          expect(events.map((e) => 'milestone' in e.data && e.data.milestone)).toEqual([
            'deploy',
            'first-feedback',
          ]),
        );
    });
  });

  describe('DeadlineApproaching (亮黄灯: 3 working days or fewer left)', () => {
    it('signals the deadline 3 working days ahead', () => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(17)))
        .then([
          {
            type: 'DeadlineApproaching',
            data: { taskId: f.taskId, at: f.day(17), deadline: f.deadline, workingDaysLeft: 3 },
          },
        ]);
    });

    it('not 4 working days ahead', () => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(16)))
        .thenNothingHappens();
    });

    it('once', () => {
      const signalled = f.history(f.assign(), f.accept(), f.report(), f.checkDeadlines(f.day(17)));
      expect(types(signalled)).toEqual([
        'TaskAssigned',
        'TaskAccepted',
        'ProgressReported',
        'DeadlineApproaching',
      ]);
      task
        .given(signalled)
        .when(f.checkDeadlines(f.day(18)))
        .thenNothingHappens();
      task
        .given(signalled)
        .when(f.checkDeadlines(f.day(20)))
        .thenNothingHappens();
    });

    it('not when closure was applied for', () => {
      task
        .given(f.history(f.assign(), f.accept(), f.report(), f.requestClosure(f.day(16))))
        .when(f.checkDeadlines(f.day(18)))
        .thenNothingHappens();
    });

    it('takes the window from the policy', () => {
      const wide = spec(
        createTaskDecider(defaultContext({ policy: { ...DEFAULT_POLICY, approachingWithinWorkingDays: 5 } })),
      );
      wide
        .given(accepted)
        .when(f.checkDeadlines(f.day(15)))
        .thenEvents((events) =>
          expect(events).toMatchObject([{ type: 'DeadlineApproaching', data: { workingDaysLeft: 5 } }]),
        );
    });
  });

  describe('DeadlineMissed', () => {
    it('signals the deadline passed without a closure request, and only the deadline', () => {
      task
        .given(accepted)
        .when(f.checkDeadlines(f.day(20, 9)))
        .then([
          { type: 'DeadlineMissed', data: { taskId: f.taskId, at: f.day(20, 9), deadline: f.deadline } },
        ]);
    });

    it('once', () => {
      const missed = f.history(f.assign(), f.accept(), f.report(), f.checkDeadlines(f.day(21)));
      task
        .given(missed)
        .when(f.checkDeadlines(f.day(22)))
        .thenNothingHappens();
    });

    it('not for a closure applied for in time and still under review', () => {
      task
        .given(
          f.history(
            f.assign(),
            f.accept(),
            f.report(),
            f.requestClosure(f.day(19)),
            f.reviewClosure('good', f.day(20)),
          ),
        )
        .when(f.checkDeadlines(f.day(22)))
        .thenNothingHappens();
    });

    it('signals a closure applied for late', () => {
      task
        .given(f.history(f.assign(), f.accept(), f.report(), f.requestClosure(f.day(21))))
        .when(f.checkDeadlines(f.day(21, 1)))
        .thenEvents((events) => expect(types(events)).toEqual(['DeadlineMissed']));
    });

    it('decides nothing for a check dated before an earlier one', () => {
      const missed = f.history(f.assign(), f.accept(), f.report(), f.checkDeadlines(f.day(21)));
      task
        .given(missed)
        .when(f.checkDeadlines(f.day(10)))
        .thenNothingHappens();
    });
  });

  describe('after an extension, the new deadline is signalled again', () => {
    it('approaching', () => {
      const events = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.submitPlan({ milestones: [{ name: 'Pilot', due: f.day(10) }] }, f.day(2)), // meets the one-month limit
        f.checkDeadlines(f.day(17)),
        f.requestExtension(f.day(30, 8), f.day(18)),
        f.approveExtension(f.day(19)),
      );
      task
        .given(events)
        .when(f.checkDeadlines(f.day(20, 9)))
        .thenNothingHappens();
      task
        .given(events)
        .when(f.checkDeadlines(f.day(27)))
        .then([
          {
            type: 'DeadlineApproaching',
            data: { taskId: f.taskId, at: f.day(27), deadline: f.day(30, 8), workingDaysLeft: 3 },
          },
        ]);
    });

    it('missed, even when the old deadline was missed while the request awaited its answer', () => {
      const events = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.requestExtension(f.day(30, 8), f.day(19)),
        f.checkDeadlines(f.day(21)),
        f.approveExtension(f.day(22)),
        f.checkDeadlines(f.day(27)),
      );
      expect(types(events).slice(4)).toEqual(['DeadlineMissed', 'ExtensionApproved', 'DeadlineApproaching']);
      task
        .given(events)
        .when(f.checkDeadlines(f.day(31)))
        .then([
          { type: 'DeadlineMissed', data: { taskId: f.taskId, at: f.day(31), deadline: f.day(30, 8) } },
        ]);
    });
  });

  it('decides nothing on a closed task', () => {
    task
      .given(
        f.history(
          f.assign(),
          f.accept(),
          f.report(),
          f.requestClosure(),
          f.reviewClosure('good'),
          f.approveClosure('good'),
        ),
      )
      .when(f.checkDeadlines(f.day(40)))
      .thenNothingHappens();
  });

  it('uses the time-limit profile of the deployment', () => {
    const decider = createTaskDecider(
      defaultContext({ profile: { ...PROFILE_13710, name: 'none', milestones: [] } }),
    );
    const g = taskFixture({ decider });
    const deadlineOnly = spec(decider);
    deadlineOnly
      .given(g.history(g.assign()))
      .when(g.checkDeadlines(g.day(4)))
      .thenNothingHappens();
    deadlineOnly
      .given(g.history(g.assign()))
      .when(g.checkDeadlines(g.day(21)))
      .thenEvents((events) => expect(types(events)).toEqual(['DeadlineMissed']));
  });

  it('keeps the limits set at assignment when the profile changes afterwards (they are in the task record)', () => {
    const [assigned] = f.history(f.assign());
    expect(assigned!.type === 'TaskAssigned' && assigned!.data.timeLimits?.map((l) => [l.id, l.due])).toEqual(
      [
        ['deploy', f.day(1)],
        ['first-feedback', f.day(3)],
      ],
    );
    const deadlineOnly = spec(
      createTaskDecider(defaultContext({ profile: { ...PROFILE_13710, name: 'none', milestones: [] } })),
    );
    deadlineOnly
      .given(f.history(f.assign()))
      .when(f.checkDeadlines(f.day(4)))
      .thenEvents((events) =>
        expect(events.map((e) => e.type === 'MilestoneMissed' && e.data.milestone)).toEqual([
          'deploy',
          'first-feedback',
        ]),
      );
  });
});
