import { spec, taskFixture } from '@duban/testing';
import { createTaskDecider, decodeCommand, defaultContext, createCalendar, taskDecider } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);

describe('立项/交办: AssignTask', () => {
  it('records the registration with every particular, supervised by the section for a deputy leader (谁交办谁督办)', () => {
    task
      .given([])
      .when(f.assign({ requirements: 'Report weekly', taskForceId: 'TF-registration' }))
      .then([
        {
          type: 'TaskAssigned',
          data: {
            taskId: f.taskId,
            at: f.assignedAt,
            title: 'Cut business registration time to 3 working days',
            source: 'government-meeting-decisions',
            key: false,
            complexity: 'major',
            leadUnit: 'bureau-of-commerce',
            coUnits: ['bureau-of-finance'],
            deadline: f.deadline,
            approval: { ref: 'CZ-GOV-2022-017', by: 'mayor' },
            origin: { kind: 'deputy-leader', leaderId: 'vice-mayor-li' },
            sectionId: 'section-2',
            supervisor: { kind: 'section', sectionId: 'section-2' },
            requirements: 'Report weekly',
            taskForceId: 'TF-registration',
            // The deputy leader who decided it is in charge of it (分管), and approves its closure.
            deputyInCharge: 'vice-mayor-li',
            // A major item reports every month until closure (跟踪到底).
            reportingCadence: { every: { months: 1 } },
            // Each co-unit's part (细化各自职责).
            coUnitDuties: [
              { unitId: 'bureau-of-finance', duty: 'bureau-of-finance: fees and funding for the reform' },
            ],
            // 13710, set now with today's calendar and kept: 1 and 3 working days (the one-month limit of
            // a major item falls after its deadline, 20 working days away, so the deadline asks it).
            timeLimits: [
              {
                id: 'deploy',
                label: { en: 'deployed within 1 working day', zh: '1天内研究部署' },
                due: f.day(1),
                metBy: ['accepted'],
              },
              {
                id: 'first-feedback',
                label: { en: 'first feedback within 3 working days', zh: '3天内反馈办理情况' },
                due: f.day(3),
                metBy: ['progress-reported', 'closure-requested'],
              },
            ],
          },
        },
      ]);
  });

  it('puts a task the main leader assigned directly under the inspection office (主要领导直接交办 → 督查室督办)', () => {
    const m = taskFixture({ origin: 'main-leader' });
    task
      .given([])
      .when(m.assign())
      .thenEvents(([assigned]) => {
        expect(assigned!.data).toMatchObject({
          origin: { kind: 'main-leader', leaderId: 'mayor' },
          supervisor: { kind: 'inspection-office' },
        });
      });
  });

  it('marks a key task (重点事项) when asked, and an ordinary one otherwise', () => {
    task
      .given([])
      .when(f.assign({ key: true }))
      .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ key: true }));
  });

  it.each([
    'central-instructions',
    'central-decisions',
    'provincial-decisions',
    'municipal-party-decisions',
    'work-report-targets',
    'government-meeting-decisions',
    'leader-instructions',
    'other',
  ] as const)('takes a task from each of the eight sources of 主要任务: %s', (source) => {
    const command = f.assign({ source });
    expect(decodeCommand(command)).toEqual({ _tag: 'Right', right: command });
    task
      .given([])
      .when(command)
      .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ source }));
  });

  it('takes no source outside the eight', () => {
    expect(decodeCommand({ ...f.assign(), data: { ...f.assign().data, source: 'rumour' } })).toMatchObject({
      _tag: 'Left',
      left: { problems: [{ path: 'data.source' }] },
    });
  });

  describe('who may hand the task out', () => {
    it('the section named on it', () => {
      task
        .given([])
        .when(f.assign({}, f.actors.section))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('the deputy leader who decided it', () => {
      task
        .given([])
        .when(f.assign({}, f.actors.deputyLeader))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('the main leader, for a task the main leader decided', () => {
      const m = taskFixture({ origin: 'main-leader' });
      task
        .given([])
        .when(m.assign({}, m.actors.mainLeader))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it.each([
      ['another section', f.actors.otherSection],
      ['another deputy leader', f.actors.otherDeputyLeader],
      ['the main leader, for a deputy leader decision', f.actors.mainLeader],
      ['the inspection office', f.actors.inspectionOffice],
      ['the lead unit', f.actors.leadUnit],
    ])('not %s', (_, actor) => {
      task.given([]).when(f.assign({}, actor)).thenRejects('NotAuthorized');
    });

    it('not an auditor, who issues no command', () => {
      task.given([]).when(f.assign({}, f.actors.auditor)).thenRejects('AuditorsCannotAct');
    });

    it('not the system, which only runs the deadline check', () => {
      task.given([]).when(f.assign({}, f.actors.system)).thenRejects('NotAuthorized', 'deadline check');
    });
  });

  describe('the deadline (办结期限) lies after the assignment', () => {
    it('rejects a deadline before the assignment', () => {
      task
        .given([])
        .when(f.assign({ deadline: '2022-02-28T17:00:00+08:00' }))
        .thenRejects('DeadlineNotInFuture');
    });

    it('rejects a deadline at the very instant of the assignment', () => {
      task
        .given([])
        .when(f.assign({ deadline: f.assignedAt }))
        .thenRejects('DeadlineNotInFuture');
    });

    it('rejects a deadline more than five years ahead (a due date beyond the horizon costs every query)', () => {
      task
        .given([])
        .when(f.assign({ deadline: '2027-03-10T17:00:00+08:00' }))
        .thenRejects('DueDateTooFar');
      task
        .given([])
        .when(f.assign({ deadline: '2027-02-26T17:00:00+08:00' }))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('keeps every other due time a command sets within the same horizon', () => {
      const far = '2028-01-04T17:00:00+08:00';
      const started = f.history(f.assign(), f.accept());
      task.given(started).when(f.requestExtension(far)).thenRejects('DueDateTooFar', far);
      task
        .given(f.history(f.assign(), f.accept(), f.requestExtension()))
        .when(f.approveExtension(undefined, undefined, far))
        .thenRejects('DueDateTooFar');
      task
        .given(started)
        .when(f.openRectification('R-9', f.day(9), undefined, far))
        .thenRejects('DueDateTooFar');
      const notice = f.notice();
      task
        .given(started)
        .when({ ...notice, data: { ...notice.data, respondBy: far } })
        .thenRejects('DueDateTooFar');
    });

    it('accepts a deadline one minute later', () => {
      task
        .given([])
        .when(f.assign({ deadline: '2022-03-01T09:01:00+08:00' }))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });
  });

  describe('lead unit and co-units (牵头单位和协办单位)', () => {
    it('rejects the lead unit named as a co-unit', () => {
      task
        .given([])
        .when(f.assign({ coUnits: ['bureau-of-finance', 'bureau-of-commerce'] }))
        .thenRejects('CoUnitIsLeadUnit');
    });

    it('rejects a co-unit named twice', () => {
      task
        .given([])
        .when(f.assign({ coUnits: ['bureau-of-finance', 'bureau-of-transport', 'bureau-of-finance'] }))
        .thenRejects('DuplicateCoUnit', 'bureau-of-finance');
    });

    it('accepts a task with no co-unit', () => {
      task
        .given([])
        .when(f.assign({ coUnits: [] }))
        .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ coUnits: [] }));
    });
  });

  describe('complexity under 13710 (一般事项 / 重大复杂问题)', () => {
    it('is ordinary when the deadline lies within 7 working days, to the end of the seventh', () => {
      for (const deadline of [f.day(7), f.day(7, 8)])
        task
          .given([])
          .when(f.assign({ deadline }))
          .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ complexity: 'ordinary' }));
    });

    it('is major when the deadline lies beyond 7 working days', () => {
      task
        .given([])
        .when(f.assign({ deadline: f.day(8) }))
        .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ complexity: 'major' }));
    });

    it('counts working days with the deployment calendar (调休)', () => {
      // 2022 National Day: 3-7 October are holidays, 8-9 October working days
      const calendar = createCalendar({
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
      const holidayTask = spec(createTaskDecider(defaultContext({ calendar })));
      const g = taskFixture({ assignedAt: '2022-09-29T09:00:00+08:00' });
      // 29 Sep + 7 working days: 30 Sep, 8, 9, 10, 11, 12, 13 Oct; by Mon-Fri alone it would be 10 Oct
      holidayTask
        .given([])
        .when(g.assign({ deadline: '2022-10-13T09:00:00+08:00' }))
        .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ complexity: 'ordinary' }));
      task
        .given([])
        .when(g.assign({ deadline: '2022-10-13T09:00:00+08:00' }))
        .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ complexity: 'major' }));
    });

    it('takes the complexity the section states over the derived one', () => {
      task
        .given([])
        .when(f.assign({ complexity: 'ordinary' }))
        .thenEvents(([assigned]) => expect(assigned!.data).toMatchObject({ complexity: 'ordinary' }));
    });
  });

  describe('a task is assigned once', () => {
    const assigned = f.history(f.assign());

    it('decides nothing for the same registration sent again', () => {
      task.given(assigned).when(f.assign()).thenNothingHappens();
    });

    it('decides nothing for the same registration with its derived complexity stated', () => {
      task
        .given(assigned)
        .when(f.assign({ complexity: 'major' }))
        .thenNothingHappens();
    });

    it.each([
      ['another title', { title: 'Something else' }],
      ['another lead unit', { leadUnit: 'bureau-of-transport' }],
      ['other co-units', { coUnits: ['bureau-of-transport'] }],
      ['another deadline', { deadline: f.day(25, 8) }],
      ['another source', { source: 'leader-instructions' as const }],
      ['a key flag', { key: true }],
      ['another complexity', { complexity: 'ordinary' as const }],
      ['a task force', { taskForceId: 'TF-9' }],
      ['another origin', { origin: { kind: 'deputy-leader' as const, leaderId: 'vice-mayor-wang' } }],
    ])('rejects a registration with %s', (_, over) => {
      task.given(assigned).when(f.assign(over)).thenRejects('TaskAlreadyAssigned');
    });

    it('answers an unauthorised repeat with NotAuthorized, not silence', () => {
      task.given(assigned).when(f.assign({}, f.actors.otherSection)).thenRejects('NotAuthorized');
    });
  });

  describe('every other command needs the task assigned first (先立项交办)', () => {
    it.each([
      ['AcceptTask', f.accept()],
      ['ReportProgress', f.report()],
      ['UrgeTask', f.urge()],
      ['CheckDeadlines', f.checkDeadlines(f.day(3))],
      ['RecordCriticism', f.criticise()],
    ])('%s', (_, command) => {
      task.given([]).when(command).thenRejects('TaskNotFound');
    });
  });
});
