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
