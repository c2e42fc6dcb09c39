import type { BusinessCalendar } from '@duban/domain';

/**
 * The simulated office's clock: the working days of the simulated quarters under the calendar the
 * office adopted (so no task is handed out, and nothing falls due, on a day off or a 调休 weekend), and
 * instants on them in the office's zone. Days are numbered from 0; a day past the last is the next
 * working day after the period (the 通报 of the last quarter is published then).
 */
export interface Clock {
  readonly calendar: BusinessCalendar;
  /** Local dates of the working days, in order. */
  readonly days: readonly string[];
  /** Index (into the simulated quarters) of each day's quarter. */
  readonly quarterOfDay: readonly number[];
  /** `+08:00`. */
  readonly zone: string;
  /** The instant `seconds` after local midnight of working day `day`. */
  at(day: number, seconds: number): string;
  /** The working day of an instant (the next one when it falls on a rest day), counting on past the period. */
  indexOf(instant: string): number;
  /** Same time of day `n` working days later. */
  laterDay(instant: string, n: number): string;
  /** 17:00 on the working day `n` working days after the instant: when the office sets things due. */
  dueAfter(instant: string, n: number): string;
  /** The indices of a quarter's working days. */
  daysOf(quarter: number): number[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local calendar dates of a quarter like 2022Q1: first and last. */
export const quarterBounds = (quarter: string): [string, string] => {
  const m = /^(\d{4})Q([1-4])$/.exec(quarter);
  if (!m) throw new Error(`not a quarter: ${quarter}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
  return [`${year}-${pad(q * 3 - 2)}-01`, `${year}-${pad(q * 3)}-${pad(last)}`];
};

export const nextDate = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

export const previousDate = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export const zoneOf = (offsetMinutes: number): string =>
  `${offsetMinutes >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;

/** The instant `seconds` after local midnight of a date, in a zone like `+08:00`. */
export const instantOn = (date: string, seconds: number, zone: string): string =>
  `${date}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}${zone}`;

export const createClock = (calendar: BusinessCalendar, quarters: readonly string[]): Clock => {
  const zone = zoneOf(calendar.utcOffsetMinutes);
  const days: string[] = [];
  const quarterOfDay: number[] = [];
  quarters.forEach((quarter, qi) => {
    const [first, last] = quarterBounds(quarter);
    for (let d = first; d <= last; d = nextDate(d))
      if (calendar.isWorkingDay(d)) {
        days.push(d);
        quarterOfDay.push(qi);
      }
  });
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const last = days[days.length - 1]!;
  const dateOf = (day: number): string =>
    day < days.length
      ? days[day]!
      : calendar.addWorkingDays(`${last}T12:00:00${zone}`, day - days.length + 1).slice(0, 10);
  const laterDay = (instant: string, n: number) => calendar.addWorkingDays(instant, n);
  return {
    calendar,
    days,
    quarterOfDay,
    zone,
    at: (day, seconds) => instantOn(dateOf(day), seconds, zone),
    indexOf(instant) {
      let d = calendar.localDate(instant);
      if (d > last) return days.length - 1 + calendar.workingDaysBetween(`${last}T12:00:00${zone}`, instant);
      for (;;) {
        const i = dayIndex.get(d);
        if (i !== undefined) return i;
        d = nextDate(d);
      }
    },
    laterDay,
    dueAfter: (instant, n) => `${laterDay(instant, n).slice(0, 10)}T17:00:00${zone}`,
    daysOf: (quarter) => days.map((_, i) => i).filter((i) => quarterOfDay[i] === quarter),
  };
};
