import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { Actor } from '../actor';
import { domainError, type DomainError, type DomainErrorCode } from '../errors';
import type { DomainContext } from '../policy';
import type { LeaderApproval } from '../task/vocabulary';
import type { OfficeCommand, OfficeCommandOf, OfficeCommandType } from './commands';
import type { AnnualEvaluation, OfficeEvent, PublishedRanking } from './events';
import { localDateIn, organisationAt } from './rules';
import type { OfficeState } from './state';
import { holderOfKey } from './actor-keys';
import { actorNotOnRecord } from './actors';
import type { SealReference } from './seal';
import { STATE_COUNCIL_SCHEDULES } from './state-council-calendars';

export type OfficeDecision = Either<DomainError, OfficeEvent[]>;

/**
 * What only the engine can tell the office decider, computed from the whole history: the ranking of a
 * quarter and the year's evaluation. A caller never hands these in; the decider refuses to publish
 * without them.
 */
export interface OfficeFacts {
  readonly ranking?: PublishedRanking;
  readonly annual?: AnnualEvaluation;
  /** The seal whose events `ranking` or `annual` was computed from, when the command named one. */
  readonly seal?: SealReference;
}

/**
 * The seal a publication names (`data.sealRevision`), checked against the record and the facts: a seal
 * recorded there, made once the period ended, and the one the engine computed from. Its reference, or why not.
 */
const sealNamed = (
  sealRevision: number | undefined,
  periodEnd: number,
  s: OfficeState,
  facts: OfficeFacts,
): Either<DomainError, SealReference | undefined> => {
  if (sealRevision === undefined)
    return facts.seal
      ? left(
          domainError('RankingNotComputed', 'the ranking was computed from a seal the command did not name'),
        )
      : right(undefined);
  const recorded = s.seals.find((r) => r.revision === sealRevision);
  if (!recorded)
    return left(
      domainError('NotOnRecord', `no seal is recorded at revision ${sealRevision}`, 'data.sealRevision'),
    );
  if (Date.parse(recorded.seal.at) < periodEnd)
    return left(
      domainError(
        'SealBeforePeriodEnd',
        `the seal at revision ${sealRevision} was made at ${recorded.seal.at}, before the period ended`,
        'data.sealRevision',
      ),
    );
  const ref = { revision: sealRevision, size: recorded.seal.size, root: recorded.seal.root };
  if (facts.seal?.revision !== ref.revision)
    return left(
      domainError('RankingNotComputed', `no ranking was computed from the seal at revision ${sealRevision}`),
    );
  if (facts.seal.size !== ref.size || facts.seal.root !== ref.root)
    return left(
      domainError(
        'RankingNotComputed',
        `the history's first ${ref.size} events are not those the seal at revision ${sealRevision} covers (read ${facts.seal.size}, root ${facts.seal.root.slice(0, 16)}…): nothing is published from it`,
        'data.sealRevision',
      ),
    );
  return right(ref);
};

type Handler<K extends OfficeCommandType> = (
  command: OfficeCommandOf<K>,
  state: OfficeState,
  ctx: DomainContext,
  facts: OfficeFacts,
) => OfficeDecision;

const fail = (code: DomainErrorCode, message: string, field?: string): OfficeDecision =>
  left(domainError(code, message, field));
const emit = (...events: OfficeEvent[]): OfficeDecision => right(events);
const nothing: OfficeDecision = right([]);

/** A date something takes effect on, checked against the day it is recorded. */
const notRetroactive = (
  effectiveFrom: string,
  at: string,
  state: OfficeState,
): OfficeDecision | undefined => {
  const today = localDateIn(at, state.utcOffsetMinutes);
  return effectiveFrom < today
    ? fail(
        'RetroactiveChange',
        `effective from ${effectiveFrom}, before the day it is recorded (${today})`,
        'data.effectiveFrom',
      )
    : undefined;
};

const quarterOf = (instant: string, offsetMinutes: number): string => {
  const date = localDateIn(instant, offsetMinutes);
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
};

const quarterEnd = (quarter: string, offsetMinutes: number): number => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return Date.UTC(year, q * 3, 1) - offsetMinutes * 60_000;
};

/** The approval a rule change carries, or the main leader's own act. */
const approvalOf = (actor: Actor, approval: LeaderApproval | undefined): LeaderApproval | undefined =>
  approval ?? (actor.kind === 'main-leader' ? { ref: 'decided in person', by: actor.id } : undefined);

const handlers: { readonly [K in OfficeCommandType]: Handler<K> } = {
  EstablishOffice({ data, actor, at }, s) {
    if (s.established)
      return s.officeId === data.officeId && s.name === data.name
        ? nothing
        : fail('OfficeAlreadyEstablished', `the record of office ${s.officeId} is already open`);
    if (actor.kind !== 'main-leader' || actor.id !== data.mainLeader.personId)
      return fail(
        'NotAuthorized',
        `${actor.kind} ${actor.id} may not establish the office: its main leader ${data.mainLeader.personId} does`,
        'actor',
      );
    const today = localDateIn(at, data.utcOffsetMinutes);
    if (data.effectiveFrom < today)
      return fail(
        'RetroactiveChange',
        `effective from ${data.effectiveFrom}, before ${today}`,
        'data.effectiveFrom',
      );
    return emit({ type: 'OfficeEstablished', data: { ...data, at } });
  },
  RegisterUnit({ data, at }, s) {
    const unit = s.units[data.unitId];
    if (
      unit &&
      unit.name === data.name &&
      unit.kind === data.kind &&
      unit.tenures.some((t) => t.until === undefined)
    )
      return nothing;
    return (
      notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'UnitRegistered', data: { ...data, at } })
    );
  },
  RetireUnit({ data, at }, s) {
    const unit = s.units[data.unitId];
    if (!unit) return fail('NotOnRecord', `unit ${data.unitId} is not on record`, 'data.unitId');
    if (!unit.tenures.some((t) => t.until === undefined)) return nothing;
    return notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'UnitRetired', data: { ...data, at } });
  },
  RegisterSection({ data, at }, s) {
    const section = s.sections[data.sectionId];
    if (section && section.name === data.name && section.tenures.some((t) => t.until === undefined))
      return nothing;
    return (
      notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'SectionRegistered', data: { ...data, at } })
    );
  },
  AppointLeader({ data, at }, s) {
    const open = s.leaders[data.personId]?.tenures.find((t) => t.until === undefined);
    if (open && open.role === data.role && open.from === data.effectiveFrom) return nothing;
    return (
      notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'LeaderAppointed', data: { ...data, at } })
    );
  },
  EndAppointment({ data, at }, s) {
    const leader = s.leaders[data.personId];
    if (!leader) return fail('NotOnRecord', `${data.personId} was never appointed`, 'data.personId');
    if (!leader.tenures.some((t) => t.until === undefined)) return nothing;
    return (
      notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'AppointmentEnded', data: { ...data, at } })
    );
  },
  AssignPortfolio({ data, at }, s) {
    const date = data.effectiveFrom;
    const org = organisationAt(s, date);
    if (!org.isLeader(data.deputyLeaderId, 'deputy-leader'))
      return fail(
        'NotOnRecord',
        `${data.deputyLeaderId} is not a deputy leader on record on ${date}`,
        'data.deputyLeaderId',
      );
    const section = data.sections.find((id) => !org.hasSection(id));
    if (section !== undefined)
      return fail('NotOnRecord', `section ${section} is not on record on ${date}`, 'data.sections');
    const unit = data.units.find((id) => !org.hasUnit(id));
    if (unit !== undefined)
      return fail('NotOnRecord', `unit ${unit} is not on record on ${date}`, 'data.units');
    return (
      notRetroactive(data.effectiveFrom, at, s) ??
      emit({
        type: 'PortfolioAssigned',
        data: {
          officeId: data.officeId,
          at,
          deputyLeaderId: data.deputyLeaderId,
          sections: [...new Set(data.sections)],
          units: [...new Set(data.units)],
          effectiveFrom: data.effectiveFrom,
          ...(data.approval ? { approval: data.approval } : {}),
        },
      })
    );
  },
  RegisterStaff({ data, at }, s) {
    const org = organisationAt(s, data.effectiveFrom);
    const needsOrg = data.role === 'section' || data.role === 'unit';
    if (needsOrg && data.orgId === undefined)
      return fail(
        'NotOnRecord',
        `${data.role} staff are registered with the ${data.role} they work for`,
        'data.orgId',
      );
    if (data.role === 'section' && !org.hasSection(data.orgId!))
      return fail(
        'NotOnRecord',
        `section ${data.orgId} is not on record on ${data.effectiveFrom}`,
        'data.orgId',
      );
    if (data.role === 'unit' && !org.hasUnit(data.orgId!))
      return fail(
        'NotOnRecord',
        `unit ${data.orgId} is not on record on ${data.effectiveFrom}`,
        'data.orgId',
      );
    const open = s.staff[data.personId]?.tenures.find((t) => t.until === undefined);
    if (open && open.role === data.role && open.orgId === data.orgId) return nothing;
    return (
      notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'StaffRegistered', data: { ...data, at } })
    );
  },
  EndStaff({ data, at }, s) {
    const person = s.staff[data.personId];
    if (!person) return fail('NotOnRecord', `${data.personId} is not on the staff record`, 'data.personId');
    if (!person.tenures.some((t) => t.until === undefined)) return nothing;
    return notRetroactive(data.effectiveFrom, at, s) ?? emit({ type: 'StaffLeft', data: { ...data, at } });
  },
  AdoptCalendar({ data, at }, s) {
    const outside = [...data.holidays, ...data.workingDays].find((d) => !d.startsWith(`${data.year}-`));
    if (outside !== undefined)
      return fail('NotOnRecord', `${outside} is not a day of ${data.year}`, 'data.holidays');
    return adoptCalendar(s, at, data);
  },
  AdoptStateCouncilCalendar({ data, at }, s) {
    const published = STATE_COUNCIL_SCHEDULES[data.year];
    if (!published)
      return fail(
        'NoPublishedSchedule',
        `no published schedule for ${data.year} ships with Duban`,
        'data.year',
      );
    return adoptCalendar(s, at, {
      officeId: data.officeId,
      year: data.year,
      holidays: [...published.holidays],
      workingDays: [...published.workingDays],
      basis: published.basis,
      ...(data.approval ? { approval: data.approval } : {}),
    });
  },
  AdoptTimeLimitProfile({ data, at }, s) {
    const ids = data.profile.milestones.map((m) => m.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined)
      return fail('NotOnRecord', `milestone ${dup} is named twice`, 'data.profile.milestones');
    return (
      notRetroactive(data.effectiveFrom, at, s) ??
      emit({ type: 'TimeLimitProfileAdopted', data: { ...data, at } })
    );
  },
  AdoptSupervisionPolicy({ data, at }, s) {
    return (
      notRetroactive(data.effectiveFrom, at, s) ??
      emit({ type: 'SupervisionPolicyAdopted', data: { ...data, at } })
    );
  },
  AdoptScoringPolicy({ data, at }, s) {
    const current = quarterOf(at, s.utcOffsetMinutes);
    if (data.effectiveFromQuarter < current)
      return fail(
        'RetroactiveChange',
        `effective from ${data.effectiveFromQuarter}, a quarter before this one (${current})`,
        'data.effectiveFromQuarter',
      );
    const published = Object.keys(s.rankings).find((q) => q >= data.effectiveFromQuarter);
    if (published !== undefined)
      return fail(
        'RetroactiveChange',
        `${published} is already published: a policy takes effect after the last 通报`,
        'data.effectiveFromQuarter',
      );
    return emit({ type: 'ScoringPolicyAdopted', data: { ...data, at } });
  },
  PublishQuarterlyRanking({ data, at }, s, _ctx, facts) {
    const published = s.rankings[data.quarter];
    if (published) return nothing; // a 通报 is published once; what stands is the first
    if (Date.parse(at) < quarterEnd(data.quarter, s.utcOffsetMinutes))
      return fail('QuarterNotEnded', `${data.quarter} has not ended at ${at}`, 'data.quarter');
    if (!facts.ranking || facts.ranking.quarter !== data.quarter)
      return fail('RankingNotComputed', `no ranking of ${data.quarter} was computed for this publication`);
    const seal = sealNamed(data.sealRevision, quarterEnd(data.quarter, s.utcOffsetMinutes), s, facts);
    if (isLeft(seal)) return seal;
    return emit({
      type: 'QuarterlyRankingPublished',
      data: {
        officeId: data.officeId,
        at,
        ...facts.ranking,
        ...(data.approval ? { approval: data.approval } : {}),
        ...(seal.right ? { seal: seal.right } : {}),
      },
    });
  },
  PublishAnnualEvaluation({ data, at }, s, _ctx, facts) {
    if (s.annual[String(data.year)]) return nothing;
    if (Date.parse(at) < quarterEnd(`${data.year}Q4`, s.utcOffsetMinutes))
      return fail('YearNotEnded', `${data.year} has not ended at ${at}`, 'data.year');
    if (!Object.keys(s.rankings).some((q) => q.startsWith(`${data.year}Q`)))
      return fail('QuartersNotPublished', `no quarter of ${data.year} was published`, 'data.year');
    if (!facts.annual || facts.annual.year !== data.year)
      return fail('RankingNotComputed', `no evaluation of ${data.year} was computed for this publication`);
    const seal = sealNamed(data.sealRevision, quarterEnd(`${data.year}Q4`, s.utcOffsetMinutes), s, facts);
    if (isLeft(seal)) return seal;
    return emit({
      type: 'AnnualEvaluationPublished',
      data: {
        officeId: data.officeId,
        at,
        ...facts.annual,
        ...(data.approval ? { approval: data.approval } : {}),
        ...(seal.right ? { seal: seal.right } : {}),
      },
    });
  },
  RecordAnnualResultsSent({ data, at }, s) {
    if (!s.annual[String(data.year)])
      return fail('EvaluationNotPublished', `the evaluation of ${data.year} is not published`, 'data.year');
    if (
      s.resultsSent.some(
        (r) => r.year === data.year && r.recipient === data.recipient && r.reference === data.reference,
      )
    )
      return nothing;
    return emit({ type: 'AnnualResultsSent', data: { ...data, at } });
  },
  RecordSeal({ data, at }, s) {
    const { seal } = data;
    if (seal.office !== s.officeId)
      return fail(
        'OfficeMismatch',
        `the seal names office ${seal.office}; this history keeps the record of office ${s.officeId}`,
        'data.seal.office',
      );
    if (Date.parse(seal.at) > Date.parse(at))
      return fail(
        'RecordOutOfOrder',
        `the seal was made at ${seal.at}, after the time it is recorded (${at})`,
        'data.seal.at',
      );
    // The same seal twice is one fact. Two different seals of one size are both kept: if they disagree,
    // the record shows the office signed two histories.
    if (s.seals.some((r) => r.seal.signature === seal.signature && r.seal.root === seal.root)) return nothing;
    return emit({ type: 'SealRecorded', data: { officeId: data.officeId, at, seal } });
  },
  RegisterActorKey({ data, at }, s) {
    const org = organisationAt(s, localDateIn(at, s.utcOffsetMinutes));
    if (
      !org.staffRole(data.personId) &&
      !org.isLeader(data.personId, 'deputy-leader') &&
      org.mainLeader !== data.personId
    )
      return fail('NotOnRecord', `${data.personId} is neither a leader nor staff on record`, 'data.personId');
    const holder = holderOfKey(s, data.publicKey);
    if (holder !== undefined && holder !== data.personId)
      return fail('KeyInUse', `the key is registered for ${holder}`, 'data.publicKey');
    const keys = s.actorKeys[data.personId] ?? [];
    if (keys.some((k) => k.publicKey === data.publicKey && k.endedRevision === undefined)) return nothing;
    if (keys.some((k) => k.publicKey === data.publicKey))
      return fail(
        'KeyInUse',
        `the key was revoked for ${data.personId}: a revoked key is not used again`,
        'data.publicKey',
      );
    return emit({ type: 'ActorKeyRegistered', data: { ...data, at } });
  },
  RevokeActorKey({ data, at }, s) {
    const key = s.actorKeys[data.personId]?.find((k) => k.publicKey === data.publicKey);
    if (!key) return fail('NotOnRecord', `the key is not registered for ${data.personId}`, 'data.publicKey');
    if (key.endedRevision !== undefined) return nothing;
    return emit({ type: 'ActorKeyRevoked', data: { ...data, at } });
  },
};

const adoptCalendar = (
  s: OfficeState,
  at: string,
  data: {
    officeId: string;
    year: number;
    holidays: string[];
    workingDays: string[];
    basis: string;
    approval?: LeaderApproval;
  },
): OfficeDecision => {
  const today = localDateIn(at, s.utcOffsetMinutes);
  const yearStart = `${data.year}-01-01`;
  if (`${data.year}-12-31` < today)
    return fail(
      'RetroactiveChange',
      `${data.year} has passed: its working days were what they were`,
      'data.year',
    );
  const effectiveFrom = yearStart > today ? yearStart : today;
  const holidays = [...new Set(data.holidays)].sort();
  const workingDays = [...new Set(data.workingDays)].sort();
  const both = holidays.find((d) => workingDays.includes(d));
  if (both !== undefined)
    return fail('NotOnRecord', `${both} is listed as a day off and as a working day`, 'data.workingDays');
  const latest = [...s.calendars].reverse().find((c) => c.year === data.year);
  if (
    latest &&
    latest.basis === data.basis &&
    same(latest.holidays, holidays) &&
    same(latest.workingDays, workingDays)
  )
    return nothing;
  return emit({
    type: 'CalendarAdopted',
    data: {
      officeId: data.officeId,
      at,
      year: data.year,
      holidays,
      workingDays,
      basis: data.basis,
      effectiveFrom,
      ...(data.approval ? { approval: data.approval } : {}),
    },
  });
};

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Acts the inspection office records on its own (or the main leader on record), with no approval. */
const RECORDED_BY_INSPECTION_OFFICE: Partial<Record<OfficeCommandType, string>> = {
  RecordAnnualResultsSent: 'record the hand-over: the inspection office does',
  RecordSeal: 'record a seal: the inspection office or the main leader on record does',
  RegisterActorKey:
    'register or revoke a signing key: the inspection office or the main leader on record does',
  RevokeActorKey: 'register or revoke a signing key: the inspection office or the main leader on record does',
};

/** Who may act on the office's record: the main leader, or the inspection office with the main leader's approval. */
const authorise = (command: OfficeCommand, s: OfficeState): OfficeDecision | undefined => {
  const { actor } = command;
  const org = organisationAt(s, localDateIn(command.at, s.utcOffsetMinutes));
  const main = org.mainLeader;
  const recordedBy = RECORDED_BY_INSPECTION_OFFICE[command.type];
  if (recordedBy)
    return actor.kind === 'inspection-office' || (actor.kind === 'main-leader' && actor.id === main)
      ? undefined
      : fail('NotAuthorized', `${actor.kind} ${actor.id} may not ${recordedBy}`, 'actor');
  if (actor.kind === 'main-leader')
    return actor.id === main
      ? undefined
      : fail('NotOnRecord', `${actor.id} is not the main leader on record (${main ?? 'none'})`, 'actor');
  if (actor.kind !== 'inspection-office')
    return fail(
      'NotAuthorized',
      `${actor.kind} ${actor.id} may not change the office's record: the main leader decides, the inspection office prepares`,
      'actor',
    );
  const approval = approvalOf(actor, (command.data as { approval?: LeaderApproval }).approval);
  if (!approval)
    return fail(
      'WrongApprover',
      "the inspection office records this with the main leader's approval",
      'data.approval',
    );
  if (approval.by !== main)
    return fail(
      'WrongApprover',
      `approval by ${approval.by}, who is not the main leader on record (${main ?? 'none'})`,
      'data.approval.by',
    );
  return undefined;
};

/** decide(command, state): the events an office command produces, or the rule it breaks. Never throws. */
export const decideOffice = (
  command: OfficeCommand,
  state: OfficeState,
  ctx: DomainContext,
  facts: OfficeFacts = {},
): OfficeDecision => {
  const { actor } = command;
  if (actor.kind === 'auditor')
    return fail('AuditorsCannotAct', `auditor ${actor.id} may not issue ${command.type}`, 'actor');
  if (command.type !== 'EstablishOffice') {
    if (!state.established)
      return fail('OfficeNotEstablished', `the office's record is not open: establish the office first`);
    if (command.data.officeId !== state.officeId)
      return fail(
        'OfficeMismatch',
        `this history keeps the record of office ${state.officeId}`,
        'data.officeId',
      );
    if (Date.parse(command.at) < Date.parse(state.lastAt))
      return fail(
        'RecordOutOfOrder',
        `${command.at} is before the latest entry of the record (${state.lastAt})`,
        'at',
      );
    // Whoever acts on the record is on it, in the role they claim, on the day (as for tasks and units).
    const unknown = actorNotOnRecord(
      actor,
      organisationAt(state, localDateIn(command.at, state.utcOffsetMinutes)),
    );
    if (unknown) return left(unknown);
    const denied = authorise(command, state);
    if (denied) return denied;
  }
  return (handlers[command.type] as Handler<OfficeCommandType>)(command as never, state, ctx, facts);
};
