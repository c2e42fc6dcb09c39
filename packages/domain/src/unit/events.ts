import * as t from 'io-ts';
import { eventCodec } from '../message';
import { Id, Instant, NonEmptyString, ShortText, list } from '../codec';
import { LeaderApproval, OffenceCategory } from '../task/vocabulary';
import { Grounds, InspectionMethod, Interviewee } from './commands';

/** Events of the unit aggregate: the versioned storage contract (schema version 1). */
const event = eventCodec({ unitId: Id });

export const UnitEvents = {
  InspectionRecorded: event('InspectionRecorded', {
    inspectionId: Id,
    quarter: ShortText,
    approval: LeaderApproval,
    methods: list(InspectionMethod, 'Methods'),
    findings: NonEmptyString,
    opinion: NonEmptyString,
    taskIds: list(Id, 'TaskIds'),
  }),
  InterviewScheduled: event('InterviewScheduled', {
    interviewId: Id,
    interviewee: Interviewee,
    reason: NonEmptyString,
    scheduledFor: Instant,
  }),
  InterviewRecorded: event(
    'InterviewRecorded',
    { interviewId: Id, summary: NonEmptyString },
    { heldAt: Instant },
  ),
  ReferredToDiscipline: event(
    'ReferredToDiscipline',
    {
      referralId: Id,
      to: t.keyof({ 'discipline-inspection': null, judicial: null }),
      reason: NonEmptyString,
    },
    // Absent in histories recorded before referrals needed their grounds.
    { approval: LeaderApproval, evidence: list(Grounds, 'Evidence'), offence: OffenceCategory },
  ),
  CommendationPublished: event('CommendationPublished', { commendationId: Id, reason: NonEmptyString }),
  CriticismPublished: event('CriticismPublished', { criticismId: Id, reason: NonEmptyString }),
};

export type UnitEventType = keyof typeof UnitEvents;
export type UnitEventOf<K extends UnitEventType> = t.TypeOf<(typeof UnitEvents)[K]>;
export type UnitEvent = { [K in UnitEventType]: UnitEventOf<K> }[UnitEventType];
