import { isLeft } from 'fp-ts/Either';
import {
  applyOffice,
  createOfficeDecider,
  initialOfficeState,
  type Actor,
  type OfficeCommand,
  type OfficeCommandOf,
  type OfficeCommandType,
  type OfficeEvent,
  type OfficeFacts,
  type OfficeState,
} from '@duban/domain';

/**
 * The office on record for the people `taskFixture()` uses: main leader `mayor`, deputy leaders
 * `vice-mayor-li` (in charge of section-2 and its units) and `vice-mayor-wang` (section-5), sections 2
 * and 5 with their clerks, the inspection office, three bureaus with their staff, the 13710 system and
 * an auditor. `o.setup()` lists the commands that record it all; `o.history(...)` runs commands through
 * the office decider (valid by construction) and `o.state(...)` folds them.
 */
export interface OfficeFixtureOptions {
  readonly officeId?: string;
  /** When the record is opened; default Monday 3 January 2022, 09:00 in Changzhi. */
  readonly at?: string;
}

type DataOf<K extends OfficeCommandType> = Omit<OfficeCommandOf<K>['data'], 'officeId'>;

export const officeFixture = (options: OfficeFixtureOptions = {}) => {
  const officeId = options.officeId ?? 'changzhi';
  const at = options.at ?? '2022-01-04T09:00:00.000+08:00';
  const from = at.slice(0, 10);
  const mainLeader: Actor = { id: 'mayor', kind: 'main-leader' };
  const inspectionOffice: Actor = { id: 'inspector-sun', kind: 'inspection-office' };
  const approval = { ref: 'CZ-GOV-2022-001', by: 'mayor' };

  const command = <K extends OfficeCommandType>(
    type: K,
    data: DataOf<K>,
    actor: Actor = mainLeader,
    when = at,
  ): OfficeCommandOf<K> =>
    ({ type, actor, at: when, data: { officeId, ...data } }) as unknown as OfficeCommandOf<K>;

  const builders = {
    establish: (actor: Actor = mainLeader, when = at) =>
      command(
        'EstablishOffice',
        {
          name: '长治市人民政府办公室',
          utcOffsetMinutes: 480,
          mainLeader: { personId: 'mayor', name: '市长' },
          effectiveFrom: when.slice(0, 10),
        },
        actor,
        when,
      ),
    unit: (unitId: string, name = unitId, when = at) =>
      command(
        'RegisterUnit',
        { unitId, name, kind: 'department', effectiveFrom: when.slice(0, 10) },
        mainLeader,
        when,
      ),
    section: (sectionId: string, when = at) =>
      command(
        'RegisterSection',
        { sectionId, name: sectionId, effectiveFrom: when.slice(0, 10) },
        mainLeader,
        when,
      ),
    leader: (personId: string, role: 'main-leader' | 'deputy-leader' = 'deputy-leader', when = at) =>
      command(
        'AppointLeader',
        { personId, name: personId, role, effectiveFrom: when.slice(0, 10) },
        mainLeader,
        when,
      ),
    portfolio: (deputyLeaderId: string, sections: string[], units: string[], when = at) =>
      command(
        'AssignPortfolio',
        { deputyLeaderId, sections, units, effectiveFrom: when.slice(0, 10) },
        mainLeader,
        when,
      ),
    staff: (
      personId: string,
      role: 'section' | 'inspection-office' | 'unit' | 'auditor' | 'system',
      orgId?: string,
      when = at,
    ) =>
      command(
        'RegisterStaff',
        { personId, name: personId, role, effectiveFrom: when.slice(0, 10), ...(orgId ? { orgId } : {}) },
        mainLeader,
        when,
      ),
    stateCouncilCalendar: (year: number, actor: Actor = mainLeader, when = at) =>
      command('AdoptStateCouncilCalendar', { year }, actor, when),
    publish: (quarter: string, when: string, actor: Actor = inspectionOffice) =>
      command('PublishQuarterlyRanking', { quarter, approval }, actor, when),
    publishYear: (year: number, when: string, actor: Actor = inspectionOffice) =>
      command('PublishAnnualEvaluation', { year, approval }, actor, when),
  };

  /** Everything the task fixture's actors need on record. */
  const setup = (): OfficeCommand[] => [
    builders.establish(),
    builders.leader('vice-mayor-li'),
    builders.leader('vice-mayor-wang'),
    builders.section('section-2'),
    builders.section('section-5'),
    ...['bureau-of-commerce', 'bureau-of-finance', 'bureau-of-transport'].map((u) => builders.unit(u)),
    builders.portfolio(
      'vice-mayor-li',
      ['section-2'],
      ['bureau-of-commerce', 'bureau-of-finance', 'bureau-of-transport'],
    ),
    builders.portfolio('vice-mayor-wang', ['section-5'], []),
    builders.staff('clerk-zhao', 'section', 'section-2'),
    builders.staff('clerk-qian', 'section', 'section-5'),
    builders.staff('inspector-sun', 'inspection-office'),
    builders.staff('director-zhou', 'unit', 'bureau-of-commerce'),
    builders.staff('officer-wu', 'unit', 'bureau-of-finance'),
    builders.staff('officer-zheng', 'unit', 'bureau-of-transport'),
    builders.staff('13710-system', 'system'),
    builders.staff('duban-deadline-sweeper', 'system'),
    builders.staff('auditor-feng', 'auditor'),
  ];

  /** Runs office commands from an empty record; throws if one is rejected (a broken fixture). */
  const history = (commands: readonly OfficeCommand[], facts: OfficeFacts = {}): OfficeEvent[] => {
    const decider = createOfficeDecider(undefined, facts);
    const state = initialOfficeState();
    const events: OfficeEvent[] = [];
    for (const c of commands) {
      const result = decider.decide(c, state);
      if (isLeft(result)) throw new Error(`fixture command ${c.type} was rejected: ${result.left.message}`);
      for (const e of result.right) {
        applyOffice(state, e);
        events.push(e);
      }
    }
    return events;
  };

  const state = (events: readonly OfficeEvent[]): OfficeState => {
    const s = initialOfficeState();
    for (const e of events) applyOffice(s, e);
    return s;
  };

  return {
    officeId,
    at,
    from,
    mainLeader,
    inspectionOffice,
    approval,
    command,
    setup,
    history,
    state,
    ...builders,
  };
};

export type OfficeFixture = ReturnType<typeof officeFixture>;
