import { produce } from 'immer';
import type { LocalDate } from '../codec';
import { idRecord } from '../id-record';
import type { SupervisionPolicy } from '../policy';
import type { ScoringPolicy } from '../scoring-policy';
import type { Fact } from '../task/state';
import type { TimeLimitProfile } from '../time-limits';
import type {
  AnnualEvaluation,
  OfficeEvent,
  OfficeEventOf,
  OfficeEventType,
  PublishedRanking,
} from './events';
import type { LeaderRole, StaffRole } from './vocabulary';
import type { Seal } from './seal';
import type { ActorKeyRecord } from './actor-keys';

/** A span of dates something holds: from a date, until a date (exclusive) when it ended. */
export interface Tenure {
  readonly from: LocalDate;
  until?: LocalDate;
}

/**
 * The office as its own stream establishes it. Everything is kept with the date it holds from, so the
 * organisation and the rules in force on any date can be read off it (see `rules.ts`); nothing recorded
 * is ever overwritten. Plain data, keyed by outside ids in records without a prototype.
 */
export interface OfficeState {
  version: number;
  officeId: string;
  name: string;
  utcOffsetMinutes: number;
  established?: Fact;
  /** Business time of the latest office event: the office's record is kept in time order. */
  lastAt: string;
  units: Record<string, { name: string; kind: string; tenures: Tenure[] }>;
  sections: Record<string, { name: string; tenures: Tenure[] }>;
  leaders: Record<string, { name: string; tenures: Array<Tenure & { role: LeaderRole }> }>;
  /** 分管, in the order recorded: a deputy leader's latest one in force replaces the earlier. */
  portfolios: Array<{ deputyLeaderId: string; sections: string[]; units: string[]; from: LocalDate }>;
  staff: Record<string, { name: string; tenures: Array<Tenure & { role: StaffRole; orgId?: string }> }>;
  /** Calendars in the order adopted, each with when it was recorded (what was known when). */
  calendars: Array<{
    year: number;
    holidays: string[];
    workingDays: string[];
    basis: string;
    from: LocalDate;
    recordedAt: string;
    revision: number;
  }>;
  profiles: Array<{ profile: TimeLimitProfile; from: LocalDate; revision: number }>;
  supervisionPolicies: Array<{ policy: SupervisionPolicy; from: LocalDate; revision: number }>;
  scoringPolicies: Array<{ policy: ScoringPolicy; name: string; fromQuarter: string; revision: number }>;
  /** Published 通报, by quarter. */
  rankings: Record<string, PublishedRanking & Fact>;
  /** Published 年度评价, by year. */
  annual: Record<string, AnnualEvaluation & Fact>;
  resultsSent: Array<Fact & { year: number; recipient: string; reference: string }>;
  /** Seals given to the history, in the order recorded (docs/auditing.md, "Seals"). */
  seals: Array<Fact & { seal: Seal }>;
  /** Signing keys by person, in the order registered (docs/auditing.md, "Signed commands"). */
  actorKeys: Record<string, ActorKeyRecord[]>;
}

export const initialOfficeState = (): OfficeState => ({
  version: 0,
  officeId: '',
  name: '',
  utcOffsetMinutes: 480,
  established: undefined,
  lastAt: '',
  units: idRecord(),
  sections: idRecord(),
  leaders: idRecord(),
  portfolios: [],
  staff: idRecord(),
  calendars: [],
  profiles: [],
  supervisionPolicies: [],
  scoringPolicies: [],
  rankings: idRecord(),
  annual: idRecord(),
  resultsSent: [],
  seals: [],
  actorKeys: idRecord(),
});

type Recipe<K extends OfficeEventType> = (draft: OfficeState, event: OfficeEventOf<K>) => void;

const fact = (s: OfficeState, at: string): Fact => ({ revision: s.version, at });

/** Ends the open tenure of a list at `date` (a tenure that had not begun yet simply never begins). */
const endOpen = <T extends Tenure>(tenures: T[], date: LocalDate, match: (t: T) => boolean = () => true) => {
  for (const t of tenures) if (t.until === undefined && match(t)) t.until = t.from < date ? date : t.from;
};

export const officeRecipes: { readonly [K in OfficeEventType]: Recipe<K> } = {
  OfficeEstablished(s, { data }) {
    s.officeId = data.officeId;
    s.name = data.name;
    s.utcOffsetMinutes = data.utcOffsetMinutes;
    s.established = fact(s, data.at);
    s.leaders[data.mainLeader.personId] = {
      name: data.mainLeader.name,
      tenures: [{ from: data.effectiveFrom, role: 'main-leader' }],
    };
  },
  UnitRegistered(s, { data }) {
    const unit = (s.units[data.unitId] ??= { name: data.name, kind: data.kind, tenures: [] });
    unit.name = data.name;
    unit.kind = data.kind;
    if (!unit.tenures.some((t) => t.until === undefined)) unit.tenures.push({ from: data.effectiveFrom });
  },
  UnitRetired(s, { data }) {
    const unit = s.units[data.unitId];
    if (unit) endOpen(unit.tenures, data.effectiveFrom);
  },
  SectionRegistered(s, { data }) {
    const section = (s.sections[data.sectionId] ??= { name: data.name, tenures: [] });
    section.name = data.name;
    if (!section.tenures.some((t) => t.until === undefined))
      section.tenures.push({ from: data.effectiveFrom });
  },
  LeaderAppointed(s, { data }) {
    // One main leader at a time: a new one's appointment ends the predecessor's on the same date.
    if (data.role === 'main-leader')
      for (const leader of Object.values(s.leaders))
        endOpen(leader.tenures, data.effectiveFrom, (t) => t.role === 'main-leader');
    const leader = (s.leaders[data.personId] ??= { name: data.name, tenures: [] });
    leader.name = data.name;
    endOpen(leader.tenures, data.effectiveFrom);
    leader.tenures.push({ from: data.effectiveFrom, role: data.role });
  },
  AppointmentEnded(s, { data }) {
    const leader = s.leaders[data.personId];
    if (leader) endOpen(leader.tenures, data.effectiveFrom);
  },
  PortfolioAssigned(s, { data }) {
    s.portfolios.push({
      deputyLeaderId: data.deputyLeaderId,
      sections: [...data.sections],
      units: [...data.units],
      from: data.effectiveFrom,
    });
  },
  StaffRegistered(s, { data }) {
    const person = (s.staff[data.personId] ??= { name: data.name, tenures: [] });
    person.name = data.name;
    endOpen(person.tenures, data.effectiveFrom);
    person.tenures.push({
      from: data.effectiveFrom,
      role: data.role,
      ...(data.orgId === undefined ? {} : { orgId: data.orgId }),
    });
  },
  StaffLeft(s, { data }) {
    const person = s.staff[data.personId];
    if (person) endOpen(person.tenures, data.effectiveFrom);
  },
  CalendarAdopted(s, { data }) {
    s.calendars.push({
      year: data.year,
      holidays: [...data.holidays],
      workingDays: [...data.workingDays],
      basis: data.basis,
      from: data.effectiveFrom,
      recordedAt: data.at,
      revision: s.version,
    });
  },
  TimeLimitProfileAdopted(s, { data }) {
    s.profiles.push({
      profile: structuredClone(data.profile),
      from: data.effectiveFrom,
      revision: s.version,
    });
  },
  SupervisionPolicyAdopted(s, { data }) {
    s.supervisionPolicies.push({ policy: { ...data.policy }, from: data.effectiveFrom, revision: s.version });
  },
  ScoringPolicyAdopted(s, { data }) {
    s.scoringPolicies.push({
      policy: structuredClone(data.policy),
      name: data.name,
      fromQuarter: data.effectiveFromQuarter,
      revision: s.version,
    });
  },
  QuarterlyRankingPublished(s, { data }) {
    const { officeId: _o, at, approval: _a, ...ranking } = data;
    s.rankings[data.quarter] = { ...structuredClone(ranking), revision: s.version, at };
  },
  AnnualEvaluationPublished(s, { data }) {
    const { officeId: _o, at, approval: _a, ...evaluation } = data;
    s.annual[String(data.year)] = { ...structuredClone(evaluation), revision: s.version, at };
  },
  AnnualResultsSent(s, { data }) {
    s.resultsSent.push({
      revision: s.version,
      at: data.at,
      year: data.year,
      recipient: data.recipient,
      reference: data.reference,
    });
  },
  SealRecorded(s, { data }) {
    s.seals.push({ revision: s.version, at: data.at, seal: { ...data.seal, heads: { ...data.seal.heads } } });
  },
  ActorKeyRegistered(s, { data }) {
    const keys = (s.actorKeys[data.personId] ??= []);
    // A new key replaces the one in force.
    for (const k of keys) if (k.endedRevision === undefined) k.endedRevision = s.version;
    keys.push({ publicKey: data.publicKey, revision: s.version, at: data.at });
  },
  ActorKeyRevoked(s, { data }) {
    const key = s.actorKeys[data.personId]?.find(
      (k) => k.publicKey === data.publicKey && k.endedRevision === undefined,
    );
    if (key) {
      key.endedRevision = s.version;
      key.endedReason = data.reason;
    }
  },
};

/** Applies one event to a state the caller owns, in place. */
export const applyOffice = (state: OfficeState, event: OfficeEvent): OfficeState => {
  (officeRecipes[event.type] as Recipe<OfficeEventType>)(state, event as never);
  state.version += 1;
  state.lastAt = event.data.at;
  return state;
};

/** Pure evolve: a new immutable state per event. */
export const evolveOffice = (state: OfficeState, event: OfficeEvent): OfficeState =>
  produce(state, (draft) => {
    applyOffice(draft, event);
  });
