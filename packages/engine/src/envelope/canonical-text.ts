/**
 * A faster writer of the canonical JSON `canonicalJson` writes, for the values it is asked for most:
 * plain JSON (strings, finite numbers, booleans, null, arrays, records). Every answer it gives is
 * canonicalJson's text for the same value; for anything else — a non-finite number, a function, a
 * `toJSON`, a typed array, a cycle or a very deep tree — it answers `undefined` and the caller asks
 * canonicalJson, which writes or refuses it as it always has. A property test compares the two on
 * arbitrary values (odd keys, `__proto__`, -0, 1e21, lone surrogates, objects without a prototype).
 *
 * Why faster: a record's keys are sorted and quoted once per shape (the same keys in the same order,
 * as every event of a type has them), not once per record; strings are quoted as canonicalJson
 * quotes them (its `strEscape`: JSON.stringify's escapes, looked for with one regular expression).
 */

/** What canonicalJson (safe-stable-stringify) escapes: controls, `"`, `\` and surrogate halves. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /[\u0000-\u001f\u0022\u005c\ud800-\udfff]/;

/** A string as canonicalJson quotes it: JSON.stringify's text, built without it where nothing needs escaping. */
const quoted = (s: string): string =>
  s.length < 5000 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s);

/** Past this depth the writer gives up (canonicalJson then finds the cycle, or writes the deep value). */
const MAX_DEPTH = 64;

/**
 * A record's keys as `Object.keys` lists them, and what writing such a record needs: the keys sorted
 * by UTF-16 code units (canonicalJson's order), each one's `"key":` and `,"key":` (fewer pieces to
 * join: the text is a rope of them until it is hashed).
 */
interface Shape {
  readonly keys: readonly string[];
  readonly sorted: readonly string[];
  readonly first: readonly string[];
  readonly next: readonly string[];
}

/**
 * Shapes by their last key; a history has a few dozen. Cleared when full: a memo, never a leak. A
 * record of many keys, or one more shape behind the same last key, is written without the memo, so a
 * hostile history can neither fill memory with key lists nor make a lookup long.
 */
const SHAPE_LIMIT = 1024;
const MAX_SHAPE_KEYS = 64;
const MAX_SHAPES_PER_LAST_KEY = 16;
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;

/** Insertion sort by code units (the `<` of strings), as canonicalJson sorts up to 200 keys. */
const sortKeys = (keys: string[]): string[] => {
  if (keys.length > 200) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i;
    for (; j > 0 && keys[j - 1]! > key; j--) keys[j] = keys[j - 1]!;
    keys[j] = key;
  }
  return keys;
};

/** The shape of a record with these (own, enumerable) keys: looked up by the whole key list. */
const shapeOf = (keys: string[]): Shape => {
  const n = keys.length;
  const last = keys[n - 1]!;
  const known = shapes.get(last);
  if (known !== undefined)
    search: for (const shape of known) {
      const k = shape.keys;
      if (k.length !== n) continue;
      for (let i = 0; i < n - 1; i++) if (k[i] !== keys[i]) continue search;
      return shape;
    }
  const sorted = sortKeys(keys.slice());
  const first = sorted.map((k) => `${quoted(k)}:`);
  const shape: Shape = { keys, sorted, first, next: first.map((p) => `,${p}`) };
  if (n > MAX_SHAPE_KEYS || (known?.length ?? 0) >= MAX_SHAPES_PER_LAST_KEY) return shape;
  if (shapeCount >= SHAPE_LIMIT) {
    shapes.clear();
    shapeCount = 0;
  }
  const list = shapes.get(last);
  if (list === undefined) shapes.set(last, [shape]);
  else list.push(shape);
  shapeCount += 1;
  return shape;
};

/** Canonical JSON of `value`, or undefined when canonicalJson must decide (see above). */
export const canonicalText = (value: unknown): string | undefined => text(value, 0);

/**
 * Canonical JSON of a record with the member `without` left out (an envelope's metadata without its
 * hash), or undefined when canonicalJson must decide. Only records: not arrays, not `toJSON` holders.
 */
export const canonicalRecordText = (record: object, without: string): string | undefined =>
  isRecord(record) ? recordText(record, 0, without) : undefined;

/** An object canonicalJson writes as its own enumerable string keys, sorted. */
const isRecord = (value: object): value is Record<string, unknown> =>
  !Array.isArray(value) &&
  typeof (value as { toJSON?: unknown }).toJSON !== 'function' &&
  !ArrayBuffer.isView(value);

const text = (value: unknown, depth: number): string | undefined => {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
      // canonicalJson writes finite numbers with String (1e+21, 0 for -0) and refuses the others.
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) return undefined;
      if (Array.isArray(value)) {
        if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
        return arrayText(value, depth);
      }
      return isRecord(value) ? recordText(value, depth, undefined) : undefined;
    default:
      // undefined only reaches here as a whole value (members and items are handled by their holder);
      // functions, symbols and bigints canonicalJson refuses.
      return undefined;
  }
};

const arrayText = (array: readonly unknown[], depth: number): string | undefined => {
  const n = array.length;
  if (n === 0) return '[]';
  let out = '';
  for (let i = 0; i < n; i++) {
    const item = array[i];
    // A hole or an undefined item is written null, as canonicalJson (and JSON.stringify) write it.
    const s = item === undefined ? 'null' : text(item, depth + 1);
    if (s === undefined) return undefined;
    out = i === 0 ? s : `${out},${s}`;
  }
  return `[${out}]`;
};

const recordText = (
  record: Record<string, unknown>,
  depth: number,
  without: string | undefined,
): string | undefined => {
  const keys = Object.keys(record);
  if (keys.length === 0) return '{}';
  const { sorted, first, next } = shapeOf(keys);
  let out = '';
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    if (key === without) continue;
    const value = record[key];
    // A member whose value is undefined is left out, as canonicalJson leaves it out.
    if (value === undefined) continue;
    const s = text(value, depth + 1);
    if (s === undefined) return undefined;
    out = out === '' ? first[i]! + s : out + next[i]! + s;
  }
  return `{${out}}`;
};
