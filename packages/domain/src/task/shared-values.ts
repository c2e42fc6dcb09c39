import type { Fact } from './state';

/**
 * One copy of the values many tasks hold alike — a time limit's label and evidence kinds, an origin, a
 * supervisor, a co-unit's duty — instead of one per task: a model of 75k tasks kept some forty thousand
 * identical labels. Each value is frozen (every holder shares it; the recipes replace, never write into,
 * such values). A memo, not state: what it gives back equals what the caller would have built, so the
 * fold stays a function of its events. Bounded: past `LIMIT` distinct values, new ones are built afresh.
 */
const LIMIT = 4096;
const values = new Map<string, unknown>();
const texts = new Map<string, string>();

/** The shared copy of the value `key` names (its whole content), built by `make` the first time. */
export const shared = <T>(key: string, make: () => T): T => {
  const known = values.get(key);
  if (known !== undefined) return known as T;
  const value = Object.freeze(make());
  if (values.size < LIMIT) values.set(key, value);
  return value;
};

/** The shared copy of a string many tasks hold (a unit's duty, a time limit's id). */
export const sharedText = (text: string): string => {
  const known = texts.get(text);
  if (known !== undefined) return known;
  if (texts.size < LIMIT) texts.set(text, text);
  return text;
};

/**
 * A memo of the values seen lately: histories come in about time order, so the values worth sharing are
 * the recent ones (today's deadlines, the time of a check every overdue task gets an event from). When
 * full it starts afresh, instead of keeping the first values for ever as `shared` does.
 */
const recent = <T>(limit: number) => {
  const memo = new Map<string, T>();
  return (key: string, make: () => T): T => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (memo.size >= limit) memo.clear();
    const value = make();
    memo.set(key, value);
    return value;
  };
};

/**
 * The instants seen lately, in a table of fixed size where each instant has one place (by a hash of
 * its text) and a newer instant takes an older one's place: a fold asks for every instant it keeps
 * (1.5M at 1M events, some 235k distinct), so the memo allocates nothing, never grows or starts
 * afresh, and leaves no garbage behind. Histories come in about time order, so what it forgets is
 * mostly what no later event repeats. What it gives back equals its argument, whatever it forgot.
 */
const SLOTS = 1 << 13;
const MASK = SLOTS - 1;
const instants: Array<string | undefined> = new Array<string | undefined>(SLOTS).fill(undefined);
/** Facts by the place of their instant, moved along by revision: `facts[(place + revision) & MASK]`. */
const facts: Array<Fact | undefined> = new Array<Fact | undefined>(SLOTS).fill(undefined);

/**
 * A place for `text`: FNV-1a over its first 19 characters (an ISO instant's date, hour, minute and
 * second) and its length. Any text works; texts alike in those only share a place, and take turns.
 */
const placeOf = (text: string): number => {
  let h = 0x811c9dc5 ^ text.length;
  const n = Math.min(text.length, 19);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) & MASK;
};

/** The copy of `text` kept at `place` (its own place), or `text`, kept there from now on. */
const keptAt = (place: number, text: string): string => {
  const known = instants[place];
  if (known === text) return known;
  instants[place] = text;
  return text;
};

/** The shared copy of an instant's text: an event's time, a deadline, a due time. */
export const sharedInstant = (instant: string): string => keptAt(placeOf(instant), instant);

/**
 * The shared, frozen copy of the fact `{ revision, at }`: tasks that recorded a fact of the same
 * revision at the same instant (assigned in one batch, reports on the same Friday) mostly hold one
 * object (a fact is never written into; see `Fact`).
 */
export const sharedFact = (revision: number, at: string): Fact => {
  const place = placeOf(at);
  const text = keptAt(place, at);
  const slot = (place + revision) & MASK;
  const known = facts[slot];
  if (known !== undefined && known.revision === revision && known.at === text) return known;
  const fact: Fact = Object.freeze({ revision, at: text });
  facts[slot] = fact;
  return fact;
};

/** A deep-frozen copy of JSON data, its texts shared: every holder shares it, no recipe writes into it. */
const frozenCopy = <T>(value: T): T => {
  if (typeof value === 'string') return sharedText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(out) as T;
};

const data = recent<unknown>(4096);

/**
 * The shared copy of JSON data many tasks hold alike (a co-unit's grade at closure: its reasons and
 * their evidence), keyed by its JSON text, which tells any two different values apart.
 */
export const sharedData = <T>(value: T): T => data(JSON.stringify(value), () => frozenCopy(value)) as T;

/**
 * The shared copy of a value seen lately, built (and frozen) by `make` the first time: `key` names its
 * whole content and starts with a word, so it never meets a JSON text of `sharedData`.
 */
export const sharedRecent = <T>(key: string, make: () => T): T => data(key, () => Object.freeze(make())) as T;
