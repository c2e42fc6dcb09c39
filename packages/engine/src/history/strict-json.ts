/**
 * Strict JSON for what is read from outside: history lines (importHistory, the CLI), `--policy` and
 * `--unit-names` files.
 *
 * Hashes are over RFC 8785 canonical JSON, which assumes I-JSON (RFC 7493): no duplicate keys, numbers
 * that are finite doubles. `JSON.parse` quietly keeps the last of two equal keys (another reader may
 * keep the first: `"grade":"poor","grade":"good"` would verify and mean two things) and turns `1e309`
 * into Infinity (which nothing can hash). Deeply nested values are parsed fine but overflow the stack
 * of every recursive step after it (decoding, hashing). So a value is parsed by `JSON.parse` (native,
 * with its syntax messages) and then checked: no key twice in an object, every number finite, nesting
 * at most `maxDepth` deep. Each refusal names the field and the rule.
 *
 * Why not a library: lossless-json refuses duplicate keys (unless their values are equal) but parses
 * recursively, so deep nesting still overflows the stack, and takes 12–19 s for a 1M-line history
 * where JSON.parse takes 5–6 s; jsonc-parser's visitor can see duplicates but is a tolerant JSONC
 * scanner, recursive too, and took 20–26 s. Neither bounds depth. Here JSON.parse does the parsing and
 * one walk over the value checks it (measured: about +2 s per 1M lines, 2 cores; docs/auditing.md).
 */

/** Envelopes nest 6 deep at most; 64 leaves room for any event a store accepts and none for abuse. */
export const MAX_JSON_DEPTH = 64;

export type StrictJson =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      /** Dotted path to the offending key or value (`data.grade`), or `(line)`. */
      readonly field: string;
      readonly message: string;
      /** Set when the text is not JSON at all: `JSON.parse`'s own error. */
      readonly syntax?: SyntaxError;
    };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const pathOf = (parts: readonly string[]): string => (parts.length === 0 ? '(line)' : parts.join('.'));

/** Parses `text` as one JSON value and checks it is I-JSON with bounded nesting. Never throws. */
export const parseStrictJson = (text: string, maxDepth: number = MAX_JSON_DEPTH): StrictJson => {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return {
      ok: false,
      field: '(line)',
      message: (error as Error).message,
      ...(error instanceof SyntaxError ? { syntax: error } : {}),
    };
  }
  if (typeof value !== 'object' || value === null) return checkScalar(text, value);
  if (plainlyFine(text, value, maxDepth)) return { ok: true, value };
  // Something is off, or cannot be told cheaply: walk the text, which names the first problem exactly.
  const problem = scan(text, maxDepth);
  return problem ? { ok: false, ...problem } : { ok: true, value };
};

/**
 * The fast path, one walk over the parsed value: nesting within the limit, every number finite, and no
 * key dropped. A dropped key is seen by counting colons. Outside strings a colon only ever separates a
 * key from its value, so the text's colons are its keys plus the colons inside its strings; the parsed
 * value has the same count exactly when no key was dropped (a repeated key loses an entry, and the
 * colons of what it held). A colon written as an escape (\u003a) would upset the count: such text
 * takes the scan.
 */
const plainlyFine = (text: string, value: object, maxDepth: number): boolean => {
  if (text.includes('\\u003a') || text.includes('\\u003A')) return false;
  let textColons = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) textColons += 1;
  const counted = { colons: 0 };
  return fineValue(value, 1, maxDepth, counted) && counted.colons === textColons;
};

const colonsIn = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf(':'); i !== -1; i = s.indexOf(':', i + 1)) n += 1;
  return n;
};

/** Depth-bounded: stops (false) past `max`, so the stack never grows with the text. */
const fineValue = (v: object, depth: number, max: number, counted: { colons: number }): boolean => {
  if (depth > max) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!fineMember(v[i], depth, max, counted)) return false;
    return true;
  }
  for (const key in v) {
    counted.colons += 1 + colonsIn(key);
    if (!fineMember((v as Record<string, unknown>)[key], depth, max, counted)) return false;
  }
  return true;
};

const fineMember = (x: unknown, depth: number, max: number, counted: { colons: number }): boolean => {
  if (typeof x === 'string') counted.colons += colonsIn(x);
  else if (typeof x === 'number') return Number.isFinite(x);
  else if (typeof x === 'object' && x !== null) return fineValue(x, depth + 1, max, counted);
  return true;
};

/** For values parsed elsewhere (a store's client): the path and rule if they nest too deep to check. */
export const depthProblem = (
  value: unknown,
  maxDepth: number = MAX_JSON_DEPTH,
): { field: string; message: string } | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const deep = tooDeep(value, 1, maxDepth, []);
  return deep === undefined ? undefined : { field: pathOf(deep), message: depthMessage(maxDepth) };
};

const depthMessage = (maxDepth: number): string =>
  `nests objects and arrays more than ${maxDepth} deep (the limit for any JSON read)`;

const checkScalar = (text: string, value: unknown): StrictJson =>
  typeof value === 'number' && !Number.isFinite(value)
    ? { ok: false, field: '(line)', message: numberMessage(text.trim()) }
    : { ok: true, value };

const numberMessage = (token: string): string =>
  `the number ${token.length > 24 ? `${token.slice(0, 21)}...` : token} is out of range: JSON numbers must be finite doubles (I-JSON)`;

/** The path to the first container deeper than `max`, if any; recursion stops at `max`. */
const tooDeep = (v: object, depth: number, max: number, path: string[]): string[] | undefined => {
  if (depth > max) return path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) {
        path.push(String(i));
        const found = tooDeep(x, depth + 1, max, path);
        if (found) return found;
        path.pop();
      }
    }
    return undefined;
  }
  for (const key in v) {
    const x = (v as Record<string, unknown>)[key];
    if (typeof x === 'object' && x !== null) {
      path.push(key);
      const found = tooDeep(x, depth + 1, max, path);
      if (found) return found;
      path.pop();
    }
  }
  return undefined;
};

interface Frame {
  /** Keys seen so far in an object; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** Index of the next element of an array. */
  index: number;
}

/**
 * Walks text that `JSON.parse` accepted (so it is well-formed JSON): the first key that occurs twice in
 * one object, number out of range, or container nested too deep. No recursion: the depth of the text
 * costs only the frame stack, and the walk stops at the limit.
 */
const scan = (text: string, maxDepth: number): { field: string; message: string } | undefined => {
  const frames: Frame[] = [];
  const path: string[] = [];
  const n = text.length;
  let i = 0;
  /** The key just read, waiting for its value (objects only). */
  let pendingKey: string | undefined;

  const enterValue = () => {
    // Where the value about to be read sits: its key in an object, its index in an array.
    const top = frames[frames.length - 1];
    if (!top) return;
    if (top.keys) path.push(pendingKey!);
    else path.push(String(top.index++));
  };
  const leaveValue = () => {
    if (frames.length > 0) path.pop();
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = frames[frames.length - 1];
      // A string right after `{` or `,` in an object is a key (JSON.parse already checked the grammar).
      if (top?.keys && pendingKey === undefined) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key))
          return {
            field: pathOf([...path, key]),
            message: `the key ${quoted(key)} occurs twice in one object; JSON read for hashing must have unique keys (I-JSON), or two readers could see two values`,
          };
        top.keys.add(key);
        pendingKey = key;
      } else {
        enterValue();
        leaveValue();
        if (top?.keys) pendingKey = undefined;
      }
      i = end + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      enterValue();
      if (top()?.keys) pendingKey = undefined;
      if (frames.length + 1 > maxDepth) return { field: pathOf(path), message: depthMessage(maxDepth) };
      frames.push({ keys: c === OPEN_OBJECT ? new Set() : undefined, index: 0 });
      i += 1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frames.pop();
      leaveValue();
      i += 1;
    } else if (c === COLON || c === COMMA || c <= 0x20) {
      i += 1;
    } else {
      // A number, true, false or null: up to the next delimiter.
      let end = i + 1;
      while (end < n) {
        const d = text.charCodeAt(end);
        if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d <= 0x20) break;
        end += 1;
      }
      enterValue();
      const token = text.slice(i, end);
      const first = token.charCodeAt(0);
      if ((first === 0x2d || (first >= 0x30 && first <= 0x39)) && !Number.isFinite(Number(token)))
        return { field: pathOf(path), message: numberMessage(token) };
      leaveValue();
      if (top()?.keys) pendingKey = undefined;
      i = end;
    }
  }
  return undefined;

  function top(): Frame | undefined {
    return frames[frames.length - 1];
  }
};

const quoted = (key: string): string => JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key);

/** Index of the quote closing the string that opens at `start` (well-formed JSON assumed). */
const stringEnd = (text: string, start: number): number => {
  let at = start + 1;
  for (;;) {
    const q = text.indexOf('"', at);
    // Count the backslashes before the quote: an odd number escapes it.
    let b = q - 1;
    while (text.charCodeAt(b) === BACKSLASH) b -= 1;
    if ((q - 1 - b) % 2 === 0) return q;
    at = q + 1;
  }
};
