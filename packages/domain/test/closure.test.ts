import { spec, taskFixture } from '@duban/testing';
import { fold, lightOf, defaultContext, suggestGrade, taskDecider, type TaskEvent } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const ctx = defaultContext();
const accepted = f.history(f.assign(), f.accept(), f.report());
const requested = f.history(f.assign(), f.accept(), f.report(), f.requestClosure());
const reviewed = f.history(f.assign(), f.accept(), f.report(), f.requestClosure(), f.reviewClosure('good'));
const closed = f.history(
  f.assign(),
  f.accept(),
  f.report(),
  f.requestClosure(),
  f.reviewClosure('good'),
  f.approveClosure('good'),
);

const types = (events: readonly TaskEvent[]) => events.map((e) => e.type);

describe('办结申请: RequestClosure', () => {
  it('is made by the lead unit with its summary and results', () => {
    task
      .given(accepted)
      .when(f.requestClosure())
      .then([
        {
          type: 'ClosureRequested',
          data: {
            taskId: f.taskId,
            at: f.day(12),
            summary: 'Registration takes 3 working days',
            results: 'Citywide since May',
          },
        },
      ]);
  });

  it.each([
    ['a co-unit', f.actors.coUnit],
    ['the section', f.actors.section],
    ['the deputy leader', f.actors.deputyLeader],
  ])('is refused to %s', (_, actor) => {
    task
      .given(accepted)
      .when(f.requestClosure(f.day(12), actor))
      .thenRejects('NotAuthorized');
  });

  it('needs the task accepted', () => {
    task.given(f.history(f.assign())).when(f.requestClosure()).thenRejects('TaskNotAccepted');
  });

  it('decides nothing while a request is pending review or approval', () => {
    task
      .given(requested)
      .when(f.requestClosure(f.day(12, 1)))
      .thenNothingHappens();
    task
      .given(reviewed)
      .when(f.requestClosure(f.day(13, 1)))
      .thenNothingHappens();
  });

  describe('is blocked while a rectification is unfinished (整改到位后办结)', () => {
    const base = [f.assign(), f.accept(), f.report()];
    it.each([
      ['open', [f.openRectification()]],
      ['planned', [f.openRectification(), f.planRectification()]],
      [
        'failed at its look-back',
        [f.openRectification(), f.planRectification(), f.completeRectification(), f.lookBack('failed')],
      ],
    ])('%s', (_, steps) => {
      task
        .given(f.history(...base, ...steps))
        .when(f.requestClosure(f.day(13)))
        .thenRejects('RectificationOutstanding', 'R-1');
    });

    it.each([
      [
        'completed and awaiting its look-back',
        [f.openRectification(), f.planRectification(), f.completeRectification()],
      ],
      [
        'passed at its look-back',
        [f.openRectification(), f.planRectification(), f.completeRectification(), f.lookBack('passed')],
      ],
    ])('but not by one %s', (_, steps) => {
      task
        .given(f.history(...base, ...steps))
        .when(f.requestClosure(f.day(13)))
        .thenEvents((events) => expect(types(events)).toEqual(['ClosureRequested']));
    });
  });
});

describe('初审: ReviewClosure by the section of the task', () => {
  it('proposes one of the five grades with an opinion', () => {
    task
      .given(requested)
      .when(f.reviewClosure('basic'))
      .then([
        {
          type: 'ClosureReviewed',
          data: { taskId: f.taskId, at: f.day(13), proposedGrade: 'basic', opinion: 'Targets met' },
        },
      ]);
  });

  it.each([
    ['another section', f.actors.otherSection],
    ['the inspection office', f.actors.inspectionOffice],
    ['the deputy leader', f.actors.deputyLeader],
    ['the main leader', f.actors.mainLeader],
  ])('is refused to %s', (_, actor) => {
    task
      .given(requested)
      .when(f.reviewClosure('good', f.day(13), actor))
      .thenRejects('NotAuthorized');
  });

  it('needs a closure request', () => {
    task.given(accepted).when(f.reviewClosure()).thenRejects('ClosureNotRequested');
  });

  it('happens once: the same review again decides nothing, another grade is refused', () => {
    task
      .given(reviewed)
      .when(f.reviewClosure('good', f.day(13, 1)))
      .thenNothingHappens();
    task
      .given(reviewed)
      .when(f.reviewClosure('excellent', f.day(13, 1)))
      .thenRejects('ClosureAlreadyReviewed');
  });
});

describe('审定办结: ApproveClosure', () => {
  it('closes the task with the approver grade, the suggestion, the proposal and the reasons', () => {
    task
      .given(reviewed)
      .when(f.approveClosure('good'))
      .then([
        {
          type: 'TaskClosed',
          data: {
            taskId: f.taskId,
            at: f.day(14),
            grade: 'good',
            suggestedGrade: 'good',
            proposedGrade: 'good',
            reasons: [
              {
                grade: 'good',
                rule: 'ahead-of-deadline',
                text: 'applied for closure ahead of the deadline, unprompted (提前完成)',
                events: [{ type: 'ClosureRequested', revision: 3 }],
              },
            ],
            approvedBy: { kind: 'deputy-leader', id: 'vice-mayor-li' },
            // The co-unit never reported on its part: graded on that part, not on the lead unit's.
            coUnitGrades: [
              {
                unitId: 'bureau-of-finance',
                grade: 'poor',
                suggestedGrade: 'poor',
                reasons: [
                  {
                    grade: 'poor',
                    rule: 'co-unit-no-report',
                    text: 'never reported on its part (bureau-of-finance: fees and funding for the reform) (协办单位未报告配合工作情况)',
                    events: [{ type: 'TaskAssigned', revision: 0 }],
                  },
                ],
              },
            ],
          },
        },
      ]);
  });

  it('needs the section review first', () => {
    task.given(requested).when(f.approveClosure('good')).thenRejects('ClosureNotReviewed');
  });

  it('needs a closure request', () => {
    task.given(accepted).when(f.approveClosure('good')).thenRejects('ClosureNotRequested');
  });

  describe('the approver (报分管领导; 重点事项报经市政府主要领导审定)', () => {
    it('is the deputy leader who assigned an ordinary task', () => {
      task
        .given(reviewed)
        .when(f.approveClosure('good', f.day(14), f.actors.deputyLeader))
        .thenEvents((events) => expect(types(events)).toEqual(['TaskClosed']));
    });

    it('or the main leader', () => {
      task
        .given(reviewed)
        .when(f.approveClosure('good', f.day(14), f.actors.mainLeader))
        .thenEvents(([closedEvent]) =>
          expect(closedEvent!.data).toMatchObject({ approvedBy: { kind: 'main-leader', id: 'mayor' } }),
        );
    });

    it.each([
      ['another deputy leader', f.actors.otherDeputyLeader],
      ['the section', f.actors.section],
      ['the inspection office', f.actors.inspectionOffice],
      ['the lead unit', f.actors.leadUnit],
    ])('not %s', (_, actor) => {
      task
        .given(reviewed)
        .when(f.approveClosure('good', f.day(14), actor))
        .thenRejects('NotAuthorized');
    });

    it('is the main leader alone for a key task (重点事项)', () => {
      const k = taskFixture({ key: true });
      const keyReviewed = k.history(
        k.assign(),
        k.accept(),
        k.report(),
        k.requestClosure(),
        k.reviewClosure('good'),
      );
      task
        .given(keyReviewed)
        .when(k.approveClosure('good', k.day(14), k.actors.deputyLeader))
        .thenRejects('NotAuthorized', 'main leader');
      task
        .given(keyReviewed)
        .when(k.approveClosure('good', k.day(14), k.actors.mainLeader))
        .thenEvents((events) => expect(types(events)).toEqual(['TaskClosed']));
    });

    it('is any deputy leader for an ordinary task the main leader assigned (no leader in charge on record)', () => {
      const m = taskFixture({ origin: 'main-leader' });
      task
        .given(m.history(m.assign(), m.accept(), m.report(), m.requestClosure(), m.reviewClosure('good')))
        .when(m.approveClosure('good', m.day(14), m.actors.otherDeputyLeader))
        .thenEvents((events) => expect(types(events)).toEqual(['TaskClosed']));
    });
  });

  describe('a final grade other than the suggestion needs a written justification (评估考核)', () => {
    it('is refused without one', () => {
      task.given(reviewed).when(f.approveClosure('excellent')).thenRejects('JustificationRequired', 'good');
    });

    it('keeps the justification in TaskClosed', () => {
      task
        .given(reviewed)
        .when(f.approveClosure('basic', f.day(14), f.approver, 'Two counties lag behind'))
        .thenEvents(([closedEvent]) =>
          expect(closedEvent!.data).toMatchObject({
            grade: 'basic',
            suggestedGrade: 'good',
            proposedGrade: 'good',
            justification: 'Two counties lag behind',
          }),
        );
    });

    it('follows the suggestion, not the section proposal', () => {
      const proposedBasic = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.requestClosure(),
        f.reviewClosure('basic'),
      );
      task.given(proposedBasic).when(f.approveClosure('basic')).thenRejects('JustificationRequired');
      task
        .given(proposedBasic)
        .when(f.approveClosure('good'))
        .thenEvents(([closedEvent]) => expect(closedEvent!.data).not.toHaveProperty('justification'));
    });
  });

  describe('once closed', () => {
    it('the same approval again decides nothing', () => {
      task
        .given(closed)
        .when(f.approveClosure('good', f.day(15)))
        .thenNothingHappens();
    });

    it('another grade is refused: the task is closed', () => {
      task
        .given(closed)
        .when(f.approveClosure('basic', f.day(15), f.approver, 'Second thoughts'))
        .thenRejects('TaskClosed');
    });

    it('an approval sent by someone who may not approve is refused, not ignored', () => {
      task
        .given(closed)
        .when(f.approveClosure('good', f.day(15), f.actors.section))
        .thenRejects('NotAuthorized');
      task
        .given(closed)
        .when(f.approveClosure('good', f.day(15), f.actors.otherDeputyLeader))
        .thenRejects('NotAuthorized');
    });

    it('the same approval after a regrade still decides nothing', () => {
      const regraded = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.requestClosure(),
        f.reviewClosure('good'),
        f.approveClosure('good'),
        f.criticise(),
      );
      expect(types(regraded).slice(-2)).toEqual(['CriticismRecorded', 'TaskRegraded']);
      task
        .given(regraded)
        .when(f.approveClosure('good', f.day(17)))
        .thenNothingHappens();
    });
  });
});

describe('不予办结: RejectClosure, and supervision goes on (继续跟进督办)', () => {
  it('is sent back at review by the section', () => {
    task
      .given(requested)
      .when(f.rejectClosure())
      .then([
        {
          type: 'ClosureRejected',
          data: { taskId: f.taskId, at: f.day(13), stage: 'review', reason: 'Two counties not covered yet' },
        },
      ]);
  });

  it('is sent back at approval by the approver', () => {
    task
      .given(reviewed)
      .when(f.rejectClosure(f.day(14), f.approver))
      .thenEvents(([rejected]) => expect(rejected!.data).toMatchObject({ stage: 'approval' }));
  });

  it('is sent back only by whoever decides at that stage', () => {
    task
      .given(requested)
      .when(f.rejectClosure(f.day(13), f.actors.deputyLeader))
      .thenRejects('NotAuthorized');
    task
      .given(requested)
      .when(f.rejectClosure(f.day(13), f.actors.otherSection))
      .thenRejects('NotAuthorized');
    task
      .given(reviewed)
      .when(f.rejectClosure(f.day(14), f.actors.section))
      .thenRejects('NotAuthorized');
    task
      .given(reviewed)
      .when(f.rejectClosure(f.day(14), f.actors.otherDeputyLeader))
      .thenRejects('NotAuthorized');
  });

  it('needs a closure request', () => {
    task.given(accepted).when(f.rejectClosure()).thenRejects('ClosureNotRequested');
  });

  describe('after a rejection', () => {
    const sentBack = f.history(f.assign(), f.accept(), f.report(), f.requestClosure(), f.rejectClosure());

    it('the task is back in progress: no request to review, a new one may be made', () => {
      expect(fold(taskDecider, sentBack).status).toBe('in-progress');
      task
        .given(sentBack)
        .when(f.reviewClosure('good', f.day(14)))
        .thenRejects('ClosureNotRequested');
      task
        .given(sentBack)
        .when(f.approveClosure('good', f.day(14)))
        .thenRejects('ClosureNotRequested');
      task
        .given(sentBack)
        .when(f.requestClosure(f.day(15)))
        .thenEvents((events) => expect(types(events)).toEqual(['ClosureRequested']));
    });

    it('the supervisor keeps urging, and the lead unit may ask for an extension', () => {
      task
        .given(sentBack)
        .when(f.urge(f.day(14)))
        .thenEvents((events) => expect(types(events)).toEqual(['TaskUrged']));
      task
        .given(sentBack)
        .when(f.requestExtension(f.day(30, 8), f.day(14)))
        .thenEvents((events) => expect(types(events)).toEqual(['ExtensionRequested']));
    });

    it('the request sent back no longer meets the deadline: it can be missed (DeadlineMissed, red light)', () => {
      task
        .given(sentBack)
        .when(f.checkDeadlines(f.day(21)))
        .thenEvents((events) =>
          expect(events.map((e) => [e.type, 'milestone' in e.data ? e.data.milestone : e.data.at])).toEqual([
            ['DeadlineMissed', f.day(21)],
          ]),
        );
      expect(lightOf(fold(taskDecider, sentBack), f.day(21), ctx)).toBe('red');
      expect(lightOf(fold(taskDecider, requested), f.day(21), ctx)).toBe('green');
    });

    it('a closure applied for again after the deadline is late (落实不力)', () => {
      const lateAgain = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.requestClosure(),
        f.rejectClosure(),
        f.requestClosure(f.day(22)),
        f.reviewClosure('basic', f.day(23)),
      );
      const suggestion = suggestGrade(fold(taskDecider, lateAgain), f.day(24), ctx);
      expect(suggestion.grade).toBe('poor');
      expect(suggestion.reasons[0]).toMatchObject({
        rule: 'late',
        events: [{ type: 'ClosureRequested', revision: 5 }],
      });
    });

    it('a closure applied for again in time keeps its grade, without the head start of the first request', () => {
      const again = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.requestClosure(f.day(5)),
        f.rejectClosure(f.day(6)),
        f.requestClosure(f.day(20)),
      );
      expect(suggestGrade(fold(taskDecider, again), f.day(20), ctx)).toMatchObject({
        grade: 'basic',
        reasons: [{ rule: 'on-time', events: [{ type: 'ClosureRequested', revision: 5 }] }],
      });
    });
  });
});
