import { isLeft } from 'fp-ts/Either';
import {
  DEFAULT_SCORING_POLICY,
  aggregateOf,
  defaultContext,
  OfficeCommands,
  TaskCommands,
  UnitCommands,
  type Actor,
  type ActorKind,
  type Command,
} from '@duban/domain';
import {
  DOMAIN_STREAM_PREFIXES,
  createEngine,
  createInMemoryEventStore,
  sealHistory,
  type EventStore,
  type ProposedEvent,
} from '@duban/engine';
import { generateKeyPairSync } from 'node:crypto';
import { officeFixture, taskFixture } from '@duban/testing';

/**
 * The authorization matrix (docs/reliability.md): every task, unit and office command, each in a state
 * where the actor the rules name may issue it, tried by every kind of actor in every relation to the
 * task, unit or record — on a copy of that state each time. A cell is the outcome: accepted (with the
 * events appended) or the typed error and what was appended (nothing, always, for a denial).
 */
export interface MatrixActor {
  readonly kind: ActorKind;
  readonly relation: string;
  readonly actor: Actor;
}

export interface MatrixCell {
  readonly command: string;
  readonly aggregate: 'task' | 'unit' | 'office';
  readonly kind: ActorKind;
  readonly relation: string;
  /** `accepted`, or the error's kind and code. */
  readonly outcome: 'accepted' | { readonly kind: string; readonly code: string; readonly field?: string };
  /** Events the store gained. */
  readonly appended: number;
}

const o = officeFixture();
const t = taskFixture({ taskId: 'M-1' });
const a = t.actors;

/** Every actor kind, in each relation the rules tell apart (the task fixture's organisation). */
export const MATRIX_ACTORS: readonly MatrixActor[] = [
  { kind: 'main-leader', relation: 'on record', actor: a.mainLeader },
  { kind: 'main-leader', relation: 'not on record', actor: { id: 'nobody', kind: 'main-leader' } },
  { kind: 'deputy-leader', relation: 'in charge', actor: a.deputyLeader },
  { kind: 'deputy-leader', relation: 'not in charge', actor: a.otherDeputyLeader },
  { kind: 'deputy-leader', relation: 'not on record', actor: { id: 'ghost-deputy', kind: 'deputy-leader' } },
  { kind: 'section', relation: "the task's section", actor: a.section },
  { kind: 'section', relation: 'another section', actor: a.otherSection },
  {
    kind: 'section',
    relation: 'claims a section not theirs',
    actor: { id: 'clerk-zhao', kind: 'section', unitId: 'section-5' },
  },
  {
    kind: 'section',
    relation: 'not on record',
    actor: { id: 'ghost-clerk', kind: 'section', unitId: 'section-2' },
  },
  { kind: 'inspection-office', relation: 'on record', actor: a.inspectionOffice },
  {
    kind: 'inspection-office',
    relation: 'not on record',
    actor: { id: 'ghost-inspector', kind: 'inspection-office' },
  },
  { kind: 'unit', relation: 'lead unit', actor: a.leadUnit },
  { kind: 'unit', relation: 'co-unit', actor: a.coUnit },
  { kind: 'unit', relation: 'another unit', actor: a.otherUnit },
  {
    kind: 'unit',
    relation: 'claims a unit not theirs',
    actor: { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-finance' },
  },
  {
    kind: 'unit',
    relation: 'not on record',
    actor: { id: 'ghost-officer', kind: 'unit', unitId: 'bureau-of-commerce' },
  },
  { kind: 'auditor', relation: 'on record', actor: a.auditor },
  { kind: 'system', relation: 'on record', actor: a.system },
  { kind: 'system', relation: 'not on record', actor: { id: 'ghost-system', kind: 'system' } },
];

const unitCommand = (type: string, actor: Actor, at: string, data: Record<string, unknown>): Command =>
  ({ type, actor, at, data: { unitId: 'bureau-of-commerce', ...data } }) as unknown as Command;
const office = (type: string, data: Record<string, unknown>, when = '2022-01-05T09:00:00.000+08:00') =>
  o.command(type as never, { ...data, approval: o.approval } as never, o.mainLeader, when) as Command;
const from = '2022-01-05';
const later = '2022-04-02T09:00:00.000+08:00';

const opened = [t.assign(), t.accept()];
const closing = [...opened, t.report(), t.requestClosure()];
const closed = [...closing, t.reviewClosure('good'), t.approveClosure('good')];
const difficulty = [...opened, t.reportDifficulty()];
const extension = [...opened, t.requestExtension()];
const rectification = [...opened, t.openRectification()];
const interview = unitCommand('ScheduleInterview', a.mainLeader, t.day(5), {
  interviewId: 'IV-1',
  interviewee: 'principal',
  reason: 'Seriously behind on key tasks',
  scheduledFor: t.day(8),
});

/** Each command: the steps that make it valid for the actor the rules name, then the command. */
const cases = (seal: () => Promise<Command>): Record<string, () => Promise<[Command[], Command]>> => {
  const c = (before: Command[], command: Command) => async (): Promise<[Command[], Command]> => [
    before,
    command,
  ];
  return {
    AssignTask: c([], t.assign()),
    AcceptTask: c([t.assign()], t.accept()),
    SubmitWorkPlan: c(opened, t.submitPlan()),
    ReportProgress: c(opened, t.report()),
    UrgeTask: c(opened, t.urge()),
    IssueWarning: c(opened, t.warn()),
    IssueSupervisionNotice: c(opened, t.notice()),
    RespondToNotice: c([...opened, t.notice()], t.respondToNotice()),
    AnswerDifficulty: c(difficulty, t.answerDifficulty(2)),
    EscalateTask: c([...opened, t.urge(), t.warn()], t.escalate()),
    RequestExtension: c(opened, t.requestExtension()),
    ApproveExtension: c(extension, t.approveExtension()),
    RejectExtension: c(extension, t.rejectExtension()),
    RequestClosure: c([...opened, t.report()], t.requestClosure()),
    ReviewClosure: c(closing, t.reviewClosure('good')),
    ApproveClosure: c([...closing, t.reviewClosure('good')], t.approveClosure('good')),
    RejectClosure: c(closing, t.rejectClosure()),
    CheckDeadlines: c(opened, t.checkDeadlines(t.day(40))),
    OpenRectification: c(opened, t.openRectification()),
    SubmitRectificationPlan: c(rectification, t.planRectification()),
    CompleteRectification: c([...rectification, t.planRectification()], t.completeRectification()),
    ReviewLookBack: c(
      [...rectification, t.planRectification(), t.completeRectification()],
      t.lookBack('passed'),
    ),
    RecordRecognition: c(closed, t.recognise()),
    RecordCriticism: c(closed, t.criticise()),
    RecordFalsification: c(closed, t.falsification()),
    RecordInspection: c(
      [t.assign()],
      unitCommand('RecordInspection', a.inspectionOffice, t.day(5), {
        inspectionId: 'IN-1',
        approval: { ref: 'Mayor approved inspection plan 3', by: 'mayor' },
        methods: ['hear-reports'],
        findings: 'Two county windows still queue',
        opinion: 'Add windows; report in two weeks',
        taskIds: [t.taskId],
      }),
    ),
    ScheduleInterview: c([], interview),
    RecordInterview: c(
      [interview],
      unitCommand('RecordInterview', a.mainLeader, t.day(8), {
        interviewId: 'IV-1',
        summary: 'Director committed to a plan',
      }),
    ),
    ReferToDiscipline: c(
      [interview],
      unitCommand('ReferToDiscipline', a.mainLeader, t.day(9), {
        referralId: 'REF-1',
        to: 'discipline-inspection',
        reason: 'Repeated failures',
        approval: { ref: 'Mayor approved referral 2022-4', by: 'mayor' },
        evidence: [{ streamId: 'unit-bureau-of-commerce', revision: 0, type: 'InterviewScheduled' }],
      }),
    ),
    PublishCommendation: c(
      [],
      unitCommand('PublishCommendation', a.mainLeader, t.day(9), {
        commendationId: 'CM-1',
        reason: 'Model practice',
      }),
    ),
    PublishCriticism: c(
      [],
      unitCommand('PublishCriticism', a.mainLeader, t.day(9), { criticismId: 'CP-1', reason: 'Negative' }),
    ),
    EstablishOffice: c([], o.establish()),
    RegisterUnit: c(
      [],
      office('RegisterUnit', { unitId: 'new', name: 'new', kind: 'department', effectiveFrom: from }),
    ),
    RetireUnit: c([], office('RetireUnit', { unitId: 'bureau-of-transport', effectiveFrom: from })),
    RegisterSection: c(
      [],
      office('RegisterSection', { sectionId: 'section-9', name: 'nine', effectiveFrom: from }),
    ),
    AppointLeader: c(
      [],
      office('AppointLeader', {
        personId: 'vice-mayor-zhang',
        name: 'zhang',
        role: 'deputy-leader',
        effectiveFrom: from,
      }),
    ),
    EndAppointment: c([], office('EndAppointment', { personId: 'vice-mayor-wang', effectiveFrom: from })),
    AssignPortfolio: c(
      [],
      office('AssignPortfolio', {
        deputyLeaderId: 'vice-mayor-wang',
        sections: ['section-5'],
        units: [],
        effectiveFrom: from,
      }),
    ),
    RegisterStaff: c(
      [],
      office('RegisterStaff', {
        personId: 'clerk-sun',
        name: 'sun',
        role: 'section',
        orgId: 'section-5',
        effectiveFrom: from,
      }),
    ),
    EndStaff: c([], office('EndStaff', { personId: 'clerk-qian', effectiveFrom: from })),
    AdoptCalendar: c(
      [],
      office('AdoptCalendar', { year: 2022, holidays: ['2022-06-03'], workingDays: [], basis: 'own' }),
    ),
    AdoptStateCouncilCalendar: c([], office('AdoptStateCouncilCalendar', { year: 2022 })),
    AdoptTimeLimitProfile: c(
      [],
      office('AdoptTimeLimitProfile', { profile: defaultContext().profile, effectiveFrom: from }),
    ),
    AdoptSupervisionPolicy: c(
      [],
      office('AdoptSupervisionPolicy', { policy: defaultContext().policy, effectiveFrom: from }),
    ),
    AdoptScoringPolicy: c(
      [],
      office('AdoptScoringPolicy', {
        policy: DEFAULT_SCORING_POLICY,
        name: 'v2',
        effectiveFromQuarter: '2022Q2',
      }),
    ),
    PublishQuarterlyRanking: c([], office('PublishQuarterlyRanking', { quarter: '2022Q1' }, later)),
    PublishAnnualEvaluation: c(
      [office('PublishQuarterlyRanking', { quarter: '2021Q4' })],
      office('PublishAnnualEvaluation', { year: 2021 }),
    ),
    RecordAnnualResultsSent: c(
      [
        office('PublishQuarterlyRanking', { quarter: '2021Q4' }),
        office('PublishAnnualEvaluation', { year: 2021 }),
      ],
      o.command(
        'RecordAnnualResultsSent',
        { year: 2021, recipient: 'organization-personnel', reference: 'CZ-2022-7' },
        o.mainLeader,
        '2022-01-05T09:00:00.000+08:00',
      ) as Command,
    ),
    RecordSeal: async () => [[], await seal()],
    RegisterActorKey: c(
      [],
      o.command('RegisterActorKey', { personId: 'duban-deadline-sweeper', publicKey: KEY }) as Command,
    ),
    RevokeActorKey: c(
      [o.command('RegisterActorKey', { personId: 'duban-deadline-sweeper', publicKey: KEY }) as Command],
      o.command('RevokeActorKey', {
        personId: 'duban-deadline-sweeper',
        publicKey: KEY,
        reason: 'left',
      }) as Command,
    ),
  };
};

const KEY = 'ab'.repeat(32);

/** Every command type Duban decides, by aggregate. */
export const ALL_COMMANDS = [
  ...Object.keys(TaskCommands),
  ...Object.keys(UnitCommands),
  ...Object.keys(OfficeCommands),
];

const copyOf = async (events: readonly ProposedEvent[], streams: readonly string[]) => {
  const store = createInMemoryEventStore();
  for (const streamId of streams) {
    const own = events.filter((e) => (e.metadata as { streamId: string }).streamId === streamId);
    const r = await store.appendToStream(streamId, own, { expectedRevision: 'no-stream' });
    if (isLeft(r)) throw new Error(`copying ${streamId}: ${r.left.message}`);
  }
  return store;
};

const snapshot = async (store: EventStore) => {
  const events: ProposedEvent[] = [];
  const streams: string[] = [];
  for await (const e of store.readAll()) {
    events.push({ eventId: e.eventId, type: e.type, data: e.data, metadata: e.metadata });
    const s = (e.metadata as { streamId: string }).streamId;
    if (!streams.includes(s)) streams.push(s);
  }
  return { events, streams };
};

const countAll = async (store: EventStore) => {
  let n = 0;
  for await (const _ of store.readAll()) n++;
  return n;
};

let ids = 0;
const run = (store: EventStore, c: Command) =>
  createEngine({ store }).execute(
    { type: c.type, data: c.data },
    { actor: c.actor, at: c.at, commandId: `m-${++ids}` },
  );

/** Builds the whole matrix: every command of `ALL_COMMANDS` × every actor of `MATRIX_ACTORS`. */
export const authorizationMatrix = async (): Promise<MatrixCell[]> => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const sealNow = async (): Promise<Command> => {
    const store = createInMemoryEventStore();
    for (const c of o.setup()) await run(store, c);
    const sealed = await sealHistory(store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }), {
      office: 'changzhi',
      at: '2022-01-05T01:00:00.000Z',
      privateKey,
    });
    if (isLeft(sealed)) throw new Error(sealed.left.message);
    return o.command(
      'RecordSeal',
      { seal: sealed.right.seal },
      o.mainLeader,
      '2022-01-05T09:00:00.000+08:00',
    ) as Command;
  };
  const all = cases(sealNow);
  const cells: MatrixCell[] = [];
  for (const type of ALL_COMMANDS) {
    const make = all[type];
    if (!make) throw new Error(`the matrix has no case for ${type}`);
    const [before, command] = await make();
    const base = createInMemoryEventStore();
    for (const step of [...(type === 'EstablishOffice' ? [] : o.setup()), ...before]) {
      const r = await run(base, step);
      if (isLeft(r))
        throw new Error(`matrix set-up for ${type}: ${step.type} was refused: ${r.left.message}`);
    }
    const { events, streams } = await snapshot(base);
    for (const who of MATRIX_ACTORS) {
      const store = await copyOf(events, streams);
      const r = await run(store, { ...command, actor: who.actor } as Command);
      const appended = (await countAll(store)) - events.length;
      cells.push({
        command: type,
        aggregate: aggregateOf(type as Command['type'])!,
        kind: who.kind,
        relation: who.relation,
        outcome: isLeft(r)
          ? {
              kind: r.left.kind,
              code: r.left.code,
              ...('field' in r.left && typeof r.left.field === 'string' ? { field: r.left.field } : {}),
            }
          : 'accepted',
        appended,
      });
    }
  }
  return cells;
};

/** The matrix in figures: its size, how many cells were accepted and refused, refusals by code. */
export const matrixFigures = (cells: readonly MatrixCell[]) => {
  const denied = cells.filter((c) => c.outcome !== 'accepted');
  const byCode: Record<string, number> = {};
  for (const c of denied) {
    const code = (c.outcome as { code: string }).code;
    byCode[code] = (byCode[code] ?? 0) + 1;
  }
  return {
    commands: new Set(cells.map((c) => c.command)).size,
    actors: MATRIX_ACTORS.length,
    actorKinds: new Set(MATRIX_ACTORS.map((a) => a.kind)).size,
    cells: cells.length,
    accepted: cells.length - denied.length,
    denied: denied.length,
    deniedAndAppended: denied.filter((c) => c.appended !== 0).length,
    deniedByCode: Object.fromEntries(Object.entries(byCode).sort(([, a], [, b]) => b - a)),
  };
};
