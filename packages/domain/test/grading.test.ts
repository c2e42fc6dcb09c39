import { spec, taskFixture } from '@duban/testing';
import {
  DEFAULT_POLICY,
  createCalendar,
  defaultContext,
  fold,
  suggestGrade,
  taskDecider,
  type DomainContext,
  type TaskCommand,
} from '@duban/domain';

const f = taskFixture();
const ctx = defaultContext();

/** The engine's suggestion for the task after these commands, as of `now`. */
const suggest = (commands: TaskCommand[], now: string, context: DomainContext = ctx) =>
  suggestGrade(fold(taskDecider, f.history(...commands)), now, context);

const start = [f.assign(), f.accept(), f.report()];

describe('评估考核: the suggested grade and the events behind it', () => {
  describe('落实好 excellent: written praise or approving instructions of main leaders', () => {
    it('follows a recognition, naming it', () => {
      const s = suggest([...start, f.recognise('P-1', f.day(10)), f.requestClosure()], f.day(13));
      expect(s.grade).toBe('excellent');
      expect(s.reasons[0]).toEqual({
        grade: 'excellent',
        rule: 'recognition',
        text: 'praised by a ministry or endorsed by main leaders (书面表扬、批示肯定)',
        events: [{ type: 'RecognitionRecorded', revision: 3 }],
      });
    });

    it('is suggested at closure, and the approver who follows needs no justification', () => {
      const events = f.history(
        ...start,
        f.recognise('P-1', f.day(10)),
        f.requestClosure(),
        f.reviewClosure('excellent'),
      );
      spec(taskDecider)
        .given(events)
        .when(f.approveClosure('excellent'))
        .thenEvents(([closed]) =>
          expect(closed!.data).toMatchObject({
            grade: 'excellent',
            suggestedGrade: 'excellent',
            reasons: [
              { rule: 'recognition', events: [{ type: 'RecognitionRecorded', revision: 3 }] },
              { grade: 'good' },
            ],
          }),
        );
    });
  });

  describe('落实较好 good: completed ahead of the deadline, unprompted', () => {
    it('follows a closure request at least a working day before the deadline', () => {
      const s = suggest([...start, f.requestClosure(f.day(19))], f.day(19));
      expect(s).toEqual({
        grade: 'good',
        reasons: [
          {
            grade: 'good',
            rule: 'ahead-of-deadline',
            text: 'applied for closure ahead of the deadline, unprompted (提前完成)',
            events: [{ type: 'ClosureRequested', revision: 3 }],
          },
        ],
      });
    });

    it('takes the head start from the policy', () => {
      const strict = defaultContext({ policy: { ...DEFAULT_POLICY, aheadOfDeadlineWorkingDays: 10 } });
      expect(suggest([...start, f.requestClosure(f.day(12))], f.day(12), strict).grade).toBe('basic');
      expect(suggest([...start, f.requestClosure(f.day(10))], f.day(10), strict).grade).toBe('good');
    });
  });

  describe('基本落实 basic: within the deadline', () => {
    it('follows a closure request on the day of the deadline', () => {
      const s = suggest([...start, f.requestClosure(f.day(20, 7))], f.day(20, 7));
      expect(s.grade).toBe('basic');
      expect(s.reasons[0]).toEqual({
        grade: 'basic',
        rule: 'on-time',
        text: 'done within the deadline (规定时限内基本完成)',
        events: [{ type: 'ClosureRequested', revision: 3 }],
      });
    });

    it.each([
      ['urged (催办)', f.urge(f.day(5))],
      ['warned (预警)', f.warn('yellow', f.day(5))],
      ['sent a written notice (督办通知书)', f.notice('DB-1', f.day(5))],
    ])('follows an early closure of a task that was %s: not unprompted', (_, supervision) => {
      const s = suggest([...start, supervision, f.requestClosure()], f.day(13));
      expect(s.grade).toBe('basic');
      expect(s.reasons[0]).toMatchObject({
        rule: 'on-time',
        events: [{ type: 'ClosureRequested', revision: 4 }],
      });
    });

    it('follows a closure within a deadline extended on approved grounds (经批准认同), naming the approval', () => {
      const s = suggest(
        [...start, f.requestExtension(), f.approveExtension(), f.requestClosure(f.day(22))],
        f.day(23),
      );
      expect(s.grade).toBe('basic');
      expect(s.reasons[0]).toEqual({
        grade: 'basic',
        rule: 'on-time-after-extension',
        text: 'done within a deadline extended on approved grounds (经批准认同)',
        events: [
          { type: 'ClosureRequested', revision: 5 },
          { type: 'ExtensionApproved', revision: 4 },
        ],
      });
    });

    it('is the standing for a task in progress within its deadline', () => {
      expect(suggest(start, f.day(10))).toEqual({
        grade: 'basic',
        reasons: [
          {
            grade: 'basic',
            rule: 'in-progress',
            text: 'in progress within the deadline (规定时限内)',
            events: [{ type: 'TaskAssigned', revision: 0 }],
          },
        ],
      });
    });
  });

  describe('落实不力 poor', () => {
    it('follows a closure applied for after the deadline, naming the request and the missed deadline', () => {
      const s = suggest([...start, f.checkDeadlines(f.day(21)), f.requestClosure(f.day(22))], f.day(23));
      expect(s.grade).toBe('poor');
      expect(s.reasons[0]).toEqual({
        grade: 'poor',
        rule: 'late',
        text: 'not done by the deadline (未按期办结)',
        events: [
          { type: 'ClosureRequested', revision: 4 },
          { type: 'DeadlineMissed', revision: 3 },
        ],
      });
    });

    it('says so when the task was urged before (经催办后仍未办理), naming the urges', () => {
      const s = suggest([...start, f.urge(f.day(15)), f.requestClosure(f.day(22))], f.day(23));
      expect(s.reasons[0]).toMatchObject({
        grade: 'poor',
        rule: 'late',
        text: 'not done by the deadline even after urging (经催办后仍未办理)',
        events: [
          { type: 'ClosureRequested', revision: 4 },
          { type: 'TaskUrged', revision: 3 },
        ],
      });
    });

    it('is the standing of an open task whose deadline passed', () => {
      expect(suggest(start, f.day(21)).grade).toBe('poor');
      expect(suggest(start, f.day(20, 7)).grade).toBe('basic');
    });

    it('follows a first report later than 3 working days and an urge (未能按时报告，经催办)', () => {
      const s = suggest(
        [f.assign(), f.accept(), f.urge(f.day(4)), f.report({}, f.day(5)), f.requestClosure()],
        f.day(13),
      );
      expect(s.grade).toBe('poor');
      expect(s.reasons[0]).toEqual({
        grade: 'poor',
        rule: 'late-report-after-urging',
        text: 'the first feedback, due 2022-03-04 09:00, came only after urging (未能按时报告，经催办后仍未办理)',
        events: [
          { type: 'ProgressReported', revision: 3 },
          { type: 'TaskUrged', revision: 2 },
        ],
      });
    });

    it('needs the urge to come after the report was due and before it came: a later urge on another matter does not make it poor', () => {
      // First report one hour late; an urge a week later about something else.
      const s = suggest(
        [f.assign(), f.accept(), f.report({}, f.day(3, 1)), f.urge(f.day(8)), f.requestClosure(f.day(12))],
        f.day(13),
      );
      expect(s.grade).toBe('basic');
      expect(s.reasons.map((r) => r.rule)).not.toContain('late-report-after-urging');
      // An urge before the report was even due does not count either.
      expect(
        suggest(
          [f.assign(), f.accept(), f.urge(f.day(2)), f.report({}, f.day(3, 1)), f.requestClosure()],
          f.day(13),
        ).reasons.map((r) => r.rule),
      ).not.toContain('late-report-after-urging');
    });

    it('follows an open task with no report after 3 working days, once urged', () => {
      expect(suggest([f.assign(), f.accept(), f.urge(f.day(4))], f.day(4)).grade).toBe('poor');
      expect(suggest([f.assign(), f.accept(), f.urge(f.day(2))], f.day(2)).grade).toBe('basic');
    });

    it('needs both: a late report without urging, or urging of a timely report, is not enough', () => {
      // a late first report alone is not poor, but it is not proactive either: basic, naming the limit
      const late = suggest([f.assign(), f.accept(), f.report({}, f.day(5)), f.requestClosure()], f.day(13));
      expect(late.grade).toBe('basic');
      expect(late.reasons[0]!.text).toContain('first-feedback came late');
      expect(suggest([...start, f.urge(f.day(4)), f.requestClosure()], f.day(13)).grade).toBe('basic');
    });

    it('does not count a co-unit contribution as the lead unit report', () => {
      expect(
        suggest([f.assign(), f.accept(), f.report({}, f.day(1), f.actors.coUnit), f.urge(f.day(4))], f.day(4))
          .grade,
      ).toBe('poor');
    });

    it('follows a failed rectification look-back (经督查督办后仍未按要求完成)', () => {
      const s = suggest(
        [
          ...start,
          f.openRectification(),
          f.planRectification(),
          f.completeRectification(),
          f.lookBack('failed'),
          f.openRectification('R-2', f.day(13)),
        ],
        f.day(13),
      );
      expect(s.grade).toBe('poor');
      expect(s.reasons[0]).toMatchObject({
        rule: 'rectification-failed',
        events: [{ type: 'LookBackReviewed', revision: 6 }],
      });
    });
  });

  describe('落实较差 very poor', () => {
    it('follows no progress reported at all while the deadline passed (不推进、不落实，且不及时报告)', () => {
      const s = suggest([f.assign(), f.accept(), f.checkDeadlines(f.day(21))], f.day(22));
      expect(s.grade).toBe('very-poor');
      expect(s.reasons[0]).toEqual({
        grade: 'very-poor',
        rule: 'no-progress',
        text: 'no progress reported and the deadline passed (不推进、不落实，且不及时报告)',
        events: [
          { type: 'TaskAssigned', revision: 0 },
          // revision 2: the first-feedback limit missed at the same check
          { type: 'DeadlineMissed', revision: 3 },
        ],
      });
    });

    it('is not suggested for silence while the deadline has not passed', () => {
      expect(suggest([f.assign(), f.accept()], f.day(20, 7)).grade).toBe('basic');
    });

    it.each(['national-ministry', 'meeting', 'provincial-main-leader', 'municipal-main-leader'] as const)(
      'follows criticism (%s), naming it',
      (source) => {
        const criticism = { ...f.criticise('C-1', f.day(8)), data: { ...f.criticise().data, source } };
        const s = suggest([...start, criticism, f.requestClosure()], f.day(13));
        expect(s.grade).toBe('very-poor');
        expect(s.reasons[0]).toEqual({
          grade: 'very-poor',
          rule: 'criticism',
          text: 'criticised by a ministry, at a meeting or by main leaders (点名批评)',
          events: [{ type: 'CriticismRecorded', revision: 3 }],
        });
      },
    );

    it('follows falsification or false reporting (弄虚作假、虚报瞒报), naming it', () => {
      const s = suggest([...start, f.falsification('F-1', f.day(8)), f.requestClosure()], f.day(13));
      expect(s.grade).toBe('very-poor');
      expect(s.reasons[0]).toEqual({
        grade: 'very-poor',
        rule: 'falsification',
        text: 'falsification or false reporting found (弄虚作假、虚报瞒报)',
        events: [{ type: 'FalsificationFound', revision: 3 }],
      });
    });
  });

  describe('weighing the facts', () => {
    it('lets negative findings outweigh praise', () => {
      const s = suggest([...start, f.recognise('P-1', f.day(10)), f.requestClosure(f.day(22))], f.day(23));
      expect(s.grade).toBe('poor');
      expect(s.reasons.map((r) => r.rule)).toEqual(['late', 'recognition']);
    });

    it('takes the worst negative finding, and lists the decisive reasons first', () => {
      const s = suggest(
        [...start, f.urge(f.day(5)), f.criticise('C-1', f.day(8)), f.requestClosure(f.day(22))],
        f.day(23),
      );
      expect(s.grade).toBe('very-poor');
      expect(s.reasons.map((r) => [r.grade, r.rule])).toEqual([
        ['very-poor', 'criticism'],
        ['poor', 'late'],
      ]);
    });

    it('lets praise outweigh timeliness', () => {
      const s = suggest([...start, f.recognise('P-1', f.day(10)), f.requestClosure()], f.day(13));
      expect(s.reasons.map((r) => r.rule)).toEqual(['recognition', 'ahead-of-deadline']);
    });

    it('gives every reason at least one event of the stream, each at its revision', () => {
      const commands = [
        ...start,
        f.urge(f.day(5)),
        f.recognise('P-1', f.day(8)),
        f.criticise('C-1', f.day(9)),
        f.falsification('F-1', f.day(10)),
        f.requestClosure(f.day(22)),
      ];
      const events = f.history(...commands);
      const s = suggestGrade(fold(taskDecider, events), f.day(23), ctx);
      for (const reason of s.reasons) {
        expect(reason.events.length).toBeGreaterThan(0);
        for (const ref of reason.events) expect(events[ref.revision]!.type).toBe(ref.type);
      }
    });

    it('counts the head start in working days of the deployment calendar (调休)', () => {
      const g = taskFixture({ assignedAt: '2022-03-22T09:00:00+08:00' });
      const events = g.history(g.assign({ deadline: '2022-04-06T17:00:00+08:00' }), g.accept(), g.report(), {
        ...g.requestClosure(),
        at: '2022-04-01T10:00:00+08:00',
      });
      const policy = { ...DEFAULT_POLICY, aheadOfDeadlineWorkingDays: 3 };
      const plain = defaultContext({ policy });
      // 清明 2022: Saturday 2 April worked, Monday 4 and Tuesday 5 April off
      const qingming = defaultContext({
        policy,
        calendar: createCalendar({
          adjustments: { '2022-04-02': 'working', '2022-04-04': 'holiday', '2022-04-05': 'holiday' },
        }),
      });
      const state = fold(taskDecider, events);
      expect(suggestGrade(state, '2022-04-01T10:00:00+08:00', plain).grade).toBe('good'); // 4, 5, 6 April
      expect(suggestGrade(state, '2022-04-01T10:00:00+08:00', qingming).grade).toBe('basic'); // 2, 6 April
    });
  });
});
