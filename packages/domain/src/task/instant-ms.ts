/**
 * An instant's milliseconds, as `Date.parse` reads them, without its cost on the notations the rules write
 * (`2022-03-01T09:00:00.000+08:00`, `…:00+08:00`, `…Z`): the board and the scorecards read every task's
 * times on each query, and `Date.parse` was most of a board. Only fields that make a valid date (years
 * 1000-9999) are read here; every other text goes to `Date.parse` itself, so the answer is always
 * `Date.parse`'s (a property test holds the two to it).
 */
export const instantMs = (s: string): number => {
  const n = s.length;
  if (
    n < 20 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58
  )
    return Date.parse(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    // .sss: exactly three digits
    ms = digits(s, 20, 3);
    i = 23;
  }
  const zone = s.charCodeAt(i);
  let offsetMinutes: number;
  if (zone === 90 && n === i + 1)
    offsetMinutes = 0; // Z
  else if ((zone === 43 || zone === 45) && n === i + 6 && s.charCodeAt(i + 3) === 58) {
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (!(oh <= 23 && om <= 59)) return Date.parse(s);
    offsetMinutes = (zone === 43 ? 1 : -1) * (oh * 60 + om);
  } else return Date.parse(s);
  if (!(
    year >= 1000 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    ms >= 0
  ))
    return Date.parse(s);
  const minutes = (daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes;
  return (minutes * 60 + second) * 1000 + ms;
};

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : 30 + ((month + (month >> 3)) & 1);

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
};

/** The number written by `count` decimal digits from `at`; NaN if any is not a digit. */
const digits = (s: string, at: number, count: number): number => {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) return Number.NaN;
    value = value * 10 + d;
  }
  return value;
};
