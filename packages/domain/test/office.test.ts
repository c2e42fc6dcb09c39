import { isRight } from 'fp-ts/Either';
import { officeFixture, spec, taskFixture } from '@duban/testing';
import {
  contextAt,
  createTaskDecider,
  defaultContext,
  officeDecider,
  organisationAt,
  scoringPolicyFor,
  STATE_COUNCIL_SCHEDULES,
  DEFAULT_SCORING_POLICY,
  PROFILE_13710,
  type OfficeEvent,
  type TaskEvent,
} from '@duban/domain';

const o = officeFixture();
const office = spec(officeDecider);
const recorded = () => o.history(o.setup());
const defaults = defaultContext();

describe("the office's record: who establishes it and who may change it", () => {
  it('is opened by the main leader it names, from today on', () => {
    office
      .given([])
      .when(o.establish())
      .thenEvents((events) => expect(events[0]!.type).toBe('OfficeEstablished'));
    office
      .given([])
      .when(o.establish({ id: 'nobody', kind: 'main-leader' }))
      .thenRejects('NotAuthorized', 'its main leader mayor');
    office.given([]).when(o.establish(o.inspectionOffice)).thenRejects('NotAuthorized');
    const backdated = o.establish();
    office
      .given([])
      .when({ ...backdated, data: { ...backdated.data, effectiveFrom: '2022-01-03' } })
      .thenRejects('RetroactiveChange');
    office.given([]).when(o.unit('bureau-of-data')).thenRejects('OfficeNotEstablished');
  });

  it('changes are the main leader’s: decided in person, or prepared by the inspection office with the approval on record', () => {
    const history = recorded();
    office
      .given(history)
      .when(o.unit('bureau-of-data'))
      .thenEvents((e) => expect(e[0]!.type).toBe('UnitRegistered'));
    const prepared = o.unit('bureau-of-data');
    office
      .given(history)
      .when({ ...prepared, actor: o.inspectionOffice, data: { ...prepared.data, approval: o.approval } })
      .thenEvents((e) => expect(e[0]!.data).toMatchObject({ approval: o.approval }));
    office
      .given(history)
      .when({ ...prepared, actor: o.inspectionOffice })
      .thenRejects('WrongApprover', "with the main leader's approval");
    office
      .given(history)
      .when({
        ...prepared,
        actor: o.inspectionOffice,
        data: { ...prepared.data, approval: { ref: 'x', by: 'vice-mayor-li' } },
      })
      .thenRejects('WrongApprover', 'vice-mayor-li, who is not the main leader');
    office
      .given(history)
      .when({ ...prepared, actor: { id: 'vice-mayor-li', kind: 'deputy-leader' } })
      .thenRejects('NotAuthorized');
    office
      .given(history)
      .when({ ...prepared, actor: { id: 'nobody', kind: 'main-leader' } })
      .thenRejects('NotOnRecord', 'not the main leader on record (mayor)');
    office
      .given(history)
      .when({ ...prepared, actor: { id: 'auditor-feng', kind: 'auditor' } })
      .thenRejects('AuditorsCannotAct');
  });

  it('never changes the past: effective dates on or after the day recorded, entries in time order', () => {
    const history = recorded();
    const later = o.unit('bureau-of-data', 'bureau-of-data', '2022-02-01T09:00:00.000+08:00');
    office
      .given(history)
      .when({ ...later, data: { ...later.data, effectiveFrom: '2022-01-31' } })
      .thenRejects('RetroactiveChange', '2022-01-31');
    office
      .given(o.history([...o.setup(), later]))
      .when(o.unit('bureau-of-water'))
      .thenRejects('RecordOutOfOrder');
  });

  it('keeps one main leader at a time: a new one’s appointment ends the predecessor’s', () => {
    const events = o.history([
      ...o.setup(),
      o.leader('mayor-2', 'main-leader', '2022-06-01T09:00:00.000+08:00'),
    ]);
    const state = o.state(events);
    expect(organisationAt(state, '2022-05-31').mainLeader).toBe('mayor');
    expect(organisationAt(state, '2022-06-01').mainLeader).toBe('mayor-2');
    // The former main leader no longer approves anything from that day.
    office
      .given(events)
      .when(o.unit('bureau-of-data', 'bureau-of-data', '2022-06-02T09:00:00.000+08:00'))
      .thenRejects('NotOnRecord', 'not the main leader on record (mayor-2)');
  });

  it('portfolios (分管) name deputy leaders, sections and units on record', () => {
    const history = recorded();
    office
      .given(history)
      .when(o.portfolio('vice-mayor-zhang', ['section-2'], []))
      .thenRejects('NotOnRecord');
    office
      .given(history)
      .when(o.portfolio('vice-mayor-li', ['section-9'], []))
      .thenRejects('NotOnRecord', 'section-9');
    office
      .given(history)
      .when(o.portfolio('vice-mayor-li', [], ['bureau-of-mars']))
      .thenRejects('NotOnRecord');
    const org = organisationAt(o.state(history), '2022-03-01');
    expect(org.deputyInChargeOf({ sectionId: 'section-2' })).toBe('vice-mayor-li');
    expect(org.deputyInChargeOf({ sectionId: 'section-5' })).toBe('vice-mayor-wang');
    expect(org.deputyInChargeOf({ sectionId: 'section-9', unitId: 'bureau-of-finance' })).toBe(
      'vice-mayor-li',
    );
  });
});

describe('the calendar on record (工作日, 调休)', () => {
  it('adopts the State Council schedule of a year in one command; other years are an office’s own calendar', () => {
    office
      .given(recorded())
      .when(o.stateCouncilCalendar(2022))
      .thenEvents(([e]) =>
        expect(e).toMatchObject({
          type: 'CalendarAdopted',
          data: {
            year: 2022,
            basis: STATE_COUNCIL_SCHEDULES[2022]!.basis,
            workingDays: [
              '2022-01-29',
              '2022-01-30',
              '2022-04-02',
              '2022-04-24',
              '2022-05-07',
              '2022-10-08',
              '2022-10-09',
            ],
            effectiveFrom: '2022-01-04',
          },
        }),
      );
    office.given(recorded()).when(o.stateCouncilCalendar(2027)).thenRejects('NoPublishedSchedule');
    office
      .given(recorded())
      .when(o.stateCouncilCalendar(2021))
      .thenRejects('RetroactiveChange', '2021 has passed');
  });

  it('ships schedules whose working days are weekend days and whose days off are the published periods', () => {
    for (const schedule of Object.values(STATE_COUNCIL_SCHEDULES)) {
      for (const d of schedule.workingDays)
        expect([d, new Date(`${d}T00:00:00Z`).getUTCDay() % 6]).toEqual([d, 0]);
      for (const d of [...schedule.holidays, ...schedule.workingDays])
        expect(d.startsWith(`${schedule.year}-`)).toBe(true);
    }
    // Spot checks against the notices: 春节 2022 ran 31 Jan – 6 Feb; 2025 added 除夕; 2026 has nine days.
    expect(
      STATE_COUNCIL_SCHEDULES[2022]!.holidays.filter((d) => d >= '2022-01-31' && d <= '2022-02-06'),
    ).toHaveLength(7);
    expect(STATE_COUNCIL_SCHEDULES[2025]!.holidays).toContain('2025-01-28');
    expect(
      STATE_COUNCIL_SCHEDULES[2026]!.holidays.filter((d) => d >= '2026-02-15' && d <= '2026-02-23'),
    ).toHaveLength(9);
  });

  it('decides on the calendar as it was known then: an adoption recorded later never reaches back', () => {
    const events = o.history([
      ...o.setup(),
      o.stateCouncilCalendar(2022, o.mainLeader, '2022-01-10T09:00:00.000+08:00'),
    ]);
    const state = o.state(events);
    // Before the adoption was recorded, 31 January (初一 eve) was a Monday like any other.
    expect(contextAt(state, '2022-01-05T09:00:00+08:00', defaults).calendar.isWorkingDay('2022-01-31')).toBe(
      true,
    );
    expect(contextAt(state, '2022-01-10T09:00:00+08:00', defaults).calendar.isWorkingDay('2022-01-31')).toBe(
      false,
    );
    expect(contextAt(state, '2022-01-10T09:00:00+08:00', defaults).calendar.isWorkingDay('2022-01-29')).toBe(
      true,
    );
  });
});

describe('rules in force on a date', () => {
  it('a profile or policy applies from its date; without a record, the defaults and no organisation', () => {
    const deadlineOnly = { ...PROFILE_13710, name: 'deadline only', milestones: [] };
    const events = o.history([
      ...o.setup(),
      o.command('AdoptTimeLimitProfile', { profile: deadlineOnly, effectiveFrom: '2022-07-01' }),
      o.command('AdoptSupervisionPolicy', {
        policy: {
          approachingWithinWorkingDays: 5,
          aheadOfDeadlineWorkingDays: 2,
          inspectionsPerUnitPerQuarter: 1,
        },
        effectiveFrom: '2022-04-01',
      }),
    ]);
    const state = o.state(events);
    const march = contextAt(state, '2022-03-01T09:00:00+08:00', defaults);
    const april = contextAt(state, '2022-04-01T09:00:00+08:00', defaults);
    const july = contextAt(state, '2022-07-01T09:00:00+08:00', defaults);
    expect([march.profile.name, april.profile.name, july.profile.name]).toEqual([
      '13710',
      '13710',
      'deadline only',
    ]);
    expect([march.policy.approachingWithinWorkingDays, april.policy.approachingWithinWorkingDays]).toEqual([
      3, 5,
    ]);
    expect(march.organisation?.mainLeader).toBe('mayor');
    expect(contextAt(undefined, '2022-03-01T09:00:00+08:00', defaults)).toBe(defaults);
  });

  it('a scoring policy applies from its quarter, never to one begun or published', () => {
    const strict = {
      ...DEFAULT_SCORING_POLICY,
      deductions: { ...DEFAULT_SCORING_POLICY.deductions, lateClosure: 5 },
    };
    const adopt = (quarter: string, when: string) =>
      o.command(
        'AdoptScoringPolicy',
        { policy: strict, name: 'strict', effectiveFromQuarter: quarter },
        o.mainLeader,
        when,
      );
    const events = o.history([...o.setup(), adopt('2022Q3', '2022-05-10T09:00:00.000+08:00')]);
    const state = o.state(events);
    expect(scoringPolicyFor(state, '2022Q2')).toMatchObject({ name: 'default', revision: -1 });
    expect(scoringPolicyFor(state, '2022Q3')).toMatchObject({ name: 'strict', policy: strict });
    expect(scoringPolicyFor(state, '2023Q1').name).toBe('strict');
    office.given(recorded()).when(adopt('2021Q4', o.at)).thenRejects('RetroactiveChange', '2021Q4');
  });
});

describe('tasks under the organisation on record', () => {
  const t = taskFixture();
  const ctxAt = (events: OfficeEvent[], at: string) => contextAt(o.state(events), at, defaults);
  /** The task decider deciding each command under the record as it stands at the command's time. */
  const under = (events: OfficeEvent[]) => ({
    decide: (c: Parameters<ReturnType<typeof createTaskDecider>['decide']>[0], given: TaskEvent[]) => {
      const d = createTaskDecider(ctxAt(events, c.at));
      return d.decide(c, given.reduce(d.evolve, d.initialState()));
    },
    history: (...cs: Array<Parameters<ReturnType<typeof createTaskDecider>['decide']>[0]>) => {
      const out: TaskEvent[] = [];
      for (const c of cs) {
        const r = under(events).decide(c, out);
        if (!isRight(r)) throw new Error(`${c.type}: ${r.left.message}`);
        out.push(...r.right);
      }
      return out;
    },
  });
  const events = recorded();
  const task = under(events);

  it('registration: approved by the main leader on record, naming leaders, a section and units on record', () => {
    expect(task.decide(t.assign({ approval: { ref: 'x', by: 'vice-mayor-li' } }), [])).toMatchObject({
      left: { code: 'WrongApprover', field: 'data.approval.by' },
    });
    expect(task.decide(t.assign({ leadUnit: 'bureau-of-mars' }), [])).toMatchObject({
      left: { code: 'NotOnRecord', field: 'data.leadUnit' },
    });
    expect(task.decide(t.assign({ coUnits: ['bureau-of-mars'] }), [])).toMatchObject({
      left: { code: 'NotOnRecord', field: 'data.coUnits' },
    });
    expect(
      task.decide(t.assign({ origin: { kind: 'deputy-leader', leaderId: 'vice-mayor-zhang' } }), []),
    ).toMatchObject({
      left: { code: 'NotOnRecord', field: 'data.origin.leaderId' },
    });
  });

  it('an actor not on record in the role they claim is refused (the main leader "nobody")', () => {
    const assigned = task.history(
      t.assign(),
      t.accept(),
      t.report(),
      t.requestClosure(),
      t.reviewClosure('good'),
    );
    const key = taskFixture({ key: true });
    const keyed = task.history(
      key.assign(),
      key.accept(),
      key.report(),
      key.requestClosure(),
      key.reviewClosure('good'),
    );
    expect(
      task.decide(
        key.approveClosure('excellent', key.day(14), { id: 'nobody', kind: 'main-leader' }, 'Outstanding'),
        keyed,
      ),
    ).toMatchObject({
      left: { code: 'NotOnRecord', field: 'actor' },
    });
    expect(
      task.decide(
        t.accept(t.day(0, 2), { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-finance' }),
        task.history(t.assign()),
      ),
    ).toMatchObject({
      left: { code: 'NotOnRecord', message: expect.stringContaining('staff of bureau-of-commerce') },
    });
    expect(
      task.decide(t.checkDeadlines(t.day(5), { id: 'rogue-cron', kind: 'system' }), assigned),
    ).toMatchObject({
      left: { code: 'NotOnRecord' },
    });
  });

  it('records its 分管 leader: the deciding deputy, or the one in charge of its section; only they or the main leader approve closure', () => {
    const m = taskFixture({ origin: 'main-leader', taskId: 'M-1' });
    const [assigned] = task.history(m.assign());
    expect(assigned!.type === 'TaskAssigned' && assigned!.data.deputyInCharge).toBe('vice-mayor-li');
    const ready = task.history(
      m.assign(),
      m.accept(),
      m.report(),
      m.requestClosure(),
      m.reviewClosure('good'),
    );
    const wang = { id: 'vice-mayor-wang', kind: 'deputy-leader' as const };
    expect(task.decide(m.approveClosure('good', m.day(14), wang), ready)).toMatchObject({
      left: { code: 'NotAuthorized' },
    });
    expect(isRight(task.decide(m.approveClosure('good', m.day(14), m.actors.deputyLeader), ready))).toBe(
      true,
    );
    expect(isRight(task.decide(m.approveClosure('good', m.day(14), m.actors.mainLeader), ready))).toBe(true);
    // Named explicitly by the main leader: that deputy, not the portfolio's.
    const named = task.history(m.assign({ deputyInCharge: 'vice-mayor-wang' }));
    expect(named[0]!.type === 'TaskAssigned' && named[0]!.data.deputyInCharge).toBe('vice-mayor-wang');
    // Without a record (as before one was kept), any deputy leader approved a main-leader task: still so.
    const legacy = spec(createTaskDecider());
    legacy
      .given(m.history(m.assign(), m.accept(), m.report(), m.requestClosure(), m.reviewClosure('good')))
      .when(m.approveClosure('good', m.day(14), wang))
      .thenEvents((e) => expect(e[0]!.type).toBe('TaskClosed'));
  });

  it('extension approvals, escalation consent and inspection approvals name the leaders the rules require', () => {
    const extended = task.history(t.assign(), t.accept(), t.requestExtension());
    const approve = t.approveExtension();
    expect(
      task.decide(
        { ...approve, data: { ...approve.data, leaderApproval: { ref: 'x', by: 'vice-mayor-wang' } } },
        extended,
      ),
    ).toMatchObject({ left: { code: 'WrongApprover', field: 'data.leaderApproval.by' } });
    expect(
      isRight(
        task.decide(
          { ...approve, data: { ...approve.data, leaderApproval: { ref: 'x', by: 'vice-mayor-li' } } },
          extended,
        ),
      ),
    ).toBe(true);
    const urged = task.history(t.assign(), t.accept(), t.urge());
    const escalate = t.escalate();
    expect(
      task.decide(
        { ...escalate, data: { ...escalate.data, consent: { ref: 'x', by: 'clerk-zhao' } } },
        urged,
      ),
    ).toMatchObject({ left: { code: 'WrongApprover', field: 'data.consent.by' } });
  });

  it('a first feedback on 7 February 2022 is on time under the Spring Festival calendar (assigned 28 January)', () => {
    const withCalendar = o.history([...o.setup(), o.stateCouncilCalendar(2022)]);
    const assignedAt = '2022-01-28T09:00:00.000+08:00';
    const holiday = taskFixture({ assignedAt, decider: createTaskDecider(ctxAt(withCalendar, assignedAt)) });
    const [assigned] = under(withCalendar).history(holiday.assign());
    const due = (e: TaskEvent | undefined) =>
      e?.type === 'TaskAssigned' ? e.data.timeLimits?.find((l) => l.id === 'first-feedback')?.due : undefined;
    // 29 and 30 January are worked (调休), 31 January to 6 February are off: the third working day is 7 February.
    expect(Date.parse(due(assigned)!)).toBe(Date.parse('2022-02-07T09:00:00+08:00'));
    const [plain] = under(events).history(holiday.assign());
    expect(Date.parse(due(plain)!)).toBe(Date.parse('2022-02-02T09:00:00+08:00'));
  });
});
