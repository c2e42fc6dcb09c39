import { isLeft } from 'fp-ts/Either';
import { spec, taskFixture } from '@duban/testing';
import {
  DEFAULT_POLICY,
  createUnitDecider,
  decodeCommand,
  decodeEvent,
  defaultContext,
  fold,
  unitDecider,
  unitStreamId,
  type Actor,
  type UnitCommand,
  type UnitCommandOf,
  type UnitCommandType,
  type UnitEvent,
} from '@duban/domain';

const f = taskFixture();
const unit = spec(unitDecider);
const UNIT = 'bureau-of-commerce';
const { mainLeader, inspectionOffice, section, deputyLeader, leadUnit, auditor, system } = f.actors;

const command = <K extends UnitCommandType>(
  type: K,
  actor: Actor,
  at: string,
  data: Omit<UnitCommandOf<K>['data'], 'unitId'>,
): UnitCommandOf<K> => ({ type, actor, at, data: { unitId: UNIT, ...data } }) as unknown as UnitCommandOf<K>;

const inspect = (inspectionId: string, at = f.day(5), actor: Actor = inspectionOffice) =>
  command('RecordInspection', actor, at, {
    inspectionId,
    approval: { ref: 'Mayor approved inspection plan 3', by: 'mayor' },
    methods: ['hear-reports', 'on-site-supervision', 'hear-reports'],
    findings: 'Two county windows still queue',
    opinion: 'Add windows; report in two weeks',
    taskIds: [f.taskId],
  });
const schedule = (interviewId = 'IV-1', at = f.day(5), actor: Actor = mainLeader) =>
  command('ScheduleInterview', actor, at, {
    interviewId,
    interviewee: 'principal',
    reason: 'Seriously behind on key tasks',
    scheduledFor: f.day(8),
  });
const hold = (interviewId = 'IV-1', at = f.day(8), actor: Actor = mainLeader) =>
  command('RecordInterview', actor, at, { interviewId, summary: 'Director committed to a plan' });
const grounds = [
  { streamId: 'unit-bureau-of-commerce', revision: 1, type: 'InterviewRecorded' },
  { streamId: 'task-T-2022-001', revision: 9, type: 'DeadlineMissed' },
];
const refer = (actor: Actor = mainLeader, over: Partial<UnitCommandOf<'ReferToDiscipline'>['data']> = {}) =>
  command('ReferToDiscipline', actor, f.day(9), {
    referralId: 'REF-1',
    to: 'discipline-inspection',
    reason: 'Repeated failures',
    approval: { ref: 'Mayor approved referral 2022-4', by: 'mayor' },
    evidence: grounds,
    ...over,
  });
const commend = (actor: Actor = mainLeader) =>
  command('PublishCommendation', actor, f.day(9), { commendationId: 'CM-1', reason: 'Model practice' });
const criticise = (actor: Actor = mainLeader) =>
  command('PublishCriticism', actor, f.day(9), { criticismId: 'CP-1', reason: 'Negative example' });

/** Runs unit commands from an empty stream; throws if one is rejected. */
const history = (decider = unitDecider, ...commands: UnitCommand[]): UnitEvent[] => {
  const events: UnitEvent[] = [];
  for (const c of commands) {
    const result = decider.decide(c, fold(decider, events));
    if (isLeft(result)) throw new Error(`fixture ${c.type} rejected: ${result.left.message}`);
    events.push(...result.right);
  }
  return events;
};

describe('重点督查: RecordInspection on the unit stream', () => {
  it('records the approval, the methods, the findings, the opinion and the tasks, in the quarter of UTC+8', () => {
    expect(unitStreamId(UNIT)).toBe('unit-bureau-of-commerce');
    unit
      .given([])
      .when(inspect('I-1'))
      .then([
        {
          type: 'InspectionRecorded',
          data: {
            unitId: UNIT,
            at: f.day(5),
            inspectionId: 'I-1',
            quarter: '2022Q1',
            approval: { ref: 'Mayor approved inspection plan 3', by: 'mayor' },
            methods: ['hear-reports', 'on-site-supervision'],
            findings: 'Two county windows still queue',
            opinion: 'Add windows; report in two weeks',
            taskIds: [f.taskId],
          },
        },
      ]);
  });

  it('takes the six methods of the seed (听汇报、查阅文件资料、现场督办、座谈走访、问卷调查、明察暗访), and no other', () => {
    const methods: UnitCommandOf<'RecordInspection'>['data']['methods'] = [
      'hear-reports',
      'review-documents',
      'on-site-supervision',
      'interviews-and-visits',
      'questionnaires',
      'unannounced-visits',
    ];
    const all = { ...inspect('I-1'), data: { ...inspect('I-1').data, methods } };
    expect(decodeCommand(all)).toEqual({ _tag: 'Right', right: all });
    unit
      .given([])
      .when(all)
      .thenEvents(([recorded]) => expect(recorded!.data).toMatchObject({ methods }));
    expect(decodeCommand({ ...all, data: { ...all.data, methods: ['phone-call'] } })._tag).toBe('Left');
    expect(decodeCommand({ ...all, data: { ...all.data, methods: [] } })._tag).toBe('Left');
  });

  it.each([
    ['the main leader', mainLeader],
    ['a section', section],
    ['the deputy leader', deputyLeader],
    ['the unit itself', leadUnit],
    ['the system', system],
  ])('is recorded by the inspection office (督查室), not %s', (_, actor) => {
    unit
      .given([])
      .when(inspect('I-1', f.day(5), actor))
      .thenRejects('NotAuthorized', 'inspection office');
  });

  it('is not recorded by an auditor', () => {
    unit
      .given([])
      .when(inspect('I-1', f.day(5), auditor))
      .thenRejects('AuditorsCannotAct');
  });

  describe('is capped per unit and quarter (严格控制督查频次，切实减轻基层负担)', () => {
    const twice = history(
      unitDecider,
      inspect('I-1', '2022-01-10T09:00:00+08:00'),
      inspect('I-2', '2022-02-10T09:00:00+08:00'),
    );

    it('refuses a third inspection in the same quarter', () => {
      unit
        .given(twice)
        .when(inspect('I-3', '2022-03-31T23:30:00+08:00'))
        .thenRejects('InspectionCapReached', '2022Q1');
    });

    it('counts the quarter in UTC+8: 1 April 00:30 in Changzhi is the next quarter', () => {
      unit
        .given(twice)
        .when(inspect('I-3', '2022-03-31T16:30:00Z'))
        .thenEvents(([recorded]) => expect(recorded!.data).toMatchObject({ quarter: '2022Q2' }));
    });

    it('takes the cap from the policy', () => {
      const strict = createUnitDecider(
        defaultContext({ policy: { ...DEFAULT_POLICY, inspectionsPerUnitPerQuarter: 1 } }),
      );
      const once = history(strict, inspect('I-1'));
      spec(strict)
        .given(once)
        .when(inspect('I-2', f.day(6)))
        .thenRejects('InspectionCapReached');
    });

    it('decides nothing for an inspection already recorded, even at the cap', () => {
      unit.given(twice).when(inspect('I-2', '2022-03-01T09:00:00+08:00')).thenNothingHappens();
    });
  });
});

describe('约谈问责: accountability acts on the unit stream', () => {
  it('schedules an interview (约谈主要负责人或分管负责人)', () => {
    unit
      .given([])
      .when(schedule())
      .then([
        {
          type: 'InterviewScheduled',
          data: {
            unitId: UNIT,
            at: f.day(5),
            interviewId: 'IV-1',
            interviewee: 'principal',
            reason: 'Seriously behind on key tasks',
            scheduledFor: f.day(8),
          },
        },
      ]);
  });

  it('schedules an interview within five years of the decision, not in another era', () => {
    const far = schedule();
    unit
      .given([])
      .when({ ...far, data: { ...far.data, scheduledFor: '2028-01-01T09:00:00+08:00' } })
      .thenRejects('DueDateTooFar');
  });

  it('records an interview once it was scheduled', () => {
    unit.given([]).when(hold()).thenRejects('InterviewNotScheduled', 'IV-1');
    unit
      .given(history(unitDecider, schedule()))
      .when(hold())
      .then([
        {
          type: 'InterviewRecorded',
          data: { unitId: UNIT, at: f.day(8), interviewId: 'IV-1', summary: 'Director committed to a plan' },
        },
      ]);
    unit
      .given(history(unitDecider, schedule('IV-2')))
      .when(hold('IV-1'))
      .thenRejects('InterviewNotScheduled');
  });

  it('an interview is recorded once held, never before its scheduled date; a past one with its real date', () => {
    const scheduled = history(unitDecider, schedule()); // for f.day(8)
    unit
      .given(scheduled)
      .when(hold('IV-1', f.day(7)))
      .thenRejects('InterviewNotYetHeld', 'scheduled for');
    const late = hold('IV-1', f.day(12));
    unit
      .given(scheduled)
      .when({ ...late, data: { ...late.data, heldAt: f.day(8) } })
      .thenEvents(([e]) => expect(e!.data).toMatchObject({ heldAt: f.day(8) }));
    unit
      .given(scheduled)
      .when({ ...late, data: { ...late.data, heldAt: f.day(13) } })
      .thenRejects('InterviewNotYetHeld', 'after the time it is recorded');
  });

  it('a referral rests on grounds: the main leader’s approval, its evidence, and for the judiciary the suspected offence', () => {
    unit
      .given([])
      .when(refer(mainLeader, { to: 'judicial' }))
      .thenRejects('ReferralNeedsGrounds');
    unit
      .given([])
      .when(refer(inspectionOffice, { to: 'judicial', offence: 'dereliction-of-duty' }))
      .thenEvents(([e]) => expect(e!.data).toMatchObject({ to: 'judicial', offence: 'dereliction-of-duty' }));
    // The codec refuses a referral without evidence or approval before any decider sees it.
    const bare = refer();
    expect(decodeCommand({ ...bare, data: { ...bare.data, evidence: [] } })).toMatchObject({
      left: { problems: [{ path: 'data.evidence', message: 'must list at least one item' }] },
    });
    const { approval: _a, ...unapproved } = bare.data;
    expect(decodeCommand({ ...bare, data: unapproved })).toMatchObject({
      left: { problems: [{ path: 'data.approval', message: 'is required' }] },
    });
  });

  it('refers to the discipline inspection organs (移交纪检监察机关), commends and criticises publicly', () => {
    unit
      .given([])
      .when(refer())
      .then([
        {
          type: 'ReferredToDiscipline',
          data: {
            unitId: UNIT,
            at: f.day(9),
            referralId: 'REF-1',
            to: 'discipline-inspection',
            reason: 'Repeated failures',
            approval: { ref: 'Mayor approved referral 2022-4', by: 'mayor' },
            evidence: grounds,
          },
        },
      ]);
    unit
      .given([])
      .when(commend())
      .then([
        {
          type: 'CommendationPublished',
          data: { unitId: UNIT, at: f.day(9), commendationId: 'CM-1', reason: 'Model practice' },
        },
      ]);
    unit
      .given([])
      .when(criticise())
      .then([
        {
          type: 'CriticismPublished',
          data: { unitId: UNIT, at: f.day(9), criticismId: 'CP-1', reason: 'Negative example' },
        },
      ]);
  });

  const acts: Array<[string, (actor: Actor) => UnitCommand]> = [
    ['ScheduleInterview', (a) => schedule('IV-1', f.day(5), a)],
    ['ReferToDiscipline', refer],
    ['PublishCommendation', commend],
    ['PublishCriticism', criticise],
  ];

  it.each(acts)('%s is done by the main leader or the inspection office', (_, make) => {
    for (const actor of [mainLeader, inspectionOffice])
      unit
        .given([])
        .when(make(actor))
        .thenEvents((events) => expect(events).toHaveLength(1));
  });

  it.each(acts)('%s is refused to sections, deputy leaders, units and the system', (_, make) => {
    for (const actor of [section, deputyLeader, leadUnit, system])
      unit.given([]).when(make(actor)).thenRejects('NotAuthorized');
    unit.given([]).when(make(auditor)).thenRejects('AuditorsCannotAct');
  });

  it('refuses the recording of an interview to anyone else', () => {
    const scheduled = history(unitDecider, schedule());
    unit
      .given(scheduled)
      .when(hold('IV-1', f.day(8), section))
      .thenRejects('NotAuthorized');
    unit
      .given(scheduled)
      .when(hold('IV-1', f.day(8), auditor))
      .thenRejects('AuditorsCannotAct');
  });

  it('decides nothing for an act already on record', () => {
    const done = history(unitDecider, schedule(), hold(), refer(), commend(), criticise());
    for (const again of [schedule('IV-1', f.day(9)), hold('IV-1', f.day(9)), refer(), commend(), criticise()])
      unit.given(done).when(again).thenNothingHappens();
  });

  it('keeps a stream whose events all decode and fold the same in place and immutably', () => {
    const events = history(unitDecider, inspect('I-1'), schedule(), hold(), refer(), commend(), criticise());
    for (const e of events) expect(decodeEvent(e)).toEqual({ _tag: 'Right', right: e });
    const immutable = events.reduce(unitDecider.evolve, unitDecider.initialState());
    expect(fold(unitDecider, events)).toEqual(immutable);
    expect(immutable).toMatchObject({
      version: 6,
      unitId: UNIT,
      inspections: [{ id: 'I-1', quarter: '2022Q1' }],
      interviews: [{ id: 'IV-1', status: 'held', revision: 1 }],
    });
  });
});
