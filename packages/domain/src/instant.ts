/**
 * Instants are kept as written. An `Instant` (codec.ts) is an ISO-8601 string with a zone, and events
 * and read models hold it exactly as the caller sent it — `2022-03-01T09:00:00+08:00` stays that, with
 * its offset and its precision — because the hash chain covers the event as stored: rewriting the
 * notation of stored instants would break every existing history, and the offset is part of the record
 * (the office's local time the act was entered in). Instants the rules compute carry milliseconds: a
 * due time counted in working days in the calendar's zone (`…T09:00:00.000+08:00`), a deadline moved by
 * the time left on it in UTC (`…T01:00:00.000Z`).
 *
 * So one history may hold one instant in several notations: compare instants with these, never as
 * strings (`'…T09:00:00+08:00' > '…T02:00:00Z'` as strings, yet it is an hour earlier). They read the
 * instant to the millisecond, as `Date` does.
 */

/** Negative, zero or positive as `a` lies before, at or after `b`: a comparator for `sort`. */
export const compareInstants = (a: string, b: string): number => {
  const d = Date.parse(a) - Date.parse(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
};

/** The same instant, whatever the notation (`09:00+08:00` is `01:00Z`). */
export const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/** The canonical notation, UTC with milliseconds (`2022-03-01T01:00:00.000Z`): for keys and display. */
export const canonicalInstant = (instant: string): string => new Date(Date.parse(instant)).toISOString();
