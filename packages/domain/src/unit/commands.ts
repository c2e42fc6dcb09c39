import * as t from 'io-ts';
import { commandCodec } from '../message';
import { Count, Id, Instant, NonEmptyString, ShortText, list, nonEmptyArray } from '../codec';
import { LeaderApproval, OffenceCategory } from '../task/vocabulary';

/**
 * Commands on a unit (stream `unit-<unitId>`): key inspections (重点督查) and accountability acts
 * (约谈问责). Recorded per unit so its decider sees how often it was inspected or interviewed.
 */
const command = commandCodec({ unitId: Id });

/** The six methods of a key inspection. */
export const InspectionMethod = t.keyof({
  'hear-reports': null, // 听汇报
  'review-documents': null, // 查阅文件资料
  'on-site-supervision': null, // 现场督办
  'interviews-and-visits': null, // 座谈走访
  questionnaires: null, // 问卷调查
  'unannounced-visits': null, // 明察暗访
});

/** What a referral rests on: an event (stream and revision), e.g. a DeadlineMissed or an InterviewRecorded. */
export const Grounds = t.strict({ streamId: ShortText, revision: Count, type: ShortText }, 'Grounds');

export const Interviewee = t.keyof({ principal: null, 'deputy-in-charge': null }); // 主要负责人 / 分管负责人

export const UnitCommands = {
  /** 重点督查: approved by the main leader; its opinion goes back to the unit. */
  RecordInspection: command('RecordInspection', {
    inspectionId: Id,
    approval: LeaderApproval,
    methods: nonEmptyArray(InspectionMethod, 'Methods'),
    findings: NonEmptyString,
    opinion: NonEmptyString,
    taskIds: list(Id, 'TaskIds'),
  }),
  /** 约谈 */
  ScheduleInterview: command('ScheduleInterview', {
    interviewId: Id,
    interviewee: Interviewee,
    reason: NonEmptyString,
    scheduledFor: Instant,
  }),
  /** A held interview; `heldAt` when recorded later than it was held. */
  RecordInterview: command(
    'RecordInterview',
    { interviewId: Id, summary: NonEmptyString },
    { heldAt: Instant },
  ),
  /**
   * 移交纪检监察机关 / 移送司法机关: with the main leader's approval, naming the events and flags it rests
   * on; a judicial referral names the suspected offence (涉嫌违法犯罪).
   */
  ReferToDiscipline: command(
    'ReferToDiscipline',
    {
      referralId: Id,
      to: t.keyof({ 'discipline-inspection': null, judicial: null }),
      reason: NonEmptyString,
      approval: LeaderApproval,
      evidence: nonEmptyArray(Grounds, 'Evidence'),
    },
    { offence: OffenceCategory },
  ),
  /** 通报表扬 */
  PublishCommendation: command('PublishCommendation', { commendationId: Id, reason: NonEmptyString }),
  /** 通报批评 */
  PublishCriticism: command('PublishCriticism', { criticismId: Id, reason: NonEmptyString }),
};

export type UnitCommandType = keyof typeof UnitCommands;
export type UnitCommandOf<K extends UnitCommandType> = t.TypeOf<(typeof UnitCommands)[K]>;
export type UnitCommand = { [K in UnitCommandType]: UnitCommandOf<K> }[UnitCommandType];
