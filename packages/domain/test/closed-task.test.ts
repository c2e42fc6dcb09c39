import { isLeft } from 'fp-ts/Either';
import { spec, taskFixture } from '@duban/testing';
import {
  ACCEPTED_WHEN_CLOSED,
  Commands,
  fold,
  taskDecider,
  TaskCommands,
  type TaskCommand,
  type TaskCommandType,
  type TaskEvent,
} from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const types = (events: readonly TaskEvent[]) => events.map((e) => e.type);

/** Closed as good: applied for closure eight working days early, unprompted. */
const closedGood = f.history(
  f.assign(),
  f.accept(),
  f.report(),
  f.requestClosure(),
  f.reviewClosure('good'),
  f.approveClosure('good'),
);
/** Closed as poor: applied for closure after the deadline. */
const closedLate = f.history(
  f.assign(),
  f.accept(),
  f.report(),
  f.requestClosure(f.day(22)),
  f.reviewClosure('poor', f.day(23)),
  f.approveClosure('poor', f.day(24)),
);
/** Closed as good with a completed rectification whose look-back is still to come. */
const closedAwaitingLookBack = f.history(
  f.assign(),
  f.accept(),
  f.report(),
  f.openRectification(),
  f.planRectification(),
  f.completeRectification(),
  f.requestClosure(),
  f.reviewClosure('good'),
  f.approveClosure('good'),
);

const decide = (history: TaskEvent[], command: TaskCommand) => {
  const result = taskDecider.decide(command, fold(taskDecider, history));
  if (isLeft(result)) throw new Error(`rejected: ${result.left.message}`);
  return result.right;
};

describe('a closed task (已办结)', () => {
  it('accepts only recognition, criticism, falsification and look-backs, besides idempotent repeats', () => {
    expect([...ACCEPTED_WHEN_CLOSED].sort()).toEqual(
      [
        'AssignTask',
        'ApproveClosure',
        'CheckDeadlines',
        'RecordCriticism',
        'RecordFalsification',
        'RecordRecognition',
        'ReviewLookBack',
      ].sort(),
    );
  });

  const refused: Array<[TaskCommandType, TaskCommand]> = [
    ['AcceptTask', f.accept(f.day(15))],
    ['SubmitWorkPlan', f.submitPlan({}, f.day(15))],
    ['ReportProgress', f.report({}, f.day(15))],
    ['UrgeTask', f.urge(f.day(15))],
    ['IssueWarning', f.warn('red', f.day(15))],
    ['IssueSupervisionNotice', f.notice('DB-1', f.day(15))],
    ['EscalateTask', f.escalate(f.day(15))],
    ['RequestExtension', f.requestExtension(f.day(30, 8), f.day(15))],
    ['ApproveExtension', f.approveExtension(f.day(15))],
    ['RejectExtension', f.rejectExtension(f.day(15))],
    ['RequestClosure', f.requestClosure(f.day(15))],
    ['ReviewClosure', f.reviewClosure('good', f.day(15))],
    ['RejectClosure', f.rejectClosure(f.day(15), f.approver)],
    ['OpenRectification', f.openRectification('R-2', f.day(15), f.supervisor, f.day(20))],
    ['SubmitRectificationPlan', f.planRectification('R-1', f.day(15))],
    ['CompleteRectification', f.completeRectification('R-1', f.day(15))],
    ['RespondToNotice', f.respondToNotice('DB-2022-09', f.day(15))],
    ['AnswerDifficulty', f.answerDifficulty(3, f.day(15))],
  ];

  it('lists every other task command below', () => {
    expect(
      refused
        .map(([type]) => type)
        .concat([...ACCEPTED_WHEN_CLOSED])
        .sort(),
    ).toEqual(Object.keys(TaskCommands).sort());
    expect(Object.keys(Commands)).toEqual(expect.arrayContaining(Object.keys(TaskCommands)));
  });

  it.each(refused)('refuses %s', (_, command) => {
    task.given(closedAwaitingLookBack).when(command).thenRejects('TaskClosed');
  });

  it('decides nothing at a deadline check, even long after the deadline', () => {
    task
      .given(closedGood)
      .when(f.checkDeadlines(f.day(60)))
      .thenNothingHappens();
  });

  it('decides nothing for its registration sent again', () => {
    task.given(closedGood).when(f.assign()).thenNothingHappens();
  });

  describe('facts that bear on the grade are still recorded, and regrade it when they change it (TaskRegraded)', () => {
    it('criticism (点名批评) makes it very poor', () => {
      task
        .given(closedGood)
        .when(f.criticise())
        .then([
          {
            type: 'CriticismRecorded',
            data: {
              taskId: f.taskId,
              at: f.day(16),
              criticismId: 'C-1',
              source: 'meeting',
              reference: 'Executive meeting 2022-7',
              summary: 'Named for delays',
            },
          },
          {
            type: 'TaskRegraded',
            data: {
              taskId: f.taskId,
              at: f.day(16),
              from: 'good',
              to: 'very-poor',
              cause: { type: 'CriticismRecorded', revision: 6 },
              reasons: [
                {
                  grade: 'very-poor',
                  rule: 'criticism',
                  text: 'criticised by a ministry, at a meeting or by main leaders (点名批评)',
                  events: [{ type: 'CriticismRecorded', revision: 6 }],
                },
              ],
            },
          },
        ]);
    });

    it('falsification (弄虚作假) makes it very poor', () => {
      const events = decide(closedGood, f.falsification());
      expect(types(events)).toEqual(['FalsificationFound', 'TaskRegraded']);
      expect(events[1]!.data).toMatchObject({
        from: 'good',
        to: 'very-poor',
        cause: { type: 'FalsificationFound', revision: 6 },
        reasons: [{ rule: 'falsification', events: [{ type: 'FalsificationFound', revision: 6 }] }],
      });
    });

    it('a failed look-back (整改不到位) makes it poor', () => {
      const events = decide(closedAwaitingLookBack, f.lookBack('failed', 'R-1', f.day(16)));
      expect(types(events)).toEqual(['LookBackReviewed', 'TaskRegraded']);
      expect(events[1]!.data).toMatchObject({
        from: 'good',
        to: 'poor',
        cause: { type: 'LookBackReviewed', revision: 9 },
        reasons: [{ grade: 'poor', rule: 'rectification-failed' }],
      });
    });

    it('a failed look-back leaves a worse grade as it is', () => {
      const criticised = [
        ...closedAwaitingLookBack,
        ...decide(closedAwaitingLookBack, f.criticise(f.day(15))),
      ];
      expect(types(decide(criticised, f.lookBack('failed', 'R-1', f.day(16))))).toEqual(['LookBackReviewed']);
    });

    it('a passed look-back changes nothing', () => {
      expect(types(decide(closedAwaitingLookBack, f.lookBack('passed', 'R-1', f.day(16))))).toEqual([
        'LookBackReviewed',
      ]);
    });

    it('recognition (书面表扬、批示肯定) makes it excellent', () => {
      const events = decide(closedGood, f.recognise());
      expect(types(events)).toEqual(['RecognitionRecorded', 'TaskRegraded']);
      expect(events[1]!.data).toMatchObject({
        from: 'good',
        to: 'excellent',
        cause: { type: 'RecognitionRecorded', revision: 6 },
        reasons: [
          { grade: 'excellent', rule: 'recognition', events: [{ type: 'RecognitionRecorded', revision: 6 }] },
        ],
      });
    });

    describe('recognition does not outweigh a negative finding', () => {
      it('criticism', () => {
        const criticised = [...closedGood, ...decide(closedGood, f.criticise(f.day(15)))];
        expect(types(decide(criticised, f.recognise()))).toEqual(['RecognitionRecorded']);
      });

      it('falsification', () => {
        const falsified = [...closedGood, ...decide(closedGood, f.falsification('F-1', f.day(15)))];
        expect(types(decide(falsified, f.recognise()))).toEqual(['RecognitionRecorded']);
      });

      it('closure after the deadline (落实不力)', () => {
        expect(types(decide(closedLate, f.recognise('P-1', f.day(25))))).toEqual(['RecognitionRecorded']);
      });

      it('a failed look-back', () => {
        const failedAfter = [
          ...closedAwaitingLookBack,
          ...decide(closedAwaitingLookBack, f.lookBack('failed', 'R-1', f.day(15))),
        ];
        expect(types(decide(failedAfter, f.recognise()))).toEqual(['RecognitionRecorded']);
      });
    });

    it('a fact that leaves the grade as it is adds no TaskRegraded', () => {
      const criticised = [...closedGood, ...decide(closedGood, f.criticise(f.day(15)))];
      expect(types(decide(criticised, f.criticise('C-2')))).toEqual(['CriticismRecorded']);
    });

    it('a regrade starts from the grade that counts now', () => {
      const praised = [...closedGood, ...decide(closedGood, f.recognise('P-1', f.day(15)))];
      expect(fold(taskDecider, praised).grade).toBe('excellent');
      const events = decide(praised, f.criticise());
      expect(events[1]!.data).toMatchObject({ from: 'excellent', to: 'very-poor' });
      expect(fold(taskDecider, [...praised, ...events]).grade).toBe('very-poor');
    });

    it('the same fact recorded again decides nothing', () => {
      const praised = [...closedGood, ...decide(closedGood, f.recognise())];
      task
        .given(praised)
        .when(f.recognise('P-1', f.day(17)))
        .thenNothingHappens();
      const criticised = [...closedGood, ...decide(closedGood, f.criticise())];
      task
        .given(criticised)
        .when(f.criticise('C-1', f.day(17)))
        .thenNothingHappens();
      const falsified = [...closedGood, ...decide(closedGood, f.falsification())];
      task
        .given(falsified)
        .when(f.falsification('F-1', f.day(17)))
        .thenNothingHappens();
    });

    it('on an open task the fact is recorded without a regrade', () => {
      const open = f.history(f.assign(), f.accept());
      expect(types(decide(open, f.criticise(f.day(5))))).toEqual(['CriticismRecorded']);
      expect(types(decide(open, f.recognise('P-1', f.day(5))))).toEqual(['RecognitionRecorded']);
    });
  });

  describe('who records such facts', () => {
    it.each([
      ['the supervisor', f.supervisor],
      ['the inspection office', f.actors.inspectionOffice],
      ['the main leader', f.actors.mainLeader],
    ])('%s may', (_, actor) => {
      expect(types(decide(closedGood, f.criticise('C-1', f.day(16), actor)))[0]).toBe('CriticismRecorded');
    });

    it.each([
      ['the lead unit', f.actors.leadUnit],
      ['the deputy leader', f.actors.deputyLeader],
      ['another section', f.actors.otherSection],
    ])('%s may not', (_, actor) => {
      task
        .given(closedGood)
        .when(f.recognise('P-1', f.day(16), actor))
        .thenRejects('NotAuthorized');
      task
        .given(closedGood)
        .when(f.criticise('C-1', f.day(16), actor))
        .thenRejects('NotAuthorized');
      task
        .given(closedGood)
        .when(f.falsification('F-1', f.day(16), actor))
        .thenRejects('NotAuthorized');
    });
  });
});
