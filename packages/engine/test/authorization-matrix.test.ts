import {
  ALL_COMMANDS,
  MATRIX_ACTORS,
  authorizationMatrix,
  matrixFigures,
  type MatrixCell,
} from './support/authorization-matrix';
import { recordFigures } from './support/figures';

/**
 * The authorization matrix (docs/reliability.md): every task, unit and office command × every actor
 * kind in every relation, each tried on a copy of a state where the command is valid. Who is accepted
 * is the table below; every other cell is a typed refusal that appended nothing.
 */
const only = (commands: string[], accepted: string[]) =>
  Object.fromEntries(commands.map((c) => [c, accepted]));

const ACCEPTED: Record<string, string[]> = {
  ...only(['AssignTask'], ['deputy-leader: in charge', "section: the task's section"]),
  ...only(
    [
      'AcceptTask',
      'SubmitWorkPlan',
      'RespondToNotice',
      'RequestExtension',
      'RequestClosure',
      'SubmitRectificationPlan',
      'CompleteRectification',
    ],
    ['unit: lead unit'],
  ),
  ...only(['ReportProgress'], ['unit: lead unit', 'unit: co-unit']),
  ...only(
    [
      'UrgeTask',
      'IssueWarning',
      'IssueSupervisionNotice',
      'ApproveExtension',
      'RejectExtension',
      'ReviewClosure',
      'RejectClosure',
    ],
    ["section: the task's section"],
  ),
  ...only(
    ['AnswerDifficulty'],
    [
      'main-leader: on record',
      'deputy-leader: in charge',
      "section: the task's section",
      'inspection-office: on record',
    ],
  ),
  ...only(
    [
      'EscalateTask',
      'OpenRectification',
      'ReviewLookBack',
      'RecordRecognition',
      'RecordCriticism',
      'RecordFalsification',
    ],
    ['main-leader: on record', "section: the task's section", 'inspection-office: on record'],
  ),
  ...only(['ApproveClosure'], ['main-leader: on record', 'deputy-leader: in charge']),
  ...only(
    ['CheckDeadlines'],
    [
      "section: the task's section",
      'section: another section',
      'inspection-office: on record',
      'system: on record',
    ],
  ),
  ...only(['RecordInspection'], ['inspection-office: on record']),
  ...only(
    [
      'ScheduleInterview',
      'RecordInterview',
      'ReferToDiscipline',
      'PublishCommendation',
      'PublishCriticism',
      'RegisterUnit',
      'RetireUnit',
      'RegisterSection',
      'AppointLeader',
      'EndAppointment',
      'AssignPortfolio',
      'RegisterStaff',
      'EndStaff',
      'AdoptCalendar',
      'AdoptStateCouncilCalendar',
      'AdoptTimeLimitProfile',
      'AdoptSupervisionPolicy',
      'AdoptScoringPolicy',
      'PublishQuarterlyRanking',
      'PublishAnnualEvaluation',
      'RecordAnnualResultsSent',
      'RecordSeal',
      'RegisterActorKey',
      'RevokeActorKey',
    ],
    ['main-leader: on record', 'inspection-office: on record'],
  ),
  ...only(['EstablishOffice'], ['main-leader: on record']),
};

const ENGINE_ERROR_KINDS = [
  'ValidationError',
  'AuthenticationError',
  'SignatureError',
  'DomainError',
  'ConcurrencyError',
  'IdempotencyError',
  'StoreError',
  'IntegrityError',
  'InternalError',
];

describe('the authorization matrix', () => {
  let cells: MatrixCell[];
  beforeAll(async () => {
    cells = await authorizationMatrix();
    recordFigures('authorization-matrix', matrixFigures(cells));
  }, 120_000);

  it('covers every command with every actor kind and relation', () => {
    expect(ALL_COMMANDS.length).toBe(25 + 6 + 20); // task, unit, office
    expect(cells).toHaveLength(ALL_COMMANDS.length * MATRIX_ACTORS.length);
    expect(Object.keys(ACCEPTED).sort()).toEqual([...ALL_COMMANDS].sort());
    expect(new Set(MATRIX_ACTORS.map((a) => a.kind))).toEqual(
      new Set(['main-leader', 'deputy-leader', 'section', 'inspection-office', 'unit', 'auditor', 'system']),
    );
  });

  it('accepts exactly the actors the rules name, and each of them appends', () => {
    const accepted: Record<string, string[]> = {};
    for (const c of cells)
      if (c.outcome === 'accepted') {
        (accepted[c.command] ??= []).push(`${c.kind}: ${c.relation}`);
        expect(c.appended).toBeGreaterThan(0);
      }
    expect(accepted).toEqual(ACCEPTED);
  });

  it('refuses every other cell with a typed error naming a code, and appends nothing', () => {
    const denied = cells.filter((c) => c.outcome !== 'accepted');
    expect(denied.length).toBe(cells.length - Object.values(ACCEPTED).flat().length);
    for (const c of denied) {
      const outcome = c.outcome as Exclude<MatrixCell['outcome'], 'accepted'>;
      expect(ENGINE_ERROR_KINDS).toContain(outcome.kind);
      expect(outcome.code).toMatch(/^[A-Z][A-Za-z]+$/);
      expect({ command: c.command, kind: c.kind, relation: c.relation, appended: c.appended }).toEqual({
        command: c.command,
        kind: c.kind,
        relation: c.relation,
        appended: 0,
      });
    }
  });

  // (On a task, the system account is refused any command but the deadline check before its record is looked up.)
  it('an actor not on record, or claiming an organisation not theirs, is refused as not on record', () => {
    const impostors = cells.filter(
      (c) => /not on record|not theirs/.test(c.relation) && c.command !== 'EstablishOffice',
    );
    expect(impostors.length).toBeGreaterThan(0);
    for (const c of impostors)
      expect({ command: c.command, who: `${c.kind}: ${c.relation}`, outcome: c.outcome }).toEqual({
        command: c.command,
        who: `${c.kind}: ${c.relation}`,
        outcome: {
          kind: 'DomainError',
          code:
            c.kind === 'system' && c.aggregate === 'task' && c.command !== 'CheckDeadlines'
              ? 'NotAuthorized'
              : 'NotOnRecord',
          field: 'actor',
        },
      });
  });

  it('auditors act on nothing; the system only runs the deadline check', () => {
    for (const c of cells.filter((c) => c.kind === 'auditor'))
      expect(c.outcome).toMatchObject({ code: 'AuditorsCannotAct' });
    expect(
      cells.filter((c) => c.kind === 'system' && c.outcome === 'accepted').map((c) => c.command),
    ).toEqual(['CheckDeadlines']);
  });
});
