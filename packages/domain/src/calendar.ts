/**
 * The business calendar (工作日): working-day arithmetic in the deployment's time zone. China moves
 * working days around public holidays (调休), so the calendar takes a table of adjusted dates on top of
 * the weekly rest days. Pure: dates are computed from the instants given, never from a clock.
 */

import type { LocalDate } from './codec';

export interface CalendarOptions {
  /** Offset of the deployment's zone from UTC, in minutes. China has no daylight saving: +480. */
  readonly utcOffsetMinutes?: number;
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. */
  readonly restDays?: readonly number[];
  /** 调休 table: dates that are working days although weekly rest days, or holidays although weekdays. */
  readonly adjustments?: Readonly<Record<LocalDate, 'working' | 'holiday'>>;
}

export interface BusinessCalendar {
  readonly utcOffsetMinutes: number;
  isWorkingDay(date: LocalDate): boolean;
  /** The local date of an instant. */
  localDate(instant: string): LocalDate;
  /** `YYYY-MM-DD HH:mm` in the deployment's zone, for texts a clerk reads. */
  localDateTime(instant: string): string;
  /** The same local time of day, `n` working days later (n ≥ 0). */
  addWorkingDays(instant: string, n: number): string;
  /** The same local time, `n` calendar months later (clamped to the month's last day). */
  addMonths(instant: string, n: number): string;
  /** Working days strictly after `from`'s date up to and including `to`'s date; 0 when `to` is not later. */
  workingDaysBetween(from: string, to: string): number;
  /** `2022Q1` … the quarter of the instant's local date. */
  quarterOf(instant: string): string;
}

const DAY = 86_400_000;
const MEMO_LIMIT = 100_000;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Days since 1970-01-01 of a local date `YYYY-MM-DD`. */
const dayNumber = (date: LocalDate): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
/** 0 = Sunday … 6 = Saturday, of a day number (1970-01-01 was a Thursday). */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const createCalendar = (options: CalendarOptions = {}): BusinessCalendar => {
  const offset = options.utcOffsetMinutes ?? 480;
  const rest = new Set(options.restDays ?? [0, 6]);
  const adjustments = options.adjustments ?? {};
  const offsetMs = offset * 60_000;
  const zone =
    offset === 0
      ? 'Z'
      : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;

  // A "shifted" Date holds local wall-clock time in its UTC fields.
  const shifted = (instant: string): Date => new Date(Date.parse(instant) + offsetMs);
  const dateOf = (d: Date): LocalDate =>
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const format = (d: Date): string =>
    `${dateOf(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${zone}`;

  // The 调休 table as day numbers, for counting by arithmetic.
  const adjusted: Array<[number, 'working' | 'holiday']> = Object.entries(adjustments).map(([date, kind]) => [
    dayNumber(date),
    kind,
  ]);

  // A pure function's answers, bounded: the calendar never changes once built.
  const workingDaysMemo = new Map<string, string>();

  const isWorkingDay = (date: LocalDate): boolean => {
    const adjusted = adjustments[date];
    if (adjusted) return adjusted === 'working';
    return !rest.has(new Date(`${date}T00:00:00Z`).getUTCDay());
  };

  return {
    utcOffsetMinutes: offset,
    isWorkingDay,
    localDate: (instant) => dateOf(shifted(instant)),
    localDateTime(instant) {
      const d = shifted(instant);
      return `${dateOf(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    },
    addWorkingDays(instant, n) {
      // Time limits are recomputed for every task on every board and scorecard query: remember answers.
      const key = `${instant}|${n}`;
      const known = workingDaysMemo.get(key);
      if (known !== undefined) return known;
      const d = shifted(instant);
      let left = n;
      while (left > 0) {
        d.setTime(d.getTime() + DAY);
        if (isWorkingDay(dateOf(d))) left -= 1;
      }
      const result = format(d);
      if (workingDaysMemo.size >= MEMO_LIMIT) workingDaysMemo.clear();
      workingDaysMemo.set(key, result);
      return result;
    },
    addMonths(instant, n) {
      const d = shifted(instant);
      const day = d.getUTCDate();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() + n);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      d.setUTCDate(Math.min(day, last));
      return format(d);
    },
    workingDaysBetween(from, to) {
      // Compare dates, not instants: the time of day does not make a day count. Counted by arithmetic
      // (whole weeks, then the 调休 dates in range), so a span of decades costs what a span of days does.
      const start = dayNumber(dateOf(shifted(from)));
      const end = dayNumber(dateOf(shifted(to)));
      if (end <= start) return 0;
      const span = end - start;
      let count = Math.floor(span / 7) * (7 - rest.size);
      for (let d = start + Math.floor(span / 7) * 7 + 1; d <= end; d++)
        if (!rest.has(weekdayOf(d))) count += 1;
      for (const [d, kind] of adjusted)
        if (d > start && d <= end) {
          const weekly = !rest.has(weekdayOf(d));
          if (kind === 'working' && !weekly) count += 1;
          else if (kind === 'holiday' && weekly) count -= 1;
        }
      return count;
    },
    quarterOf(instant) {
      const d = shifted(instant);
      return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
    },
  };
};

/** Monday to Friday in China Standard Time, no holiday table. */
export const defaultCalendar: BusinessCalendar = createCalendar();
