import * as t from 'io-ts';
import { createCalendar, type BusinessCalendar } from './calendar';
import { intRange } from './codec';
import type { OrganisationView } from './office/organisation-view';
import { PROFILE_13710, type TimeLimitProfile } from './time-limits';

/** The deployment's rules that are numbers, not principles: data, with defaults from the seed (docs/domain.md). */
export interface SupervisionPolicy {
  /** Yellow light and DeadlineApproaching when this many working days or fewer are left (亮灯). */
  readonly approachingWithinWorkingDays: number;
  /** A closure applied for at least this many working days early counts as ahead of the deadline. */
  readonly aheadOfDeadlineWorkingDays: number;
  /** Cap on key inspections of one unit per quarter (减轻基层负担). */
  readonly inspectionsPerUnitPerQuarter: number;
}

/** The codec of a supervision policy an office adopts: each number bounded. */
export const SupervisionPolicyCodec = t.strict(
  {
    approachingWithinWorkingDays: intRange(0, 30, 'WorkingDays'),
    aheadOfDeadlineWorkingDays: intRange(0, 30, 'WorkingDays'),
    inspectionsPerUnitPerQuarter: intRange(0, 20, 'Count'),
  },
  'SupervisionPolicy',
);

export const DEFAULT_POLICY: SupervisionPolicy = {
  approachingWithinWorkingDays: 3,
  aheadOfDeadlineWorkingDays: 1,
  inspectionsPerUnitPerQuarter: 2,
};

/**
 * What the deciders need from the deployment: calendar, time-limit profile, policy — and, when the
 * history keeps an office record, the organisation on record (who may approve what) on the day.
 */
export interface DomainContext {
  readonly calendar: BusinessCalendar;
  readonly profile: TimeLimitProfile;
  readonly policy: SupervisionPolicy;
  readonly organisation?: OrganisationView;
}

export const defaultContext = (overrides: Partial<DomainContext> = {}): DomainContext => ({
  calendar: overrides.calendar ?? createCalendar(),
  profile: overrides.profile ?? PROFILE_13710,
  policy: overrides.policy ?? DEFAULT_POLICY,
  ...(overrides.organisation ? { organisation: overrides.organisation } : {}),
});
