/**
 * Records keyed by outside ids (task ids, unit ids, stream ids). Ids come from callers and history files,
 * and `constructor`, `toString` or `hasOwnProperty` are valid ids: on a plain object they would read
 * Object.prototype's members and land state on the global `Object`. A record with no prototype has none.
 */
export type IdRecord<T> = Record<string, T>;

/** An empty record with no prototype. */
export const idRecord = <T>(): IdRecord<T> => Object.create(null) as IdRecord<T>;

/** The same entries in a record with no prototype (e.g. for a model read back from JSON). */
export const toIdRecord = <T>(entries: Readonly<Record<string, T>> | undefined): IdRecord<T> =>
  Object.assign(idRecord<T>(), entries);
