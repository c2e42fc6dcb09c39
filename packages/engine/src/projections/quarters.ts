/** What a quarter's boundaries need: the zone of the office's calendar. */
type Zone = { readonly calendar: { readonly utcOffsetMinutes: number } };

/** Last instant (ISO, UTC) of a quarter like 2022Q1 in the calendar's zone. */
export const quarterEnd = (quarter: string, ctx: Zone): string => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  const endUtc = Date.UTC(year, q * 3, 1) - ctx.calendar.utcOffsetMinutes * 60_000 - 1;
  return new Date(endUtc).toISOString();
};

/** First instant (ISO, UTC) of a quarter in the calendar's zone. */
export const quarterStart = (quarter: string, ctx: Zone): string => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return new Date(Date.UTC(year, (q - 1) * 3, 1) - ctx.calendar.utcOffsetMinutes * 60_000).toISOString();
};

export const previousQuarter = (quarter: string): string => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
};

export const nextQuarter = (quarter: string): string => {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return q === 4 ? `${year + 1}Q1` : `${year}Q${q + 1}`;
};

export const quartersOfYear = (year: number): string[] => [1, 2, 3, 4].map((q) => `${year}Q${q}`);

/**
 * The quarter of an instant (ms) in the calendar's zone as a number, year × 4 + quarter − 1: what
 * `calendar.quarterOf` names, for loops over thousands of tasks that compare quarters without strings.
 */
export const quarterIndexOf = (ms: number, ctx: Zone): number => {
  const d = new Date(ms + ctx.calendar.utcOffsetMinutes * 60_000);
  return d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3);
};

/** The name of a quarter index, like 2022Q1. */
export const quarterName = (index: number): string => `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
