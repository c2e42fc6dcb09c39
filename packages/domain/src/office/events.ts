import * as t from 'io-ts';
import { eventCodec } from '../message';
import {
  Count,
  Id,
  LocalDate,
  NonEmptyString,
  Quarter,
  ShortText,
  intRange,
  list,
  numberRange,
  text,
} from '../codec';
import { Grade } from '../grade';
import { SupervisionPolicyCodec } from '../policy';
import { ScoringPolicyCodec } from '../scoring-policy';
import { TimeLimitProfileCodec } from '../time-limits';
import { LeaderApproval } from '../task/vocabulary';
import { CalendarDays, LeaderRole, Person, Recipient, StaffRole, UnitKind } from './vocabulary';
import { Seal, SealReference } from './seal';
import { Ed25519PublicKeyHex } from './actor-keys';

/** Events of the office's own stream: the versioned storage contract (schema version 1). */
const event = eventCodec({ officeId: Id });
const Year = intRange(2000, 2099, 'Year');
const Approval = { approval: LeaderApproval };
const Points = numberRange(-100_000, 100_000, 'Points');

/** The event a score line rests on. */
export const Evidence = t.strict({ streamId: ShortText, revision: Count, type: ShortText }, 'Evidence');

/** One line of a published score, as the scorecard explained it. */
export const PublishedScoreLine = t.intersection(
  [
    t.strict({
      kind: t.keyof({ grade: null, average: null, deduction: null, correction: null }),
      text: text(),
      points: Points,
      evidence: list(Evidence, 'Evidence', 1000),
    }),
    t.exact(t.partial({ taskId: Id, weight: numberRange(0, 1000, 'Weight'), grade: Grade })),
  ],
  'PublishedScoreLine',
);

/** A unit's place in a published 通报. */
export const PublishedUnitScore = t.strict(
  {
    unitId: Id,
    rank: Count,
    score: Points,
    average: Points,
    deductions: Points,
    /** Sum of the weights the average was taken over: what a later correction is divided by. */
    weights: numberRange(0, 1_000_000, 'Weights'),
    overdue: Count,
    tasksByGrade: t.strict({ excellent: Count, good: Count, basic: Count, poor: Count, 'very-poor': Count }),
    lines: list(PublishedScoreLine, 'Lines', 2000),
  },
  'PublishedUnitScore',
);

/** A unit listed in the quarter with nothing graded (open tasks only), and why it is not ranked. */
export const UnrankedUnit = t.strict({ unitId: Id, reason: ShortText }, 'UnrankedUnit');

/** A unit's year: its published quarters and the aggregate the policy makes of them. */
export const AnnualUnitResult = t.strict(
  {
    unitId: Id,
    rank: Count,
    score: Points,
    band: ShortText,
    quarters: list(t.strict({ quarter: Quarter, score: Points, rank: Count }), 'Quarters', 4),
    text: text(),
  },
  'AnnualUnitResult',
);

export const OfficeEvents = {
  OfficeEstablished: event('OfficeEstablished', {
    name: ShortText,
    utcOffsetMinutes: intRange(-720, 840, 'UtcOffsetMinutes'),
    mainLeader: Person,
    effectiveFrom: LocalDate,
  }),
  UnitRegistered: event(
    'UnitRegistered',
    { unitId: Id, name: ShortText, kind: UnitKind, effectiveFrom: LocalDate },
    Approval,
  ),
  UnitRetired: event('UnitRetired', { unitId: Id, effectiveFrom: LocalDate }, Approval),
  SectionRegistered: event(
    'SectionRegistered',
    { sectionId: Id, name: ShortText, effectiveFrom: LocalDate },
    Approval,
  ),
  LeaderAppointed: event(
    'LeaderAppointed',
    { personId: Id, name: ShortText, role: LeaderRole, effectiveFrom: LocalDate },
    Approval,
  ),
  AppointmentEnded: event('AppointmentEnded', { personId: Id, effectiveFrom: LocalDate }, Approval),
  PortfolioAssigned: event(
    'PortfolioAssigned',
    {
      deputyLeaderId: Id,
      sections: list(Id, 'Sections', 50),
      units: list(Id, 'Units', 200),
      effectiveFrom: LocalDate,
    },
    Approval,
  ),
  StaffRegistered: event(
    'StaffRegistered',
    { personId: Id, name: ShortText, role: StaffRole, effectiveFrom: LocalDate },
    { ...Approval, orgId: Id },
  ),
  StaffLeft: event('StaffLeft', { personId: Id, effectiveFrom: LocalDate }, Approval),
  /** Days before `effectiveFrom` keep the rule they had: a calendar never changes the past. */
  CalendarAdopted: event(
    'CalendarAdopted',
    {
      year: Year,
      holidays: CalendarDays,
      workingDays: CalendarDays,
      basis: ShortText,
      effectiveFrom: LocalDate,
    },
    Approval,
  ),
  TimeLimitProfileAdopted: event(
    'TimeLimitProfileAdopted',
    { profile: TimeLimitProfileCodec, effectiveFrom: LocalDate },
    Approval,
  ),
  SupervisionPolicyAdopted: event(
    'SupervisionPolicyAdopted',
    { policy: SupervisionPolicyCodec, effectiveFrom: LocalDate },
    Approval,
  ),
  ScoringPolicyAdopted: event(
    'ScoringPolicyAdopted',
    { policy: ScoringPolicyCodec, name: ShortText, effectiveFromQuarter: Quarter },
    Approval,
  ),
  QuarterlyRankingPublished: event(
    'QuarterlyRankingPublished',
    {
      quarter: Quarter,
      /** The instant the ranking was computed as of: the quarter's last moment in the office's zone. */
      asOf: t.string,
      /** Revision of the office event that adopted the scoring policy used (-1: the default policy). */
      policy: t.strict({ name: ShortText, revision: intRange(-1, Number.MAX_SAFE_INTEGER, 'Revision') }),
      units: list(PublishedUnitScore, 'Units', 2000),
      unranked: list(UnrankedUnit, 'Unranked', 2000),
    },
    /** `seal`: the seal whose events the ranking was computed from, when the publication named one. */
    { ...Approval, seal: SealReference },
  ),
  AnnualEvaluationPublished: event(
    'AnnualEvaluationPublished',
    {
      year: Year,
      rule: NonEmptyString,
      units: list(AnnualUnitResult, 'Units', 2000),
    },
    { ...Approval, seal: SealReference },
  ),
  AnnualResultsSent: event('AnnualResultsSent', { year: Year, recipient: Recipient, reference: ShortText }),
  /** A seal given to the history, as signed (its signature is checked by the engine, not here). */
  SealRecorded: event('SealRecorded', { seal: Seal }),
  /** A person's signing key, in force from this event until revoked or replaced. */
  ActorKeyRegistered: event('ActorKeyRegistered', { personId: Id, publicKey: Ed25519PublicKeyHex }),
  ActorKeyRevoked: event('ActorKeyRevoked', {
    personId: Id,
    publicKey: Ed25519PublicKeyHex,
    reason: ShortText,
  }),
};

export type OfficeEventType = keyof typeof OfficeEvents;
export type OfficeEventOf<K extends OfficeEventType> = t.TypeOf<(typeof OfficeEvents)[K]>;
export type OfficeEvent = { [K in OfficeEventType]: OfficeEventOf<K> }[OfficeEventType];
export type PublishedRanking = Omit<
  OfficeEventOf<'QuarterlyRankingPublished'>['data'],
  'officeId' | 'at' | 'approval'
>;
export type AnnualEvaluation = Omit<
  OfficeEventOf<'AnnualEvaluationPublished'>['data'],
  'officeId' | 'at' | 'approval'
>;
