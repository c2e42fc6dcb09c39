import * as t from 'io-ts';
import { commandCodec } from '../message';
import { Count, Id, LocalDate, Quarter, ShortText, intRange } from '../codec';
import { SupervisionPolicyCodec } from '../policy';
import { ScoringPolicyCodec } from '../scoring-policy';
import { TimeLimitProfileCodec } from '../time-limits';
import { CalendarDays, LeaderRole, Person, Recipient, RuleApproval, StaffRole, UnitKind } from './vocabulary';
import { Seal } from './seal';
import { Ed25519PublicKeyHex } from './actor-keys';

/**
 * Commands on the office's own stream (`office`): its organisation and its rules — calendar, time
 * limits, policies — recorded as facts, each effective from a date that is never in the past, so every
 * decision replays under the rules that were in force when it was taken.
 */
const command = commandCodec({ officeId: Id });
const Year = intRange(2000, 2099, 'Year');

export const OfficeCommands = {
  /** The office opens its record, naming its main leader. */
  EstablishOffice: command('EstablishOffice', {
    name: ShortText,
    utcOffsetMinutes: intRange(-720, 840, 'UtcOffsetMinutes'),
    mainLeader: Person,
    effectiveFrom: LocalDate,
  }),
  RegisterUnit: command(
    'RegisterUnit',
    { unitId: Id, name: ShortText, kind: UnitKind, effectiveFrom: LocalDate },
    RuleApproval,
  ),
  RetireUnit: command('RetireUnit', { unitId: Id, effectiveFrom: LocalDate }, RuleApproval),
  RegisterSection: command(
    'RegisterSection',
    { sectionId: Id, name: ShortText, effectiveFrom: LocalDate },
    RuleApproval,
  ),
  AppointLeader: command(
    'AppointLeader',
    { personId: Id, name: ShortText, role: LeaderRole, effectiveFrom: LocalDate },
    RuleApproval,
  ),
  EndAppointment: command('EndAppointment', { personId: Id, effectiveFrom: LocalDate }, RuleApproval),
  /** 分管: the sections and units a deputy leader is in charge of, replacing what they had. */
  AssignPortfolio: command(
    'AssignPortfolio',
    {
      deputyLeaderId: Id,
      sections: t.array(Id),
      units: t.array(Id),
      effectiveFrom: LocalDate,
    },
    RuleApproval,
  ),
  RegisterStaff: command(
    'RegisterStaff',
    { personId: Id, name: ShortText, role: StaffRole, effectiveFrom: LocalDate },
    { ...RuleApproval, orgId: Id },
  ),
  EndStaff: command('EndStaff', { personId: Id, effectiveFrom: LocalDate }, RuleApproval),
  /** A year's working days as the office keeps them: days off and weekend days worked (调休). */
  AdoptCalendar: command(
    'AdoptCalendar',
    { year: Year, holidays: CalendarDays, workingDays: CalendarDays, basis: ShortText },
    RuleApproval,
  ),
  /** The State Council's published schedule of a year (2021–2026 ship with Duban), adopted as it is. */
  AdoptStateCouncilCalendar: command('AdoptStateCouncilCalendar', { year: Year }, RuleApproval),
  AdoptTimeLimitProfile: command(
    'AdoptTimeLimitProfile',
    { profile: TimeLimitProfileCodec, effectiveFrom: LocalDate },
    RuleApproval,
  ),
  AdoptSupervisionPolicy: command(
    'AdoptSupervisionPolicy',
    { policy: SupervisionPolicyCodec, effectiveFrom: LocalDate },
    RuleApproval,
  ),
  /** How quarterly scores are computed, from a quarter on (never one already begun before today). */
  AdoptScoringPolicy: command(
    'AdoptScoringPolicy',
    { policy: ScoringPolicyCodec, name: ShortText, effectiveFromQuarter: Quarter },
    RuleApproval,
  ),
  /** 按季度通报: freezes the quarter's ranking, as the engine computes it from the history, as a fact. */
  /**
   * `sealRevision` names a seal on the record (its SealRecorded revision): the ranking is then computed
   * from exactly the events that seal covers, and the 通报 names it.
   */
  PublishQuarterlyRanking: command(
    'PublishQuarterlyRanking',
    { quarter: Quarter },
    { ...RuleApproval, sealRevision: Count },
  ),
  /** 年度评价: freezes the year's evaluation of every unit, from its four published quarters. */
  PublishAnnualEvaluation: command(
    'PublishAnnualEvaluation',
    { year: Year },
    { ...RuleApproval, sealRevision: Count },
  ),
  /** Hand-over of the year's results (向组织人事部门 / 市委考核部门通报年度评价结果). */
  RecordAnnualResultsSent: command('RecordAnnualResultsSent', {
    year: Year,
    recipient: Recipient,
    reference: ShortText,
  }),
  /**
   * A seal of the history (docs/auditing.md, "Seals"), kept on the record so the history lists every
   * seal it was given: by the inspection office or the main leader, no approval needed.
   */
  RecordSeal: command('RecordSeal', { seal: Seal }),
  /**
   * A person's signing key (docs/auditing.md, "Signed commands"): from now on their commands are
   * accepted only signed with it. It replaces the key they had. By the main leader or the inspection office.
   */
  RegisterActorKey: command('RegisterActorKey', { personId: Id, publicKey: Ed25519PublicKeyHex }),
  /** Ends a person's key (lost, leaked, left): their commands are refused until a new key is registered. */
  RevokeActorKey: command('RevokeActorKey', {
    personId: Id,
    publicKey: Ed25519PublicKeyHex,
    reason: ShortText,
  }),
};

export type OfficeCommandType = keyof typeof OfficeCommands;
export type OfficeCommandOf<K extends OfficeCommandType> = t.TypeOf<(typeof OfficeCommands)[K]>;
export type OfficeCommand = { [K in OfficeCommandType]: OfficeCommandOf<K> }[OfficeCommandType];
