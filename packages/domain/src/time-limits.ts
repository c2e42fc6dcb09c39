import * as t from 'io-ts';
import type { BusinessCalendar } from './calendar';
import { Id, ShortText, intRange, list, nonEmptyArray } from './codec';
import { MilestoneEvidence, type Complexity } from './task/vocabulary';

/**
 * Time-limit profiles: the milestones a task must meet besides its deadline. The default is Shanxi's
 * "13710" rule (1·3·7·1·0): deployed within 1 day, first feedback within 3 days, an ordinary item
 * resolved within 7 days, a major or complex one within 1 month (or a plan with dated milestones),
 * and every item tracked to closure (销号清零). It is read as 1·3·7·1·0, not as "1/3/7/10 days".
 */

export interface MilestoneRule {
  readonly id: string;
  readonly label: { readonly en: string; readonly zh: string };
  readonly after: { readonly workingDays: number } | { readonly months: number };
  readonly appliesTo: 'all' | Complexity;
  readonly metBy: readonly MilestoneEvidence[];
}

export interface TimeLimitProfile {
  readonly name: string;
  readonly milestones: readonly MilestoneRule[];
  /** A task whose deadline lies within this many working days is ordinary unless marked otherwise. */
  readonly ordinaryWithinWorkingDays: number;
  /** The section's reply to an extension request is due within this many working days (及时反馈批复意见). */
  readonly extensionReplyWorkingDays?: number;
  /** Periodic reports owed until closure by tasks of this complexity (跟踪到底、销号清零). */
  readonly reporting?: {
    readonly every: { readonly months: number } | { readonly workingDays: number };
    readonly appliesTo: 'all' | Complexity;
  };
}

export const PROFILE_13710: TimeLimitProfile = {
  name: '13710',
  ordinaryWithinWorkingDays: 7,
  extensionReplyWorkingDays: 3,
  // The 0 of 1·3·7·1·0, 跟踪到底: a major item reports every month until it is closed.
  reporting: { every: { months: 1 }, appliesTo: 'major' },
  milestones: [
    {
      id: 'deploy',
      label: { en: 'deployed within 1 working day', zh: '1天内研究部署' },
      after: { workingDays: 1 },
      appliesTo: 'all',
      metBy: ['accepted'],
    },
    {
      id: 'first-feedback',
      label: { en: 'first feedback within 3 working days', zh: '3天内反馈办理情况' },
      after: { workingDays: 3 },
      appliesTo: 'all',
      // A closure request is feedback too: a unit that finishes on day 1 has reported (反馈办理结果).
      metBy: ['progress-reported', 'closure-requested'],
    },
    {
      id: 'resolve',
      label: { en: 'ordinary item resolved within 7 working days', zh: '一般事项7天内办结' },
      after: { workingDays: 7 },
      appliesTo: 'ordinary',
      metBy: ['closure-requested'],
    },
    {
      id: 'resolve-or-plan',
      label: {
        en: 'major item resolved, or a plan with dated milestones, within 1 month',
        zh: '重大复杂问题1个月内办结或拿出阶段性办理方案',
      },
      after: { months: 1 },
      appliesTo: 'major',
      metBy: ['closure-requested', 'plan-with-milestones'],
    },
  ],
};

/**
 * `n` months later, on a working day: a date that falls on a holiday or a rest day moves to the next
 * working day at the same local time (顺延), so nothing counted in months falls due inside the Spring
 * Festival or 国庆.
 */
export const monthsLater = (calendar: BusinessCalendar, instant: string, n: number): string => {
  const due = calendar.addMonths(instant, n);
  return calendar.isWorkingDay(calendar.localDate(due)) ? due : calendar.addWorkingDays(due, 1);
};

/** When a milestone falls due: the profile's limit, counted from the assignment. */
export const milestoneDue = (rule: MilestoneRule, assignedAt: string, calendar: BusinessCalendar): string =>
  'workingDays' in rule.after
    ? calendar.addWorkingDays(assignedAt, rule.after.workingDays)
    : monthsLater(calendar, assignedAt, rule.after.months);

export const complexityOf = (
  assignedAt: string,
  deadline: string,
  profile: TimeLimitProfile,
  calendar: BusinessCalendar,
): Complexity =>
  // By local date: a deadline at 17:00 on the seventh working day is still within seven days.
  calendar.localDate(deadline) <=
  calendar.localDate(calendar.addWorkingDays(assignedAt, profile.ordinaryWithinWorkingDays))
    ? 'ordinary'
    : 'major';

/** The codec of a milestone rule, for profiles an office adopts as data. */
export const MilestoneRuleCodec = t.strict(
  {
    id: Id,
    label: t.strict({ en: ShortText, zh: ShortText }),
    after: t.union([
      t.strict({ workingDays: intRange(1, 250, 'WorkingDays') }),
      t.strict({ months: intRange(1, 24, 'Months') }),
    ]),
    appliesTo: t.keyof({ all: null, ordinary: null, major: null }),
    metBy: nonEmptyArray(MilestoneEvidence, 'Evidence', 4),
  },
  'MilestoneRule',
);

/** The codec of a time-limit profile (13710 or an office's own). */
export const TimeLimitProfileCodec = t.intersection(
  [
    t.strict({
      name: ShortText,
      milestones: list(MilestoneRuleCodec, 'Milestones', 20),
      ordinaryWithinWorkingDays: intRange(1, 250, 'WorkingDays'),
    }),
    t.exact(
      t.partial({
        extensionReplyWorkingDays: intRange(1, 30, 'WorkingDays'),
        reporting: t.strict({
          every: t.union([
            t.strict({ months: intRange(1, 12, 'Months') }),
            t.strict({ workingDays: intRange(1, 250, 'WorkingDays') }),
          ]),
          appliesTo: t.keyof({ all: null, ordinary: null, major: null }),
        }),
      }),
    ),
  ],
  'TimeLimitProfile',
);
