import fc from 'fast-check';
import { PROFILE_13710, createCalendar, defaultCalendar, milestoneDue, monthsLater } from '@duban/domain';

/** The 2022 national holiday schedule (国务院办公厅关于2022年部分节假日安排的通知), as a 调休 table. */
const HOLIDAYS_2022 = {
  '2022-01-03': 'holiday', // 元旦
  '2022-01-29': 'working', // 春节调休 (Saturday)
  '2022-01-30': 'working', // 春节调休 (Sunday)
  '2022-01-31': 'holiday',
  '2022-02-01': 'holiday',
  '2022-02-02': 'holiday',
  '2022-02-03': 'holiday',
  '2022-02-04': 'holiday',
  '2022-04-02': 'working', // 清明调休 (Saturday)
  '2022-04-04': 'holiday',
  '2022-04-05': 'holiday',
  '2022-04-24': 'working', // 劳动节调休 (Sunday)
  '2022-05-02': 'holiday',
  '2022-05-03': 'holiday',
  '2022-05-04': 'holiday',
  '2022-05-07': 'working', // 劳动节调休 (Saturday)
  '2022-06-03': 'holiday', // 端午
  '2022-09-12': 'holiday', // 中秋
  '2022-10-03': 'holiday', // 国庆
  '2022-10-04': 'holiday',
  '2022-10-05': 'holiday',
  '2022-10-06': 'holiday',
  '2022-10-07': 'holiday',
  '2022-10-08': 'working', // 国庆调休 (Saturday)
  '2022-10-09': 'working', // 国庆调休 (Sunday)
} as const;

const cn2022 = createCalendar({ adjustments: HOLIDAYS_2022 });

describe('the default calendar: Monday to Friday in China Standard Time', () => {
  it('counts Monday to Friday as working days and the weekend as rest', () => {
    expect(
      ['2022-03-07', '2022-03-08', '2022-03-09', '2022-03-10', '2022-03-11'].map(
        defaultCalendar.isWorkingDay,
      ),
    ).toEqual([true, true, true, true, true]);
    expect(defaultCalendar.isWorkingDay('2022-03-12')).toBe(false);
    expect(defaultCalendar.isWorkingDay('2022-03-13')).toBe(false);
    // no holiday table by default: National Day is a weekday like any other
    expect(defaultCalendar.isWorkingDay('2022-10-03')).toBe(true);
  });

  it('reads the local date in UTC+8, not in UTC', () => {
    expect(defaultCalendar.localDate('2022-03-04T15:59:59Z')).toBe('2022-03-04');
    expect(defaultCalendar.localDate('2022-03-04T16:00:00Z')).toBe('2022-03-05');
    expect(defaultCalendar.localDate('2022-03-05T00:30:00+08:00')).toBe('2022-03-05');
    expect(defaultCalendar.localDate('2022-03-04T12:00:00-05:00')).toBe('2022-03-05');
  });
});

describe('time counted in months (1个月内) falls due on a working day', () => {
  it('moves a date inside the Spring Festival to the first working day after it, at the same time', () => {
    // 31 December + 1 month is Monday 31 January 2022, a Spring Festival holiday: due Monday 7 February.
    expect(cn2022.addMonths('2021-12-31T17:00:00+08:00', 1)).toBe('2022-01-31T17:00:00.000+08:00');
    expect(monthsLater(cn2022, '2021-12-31T17:00:00+08:00', 1)).toBe('2022-02-07T17:00:00.000+08:00');
    // A working day stays where it is; a Saturday moves to Monday.
    expect(monthsLater(cn2022, '2022-02-08T17:00:00+08:00', 1)).toBe('2022-03-08T17:00:00.000+08:00');
    expect(monthsLater(cn2022, '2022-02-12T17:00:00+08:00', 1)).toBe('2022-03-14T17:00:00.000+08:00');
  });

  it("so does the 13710 profile's one-month limit for a major matter", () => {
    const rule = PROFILE_13710.milestones.find((m) => 'months' in m.after)!;
    expect(milestoneDue(rule, '2021-12-31T09:00:00+08:00', cn2022)).toBe('2022-02-07T09:00:00.000+08:00');
  });
});

describe('addWorkingDays', () => {
  it('skips the weekend and keeps the local time of day, written in UTC+8', () => {
    expect(defaultCalendar.addWorkingDays('2022-03-04T09:00:00+08:00', 1)).toBe(
      '2022-03-07T09:00:00.000+08:00',
    );
    expect(defaultCalendar.addWorkingDays('2022-03-03T17:30:00+08:00', 3)).toBe(
      '2022-03-08T17:30:00.000+08:00',
    );
    expect(defaultCalendar.addWorkingDays('2022-03-01T09:00:00+08:00', 20)).toBe(
      '2022-03-29T09:00:00.000+08:00',
    );
  });

  it('starts from the local date: Friday 23:30 in Changzhi is Friday, although Friday 15:30 in UTC', () => {
    expect(defaultCalendar.addWorkingDays('2022-03-04T15:30:00Z', 1)).toBe('2022-03-07T23:30:00.000+08:00');
    // Saturday 00:30 local (Friday in UTC): the next working day is Monday
    expect(defaultCalendar.addWorkingDays('2022-03-04T16:30:00Z', 1)).toBe('2022-03-07T00:30:00.000+08:00');
  });

  it('from a rest day, the first working day counts as one', () => {
    expect(defaultCalendar.addWorkingDays('2022-03-05T10:00:00+08:00', 1)).toBe(
      '2022-03-07T10:00:00.000+08:00',
    );
    expect(defaultCalendar.addWorkingDays('2022-03-06T10:00:00+08:00', 2)).toBe(
      '2022-03-08T10:00:00.000+08:00',
    );
  });

  it('adds nothing for zero days', () => {
    expect(defaultCalendar.addWorkingDays('2022-03-05T02:00:00Z', 0)).toBe('2022-03-05T10:00:00.000+08:00');
  });

  it('follows the 调休 table: holidays on weekdays are skipped, working weekends count', () => {
    // Spring Festival: Friday 28 January + 1 is the working Saturday 29 January
    expect(cn2022.addWorkingDays('2022-01-28T09:00:00+08:00', 1)).toBe('2022-01-29T09:00:00.000+08:00');
    // ... and from the working Sunday 30 January, the next working day is Monday 7 February
    expect(cn2022.addWorkingDays('2022-01-30T09:00:00+08:00', 1)).toBe('2022-02-07T09:00:00.000+08:00');
    // National Day: Friday 30 September + 1 is the working Saturday 8 October
    expect(cn2022.addWorkingDays('2022-09-30T09:00:00+08:00', 1)).toBe('2022-10-08T09:00:00.000+08:00');
    expect(cn2022.addWorkingDays('2022-09-30T09:00:00+08:00', 3)).toBe('2022-10-10T09:00:00.000+08:00');
    // Qingming: Friday 1 April + 2 = Saturday 2 April (working), then Wednesday 6 April
    expect(cn2022.addWorkingDays('2022-04-01T09:00:00+08:00', 2)).toBe('2022-04-06T09:00:00.000+08:00');
    expect(cn2022.isWorkingDay('2022-10-03')).toBe(false);
    expect(cn2022.isWorkingDay('2022-10-08')).toBe(true);
  });

  it('takes configurable rest days and zone', () => {
    const sixDayWeek = createCalendar({ restDays: [0] });
    expect(sixDayWeek.addWorkingDays('2022-03-04T09:00:00+08:00', 1)).toBe('2022-03-05T09:00:00.000+08:00');
    const utc = createCalendar({ utcOffsetMinutes: 0 });
    expect(utc.addWorkingDays('2022-03-04T16:30:00Z', 1)).toBe('2022-03-07T16:30:00.000Z');
    const west = createCalendar({ utcOffsetMinutes: -90 });
    expect(west.addWorkingDays('2022-03-07T00:30:00Z', 1)).toBe('2022-03-07T23:00:00.000-01:30');
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after the first date up to and including the second', () => {
    expect(defaultCalendar.workingDaysBetween('2022-03-04T09:00:00+08:00', '2022-03-07T09:00:00+08:00')).toBe(
      1,
    );
    expect(defaultCalendar.workingDaysBetween('2022-03-01T09:00:00+08:00', '2022-03-29T17:00:00+08:00')).toBe(
      20,
    );
    expect(defaultCalendar.workingDaysBetween('2022-03-05T09:00:00+08:00', '2022-03-06T09:00:00+08:00')).toBe(
      0,
    );
  });

  it('compares dates, not times of day', () => {
    expect(defaultCalendar.workingDaysBetween('2022-03-07T23:59:00+08:00', '2022-03-08T00:01:00+08:00')).toBe(
      1,
    );
    expect(defaultCalendar.workingDaysBetween('2022-03-07T00:01:00+08:00', '2022-03-07T23:59:00+08:00')).toBe(
      0,
    );
    // the same pair in UTC crosses local midnight
    expect(defaultCalendar.workingDaysBetween('2022-03-07T15:00:00Z', '2022-03-07T17:00:00Z')).toBe(1);
  });

  it('is zero when the second instant is not later', () => {
    expect(defaultCalendar.workingDaysBetween('2022-03-10T09:00:00+08:00', '2022-03-01T09:00:00+08:00')).toBe(
      0,
    );
    expect(defaultCalendar.workingDaysBetween('2022-03-10T09:00:00+08:00', '2022-03-10T09:00:00+08:00')).toBe(
      0,
    );
  });

  it('follows the 调休 table', () => {
    expect(cn2022.workingDaysBetween('2022-09-30T09:00:00+08:00', '2022-10-10T09:00:00+08:00')).toBe(3);
    expect(defaultCalendar.workingDaysBetween('2022-09-30T09:00:00+08:00', '2022-10-10T09:00:00+08:00')).toBe(
      6,
    );
    expect(cn2022.workingDaysBetween('2022-01-28T09:00:00+08:00', '2022-02-07T09:00:00+08:00')).toBe(3);
  });

  it('counts by arithmetic what a walk day by day counts, over any span, so decades cost no more than days', () => {
    const calendars = [defaultCalendar, cn2022, createCalendar({ restDays: [0], utcOffsetMinutes: 60 })];
    const walked = (calendar: (typeof calendars)[number], from: string, to: string) => {
      let count = 0;
      const end = calendar.localDate(to);
      for (let d = new Date(`${calendar.localDate(from)}T00:00:00Z`); ;) {
        d = new Date(d.getTime() + 86_400_000);
        const date = d.toISOString().slice(0, 10);
        if (date > end) break;
        if (calendar.isWorkingDay(date)) count += 1;
      }
      return count;
    };
    const instant = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.integer({ min: 0, max: calendars.length - 1 }), instant, instant, (which, a, b) => {
        const calendar = calendars[which]!;
        expect(calendar.workingDaysBetween(a, b)).toBe(walked(calendar, a, b));
      }),
      { numRuns: 100 },
    );
    expect(defaultCalendar.workingDaysBetween('2022-03-01T09:00:00+08:00', '2099-12-31T17:00:00+08:00')).toBe(
      walked(defaultCalendar, '2022-03-01T09:00:00+08:00', '2099-12-31T17:00:00+08:00'),
    );
  });

  it('undoes addWorkingDays, with or without holidays', () => {
    const calendars = [defaultCalendar, cn2022, createCalendar({ restDays: [0], utcOffsetMinutes: 60 })];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: calendars.length - 1 }),
        fc.date({
          min: new Date('2021-12-01T00:00:00Z'),
          max: new Date('2022-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 40 }),
        (which, date, n) => {
          const calendar = calendars[which]!;
          const from = date.toISOString();
          const to = calendar.addWorkingDays(from, n);
          expect(calendar.workingDaysBetween(from, to)).toBe(n);
          expect(Date.parse(to) - Date.parse(from)).toBeGreaterThanOrEqual(n * 86_400_000);
          if (n > 0) expect(calendar.isWorkingDay(calendar.localDate(to))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('addMonths', () => {
  it('keeps the local day and time, clamped to the end of a shorter month', () => {
    expect(defaultCalendar.addMonths('2022-03-01T09:00:00+08:00', 1)).toBe('2022-04-01T09:00:00.000+08:00');
    expect(defaultCalendar.addMonths('2022-01-31T09:00:00+08:00', 1)).toBe('2022-02-28T09:00:00.000+08:00');
    expect(defaultCalendar.addMonths('2024-01-31T09:00:00+08:00', 1)).toBe('2024-02-29T09:00:00.000+08:00');
    expect(defaultCalendar.addMonths('2022-12-15T09:00:00+08:00', 1)).toBe('2023-01-15T09:00:00.000+08:00');
  });

  it('works on the local date: 31 January 00:30 in Changzhi is 30 January in UTC', () => {
    expect(defaultCalendar.addMonths('2022-01-30T16:30:00Z', 1)).toBe('2022-02-28T00:30:00.000+08:00');
  });
});

describe('quarterOf (按季度通报), in UTC+8', () => {
  it('puts a quarter boundary at local midnight', () => {
    expect(defaultCalendar.quarterOf('2022-03-31T23:59:59+08:00')).toBe('2022Q1');
    expect(defaultCalendar.quarterOf('2022-03-31T15:59:59Z')).toBe('2022Q1');
    expect(defaultCalendar.quarterOf('2022-03-31T16:00:00Z')).toBe('2022Q2');
    expect(defaultCalendar.quarterOf('2022-06-30T20:00:00-05:00')).toBe('2022Q3');
  });

  it('puts the new year at local midnight', () => {
    expect(defaultCalendar.quarterOf('2021-12-31T15:59:59.999Z')).toBe('2021Q4');
    expect(defaultCalendar.quarterOf('2021-12-31T16:00:00Z')).toBe('2022Q1');
    expect(defaultCalendar.quarterOf('2022-01-01T00:30:00+08:00')).toBe('2022Q1');
  });

  it('numbers the four quarters', () => {
    expect(
      ['2022-02-10', '2022-05-10', '2022-08-10', '2022-11-10'].map((d) =>
        defaultCalendar.quarterOf(`${d}T12:00:00+08:00`),
      ),
    ).toEqual(['2022Q1', '2022Q2', '2022Q3', '2022Q4']);
  });

  it('uses the configured zone', () => {
    expect(createCalendar({ utcOffsetMinutes: 0 }).quarterOf('2021-12-31T16:00:00Z')).toBe('2021Q4');
  });
});

describe('localDateTime', () => {
  it('writes an instant as a clerk reads it, in the deployment zone', () => {
    expect(createCalendar().localDateTime('2022-03-31T16:30:00Z')).toBe('2022-04-01 00:30');
    expect(createCalendar({ utcOffsetMinutes: 0 }).localDateTime('2022-03-31T16:30:00+08:00')).toBe(
      '2022-03-31 08:30',
    );
  });
});
