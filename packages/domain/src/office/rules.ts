import { createCalendar, type BusinessCalendar } from '../calendar';
import type { LocalDate } from '../codec';
import type { DomainContext } from '../policy';
import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from '../scoring-policy';
import type { OfficeState, Tenure } from './state';
import type { OrganisationView } from './organisation-view';
import type { LeaderRole } from './vocabulary';

const holds = (t: Tenure, date: LocalDate): boolean =>
  t.from <= date && (t.until === undefined || date < t.until);

/** The local date of an instant in a zone `offsetMinutes` east of UTC. */
export const localDateIn = (instant: string, offsetMinutes: number): LocalDate =>
  new Date(Date.parse(instant) + offsetMinutes * 60_000).toISOString().slice(0, 10);

export const organisationAt = (office: OfficeState, date: LocalDate): OrganisationView => {
  const leaderHolds = (personId: string, role: LeaderRole) =>
    office.leaders[personId]?.tenures.some((t) => t.role === role && holds(t, date)) ?? false;
  const mainLeader = Object.keys(office.leaders).find((id) => leaderHolds(id, 'main-leader'));
  return {
    officeId: office.officeId,
    date,
    mainLeader,
    isLeader: leaderHolds,
    deputyInChargeOf({ sectionId, unitId }) {
      // The latest portfolio of each deputy in force on the date; a section's leader first, then a unit's.
      const current = new Map<string, OfficeState['portfolios'][number]>();
      for (const p of office.portfolios)
        if (p.from <= date && leaderHolds(p.deputyLeaderId, 'deputy-leader'))
          current.set(p.deputyLeaderId, p);
      const find = (has: (p: OfficeState['portfolios'][number]) => boolean) =>
        [...current.values()].reverse().find(has)?.deputyLeaderId;
      return (
        (sectionId === undefined ? undefined : find((p) => p.sections.includes(sectionId))) ??
        (unitId === undefined ? undefined : find((p) => p.units.includes(unitId)))
      );
    },
    hasUnit: (unitId) => office.units[unitId]?.tenures.some((t) => holds(t, date)) ?? false,
    hasSection: (sectionId) => office.sections[sectionId]?.tenures.some((t) => holds(t, date)) ?? false,
    staffRole(personId) {
      const tenure = office.staff[personId]?.tenures.find((t) => holds(t, date));
      return tenure
        ? { role: tenure.role, ...(tenure.orgId === undefined ? {} : { orgId: tenure.orgId }) }
        : undefined;
    },
  };
};

// Calendars built from the first k adoptions of an office, remembered: a replay asks for the same few
// versions millions of times. The key names the office, its zone and the revisions included.
const calendars = new Map<string, BusinessCalendar>();

/** The business calendar as the office knew it at `instant`: every adoption recorded by then. */
export const calendarAt = (office: OfficeState, instant: string): BusinessCalendar => {
  const t = Date.parse(instant);
  const known = office.calendars.filter((c) => Date.parse(c.recordedAt) <= t);
  const key = `${office.officeId}|${office.utcOffsetMinutes}|${known.map((c) => c.revision).join(',')}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    const adjustments: Record<string, 'working' | 'holiday'> = {};
    // In the order adopted: a later adoption of the same year wins, but never for days before it took effect.
    for (const c of known) {
      for (const d of c.holidays) if (d >= c.from) adjustments[d] = 'holiday';
      for (const d of c.workingDays) if (d >= c.from) adjustments[d] = 'working';
    }
    calendar = createCalendar({ utcOffsetMinutes: office.utcOffsetMinutes, adjustments });
    if (calendars.size >= 1000) calendars.clear();
    calendars.set(key, calendar);
  }
  return calendar;
};

/** The latest of `entries` in force on `date` (effective from a date on or before it). */
const inForce = <T extends { from: LocalDate }>(entries: readonly T[], date: LocalDate): T | undefined => {
  let found: T | undefined;
  for (const e of entries) if (e.from <= date) found = e;
  return found;
};

/**
 * The rules in force at `instant`, read from the office's record: its calendar as known then, the
 * time-limit profile and supervision policy effective on that date, and the organisation on that date.
 * Without an office record, `defaults` (and no organisation). Every decision and every replay asks this
 * for the business time of the act, so a history replays years later exactly as it was decided.
 */
export const contextAt = (
  office: OfficeState | undefined,
  instant: string,
  defaults: DomainContext,
): DomainContext => {
  if (!office?.established) return defaults;
  const date = localDateIn(instant, office.utcOffsetMinutes);
  return {
    calendar: calendarAt(office, instant),
    profile: inForce(office.profiles, date)?.profile ?? defaults.profile,
    policy: inForce(office.supervisionPolicies, date)?.policy ?? defaults.policy,
    organisation: organisationAt(office, date),
  };
};

/** The scoring policy a quarter is scored under: the latest adopted from that quarter or before (or the default). */
export interface PolicyInForce {
  readonly policy: ScoringPolicy;
  readonly name: string;
  /** Revision of the office event that adopted it; -1 for the default. */
  readonly revision: number;
}

export const scoringPolicyFor = (office: OfficeState | undefined, quarter: string): PolicyInForce => {
  let found: PolicyInForce = { policy: DEFAULT_SCORING_POLICY, name: 'default', revision: -1 };
  for (const p of office?.scoringPolicies ?? [])
    if (p.fromQuarter <= quarter) found = { policy: p.policy, name: p.name, revision: p.revision };
  return found;
};
