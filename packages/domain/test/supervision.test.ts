import { spec, taskFixture } from '@duban/testing';
import { taskDecider } from '@duban/domain';

const task = spec(taskDecider);
/** A deputy leader's task: the section that handed it out supervises it (谁交办谁督办). */
const f = taskFixture();
/** A task the main leader assigned directly: the inspection office supervises it. */
const m = taskFixture({ origin: 'main-leader' });
const accepted = f.history(f.assign(), f.accept(), f.report());
const mainAccepted = m.history(m.assign(), m.accept(), m.report());

describe('督办: who supervises (谁交办谁负责，谁负责谁督办)', () => {
  describe("a deputy leader's task is supervised by the section that handed it out", () => {
    it('the section urges (催办), and each urge is counted', () => {
      task
        .given(accepted)
        .when(f.urge())
        .then([
          {
            type: 'TaskUrged',
            data: { taskId: f.taskId, at: f.day(5), reason: 'No feedback this week', count: 1 },
          },
        ]);
      task
        .given(f.history(f.assign(), f.accept(), f.urge(f.day(4)), f.urge(f.day(5))))
        .when(f.urge(f.day(6)))
        .thenEvents(([urged]) => expect(urged!.data).toMatchObject({ count: 3 }));
    });

    it('the section warns (预警), yellow or red', () => {
      task
        .given(accepted)
        .when(f.warn('red'))
        .then([
          {
            type: 'WarningIssued',
            data: { taskId: f.taskId, at: f.day(6), level: 'red', reason: 'Progress lags the plan' },
          },
        ]);
    });

    it('the section sends a written notice (书面督办通知书)', () => {
      task
        .given(accepted)
        .when({ ...f.notice(), data: { ...f.notice().data, respondBy: f.day(10) } })
        .then([
          {
            type: 'SupervisionNoticeIssued',
            data: {
              taskId: f.taskId,
              at: f.day(7),
              noticeNo: 'DB-2022-09',
              requirements: 'Report the rectification within 3 days',
              respondBy: f.day(10),
            },
          },
        ]);
    });

    it.each([
      ['another section', f.actors.otherSection],
      ['the inspection office', f.actors.inspectionOffice],
      ['the main leader', f.actors.mainLeader],
      ['the deputy leader', f.actors.deputyLeader],
      ['the lead unit', f.actors.leadUnit],
    ])('%s may not urge, warn or send a notice', (_, actor) => {
      task
        .given(accepted)
        .when(f.urge(f.day(5), actor))
        .thenRejects('NotAuthorized', 'section section-2');
      task
        .given(accepted)
        .when(f.warn('yellow', f.day(6), actor))
        .thenRejects('NotAuthorized');
      task
        .given(accepted)
        .when(f.notice('DB-1', f.day(7), actor))
        .thenRejects('NotAuthorized');
    });
  });

  describe('a task the main leader assigned directly is supervised by the inspection office', () => {
    it('the inspection office urges, warns and sends notices', () => {
      task
        .given(mainAccepted)
        .when(m.urge(m.day(5), m.actors.inspectionOffice))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskUrged']));
      task
        .given(mainAccepted)
        .when(m.warn('yellow', m.day(5), m.actors.inspectionOffice))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['WarningIssued']));
      task
        .given(mainAccepted)
        .when(m.notice('DB-1', m.day(5), m.actors.inspectionOffice))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['SupervisionNoticeIssued']));
    });

    it('the section that handed it out may not', () => {
      task
        .given(mainAccepted)
        .when(m.urge(m.day(5), m.actors.section))
        .thenRejects('NotAuthorized', 'inspection office');
      task
        .given(mainAccepted)
        .when(m.warn('red', m.day(5), m.actors.section))
        .thenRejects('NotAuthorized');
      task
        .given(mainAccepted)
        .when(m.notice('DB-1', m.day(5), m.actors.section))
        .thenRejects('NotAuthorized');
    });
  });

  describe('written notices', () => {
    it('decide nothing when the same notice number is sent again', () => {
      task
        .given(f.history(f.assign(), f.accept(), f.notice('DB-1', f.day(4))))
        .when(f.notice('DB-1', f.day(5)))
        .thenNothingHappens();
    });

    it('are recorded under a new number', () => {
      task
        .given(f.history(f.assign(), f.accept(), f.notice('DB-1', f.day(4))))
        .when(f.notice('DB-2', f.day(5)))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('need a reply date after the notice', () => {
      task
        .given(accepted)
        .when({ ...f.notice(), data: { ...f.notice().data, respondBy: f.day(7) } })
        .thenRejects('DueDateNotInFuture');
    });
  });

  it('urging starts as soon as a task is handed out, before it is signed for', () => {
    task
      .given(f.history(f.assign()))
      .when(f.urge(f.day(2)))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });
});

describe('督查室立项督办: EscalateTask (督办未果、完成不力 → 经市政府主要领导同意)', () => {
  const urged = f.history(f.assign(), f.accept(), f.report(), f.urge());

  it('moves supervision from the section to the inspection office, with the consent on record', () => {
    task
      .given(urged)
      .when(f.escalate())
      .then([
        {
          type: 'TaskEscalated',
          data: {
            taskId: f.taskId,
            at: f.day(8),
            reason: 'Urging had no effect',
            consent: { ref: 'Mayor agreed, memo 12', by: 'mayor' },
            from: { kind: 'section', sectionId: 'section-2' },
            to: { kind: 'inspection-office' },
          },
        },
      ]);
  });

  it("needs the main leader's consent", () => {
    task
      .given(urged)
      .when(f.escalate(f.day(8), f.actors.section, null))
      .thenRejects('EscalationNeedsConsent');
    task
      .given(urged)
      .when(f.escalate(f.day(8), f.actors.inspectionOffice, null))
      .thenRejects('EscalationNeedsConsent');
  });

  it('takes the main leader escalating in person as the consent', () => {
    task
      .given(urged)
      .when(f.escalate(f.day(8), f.actors.mainLeader, null))
      .thenEvents(([escalated]) =>
        expect(escalated!.data).toMatchObject({ consent: { ref: 'given in person', by: 'mayor' } }),
      );
  });

  it('may be set going by the inspection office', () => {
    task
      .given(urged)
      .when(f.escalate(f.day(8), f.actors.inspectionOffice))
      .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskEscalated']));
  });

  it.each([
    ['the deputy leader', f.actors.deputyLeader],
    ['another section', f.actors.otherSection],
    ['the lead unit', f.actors.leadUnit],
  ])('may not be set going by %s', (_, actor) => {
    task
      .given(urged)
      .when(f.escalate(f.day(8), actor))
      .thenRejects('NotAuthorized');
  });

  describe('follows supervision that failed (督办未果)', () => {
    it('is premature while the task was neither urged, warned nor sent a notice and no time limit passed', () => {
      task
        .given(accepted)
        .when(f.escalate(f.day(2, 1)))
        .thenRejects('EscalationPremature');
    });

    it.each([
      ['a warning', f.warn('yellow', f.day(4))],
      ['a written notice', f.notice('DB-1', f.day(4))],
    ])('is allowed after %s', (_, supervision) => {
      task
        .given(f.history(f.assign(), f.accept(), f.report(), supervision))
        .when(f.escalate())
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskEscalated']));
    });

    it('is allowed once a time limit passed unmet (no first feedback within 3 working days)', () => {
      task
        .given(f.history(f.assign(), f.accept()))
        .when(f.escalate(f.day(3, 1)))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskEscalated']));
      task
        .given(f.history(f.assign(), f.accept()))
        .when(f.escalate(f.day(3)))
        .thenRejects('EscalationPremature');
    });

    it('is allowed when a time limit was met late (signed for after a working day)', () => {
      task
        .given(f.history(f.assign(), f.accept(f.day(1, 1)), f.report({}, f.day(2))))
        .when(f.escalate(f.day(2, 1)))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskEscalated']));
    });
  });

  describe('after escalation', () => {
    const escalated = f.history(f.assign(), f.accept(), f.report(), f.urge(), f.escalate());

    it('the inspection office supervises and the section no longer does', () => {
      task
        .given(escalated)
        .when(f.urge(f.day(9), f.actors.inspectionOffice))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['TaskUrged']));
      task
        .given(escalated)
        .when(f.urge(f.day(9), f.actors.section))
        .thenRejects('NotAuthorized');
      task
        .given(escalated)
        .when(f.notice('DB-3', f.day(9), f.actors.section))
        .thenRejects('NotAuthorized');
    });

    it('the section still decides extensions and reviews closure (对应科室)', () => {
      const pending = f.history(
        f.assign(),
        f.accept(),
        f.report(),
        f.urge(),
        f.escalate(),
        f.requestExtension(),
      );
      task
        .given(pending)
        .when(f.approveExtension())
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ExtensionApproved']));
    });

    it('escalating again decides nothing, and the section is no longer the one to ask', () => {
      task
        .given(escalated)
        .when(f.escalate(f.day(9), f.actors.inspectionOffice))
        .thenNothingHappens();
      task
        .given(escalated)
        .when(f.escalate(f.day(9), f.actors.mainLeader))
        .thenNothingHappens();
      task
        .given(escalated)
        .when(f.escalate(f.day(9), f.actors.section))
        .thenRejects('NotAuthorized');
    });
  });

  it('decides nothing for a task the inspection office already supervises', () => {
    task
      .given(m.history(m.assign(), m.accept(), m.urge(m.day(5), m.actors.inspectionOffice)))
      .when(m.escalate(m.day(8), m.actors.inspectionOffice))
      .thenNothingHappens();
  });
});
