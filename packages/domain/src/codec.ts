import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { LIMITS } from './limits';
import { boundedListLeaf, fastCheckOf, identityLeaf, isIdentityLeaf } from './decode-fast';

/**
 * Codec building blocks. Every refinement carries a plain-language message, so a decoding failure
 * reads as "deadline: must be an ISO-8601 instant with a time zone" rather than io-ts' raw context.
 */

/** Builds a refined codec whose failure message is `message`. */
export const refine = <C extends t.Mixed>(
  base: C,
  name: string,
  predicate: (value: t.TypeOf<C>) => boolean,
  message: string,
): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> => {
  const refined = new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => base.is(u) && predicate(u),
    (u, c) => {
      const decoded = base.validate(u, c);
      if (isLeft(decoded)) return decoded;
      return predicate(decoded.right) ? t.success(decoded.right) : t.failure(u, c, message);
    },
    base.encode,
  );
  // Over a leaf that decodes to its input, `is` and `validate` test the same value: a leaf too.
  return isIdentityLeaf(base) ? identityLeaf(refined) : refined;
};

/**
 * Text of at most `maxLength` characters; with `minLength` 1 it must also not be blank. A class of its
 * own (not a refinement) so tools that walk the codecs, like the event catalogue, can read its bounds.
 */
export class TextType extends t.Type<string, string, unknown> {
  readonly _tag = 'TextType' as const;
  constructor(
    name: string,
    readonly minLength: 0 | 1,
    readonly maxLength: number,
  ) {
    super(
      name,
      (u): u is string =>
        typeof u === 'string' && u.length <= maxLength && (minLength === 0 || u.trim().length > 0),
      (u, c) =>
        typeof u !== 'string'
          ? t.failure(u, c)
          : minLength > 0 && u.trim().length === 0
            ? t.failure(u, c, 'must not be empty')
            : u.length > maxLength
              ? t.failure(u, c, `must be at most ${maxLength} characters`)
              : t.success(u),
      t.identity,
    );
    identityLeaf(this);
  }
}

/** Any text up to `max` characters (`LIMITS.textLength` by default). */
export const text = (max: number = LIMITS.textLength, name = 'Text') => new TextType(name, 0, max);

/** Text with something in it, up to `max` characters. */
export const nonEmptyText = (max: number = LIMITS.textLength, name = 'NonEmptyString') =>
  new TextType(name, 1, max);

export const NonEmptyString = nonEmptyText();
export type NonEmptyString = t.TypeOf<typeof NonEmptyString>;

/** Titles, labels and references: non-empty, at most `LIMITS.shortTextLength` characters. */
export const ShortText = nonEmptyText(LIMITS.shortTextLength, 'ShortText');

const ID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${LIMITS.idLength - 1}}$`);

/** Identifiers: letters, digits, `-`, `_`, `.`, `:`; no spaces, so they embed in stream ids. */
export const Id = refine(
  t.string,
  'Id',
  (s) => ID.test(s),
  `must be an identifier of 1-${LIMITS.idLength} letters, digits, "-", "_", "." or ":", starting with a letter or digit`,
);
export type Id = t.TypeOf<typeof Id>;

/** The date exists: `Date.parse` quietly rolls 2022-02-30 over to 2 March, which is not what was sent. */
const dateExists = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);

// Counted, not asked of a Date object: decoding checks several instants per event.
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month - 1]!;

/** The ASCII digit at `i` as a number, or -1 (also past the end). */
const digitAt = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
};

/** Two ASCII digits at `i` as a number from 0 to 99, or -1. */
const twoDigitsAt = (s: string, i: number): number => {
  const tens = digitAt(s, i);
  const ones = digitAt(s, i + 1);
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
};

/**
 * The year of `YYYY-MM-DDTHH:mm[:ss[.f…]](Z|±HH:mm)` naming a day that exists, or -1. Hours 00-23,
 * minutes and seconds 00-59, one to nine fractional digits, offsets up to ±14:59, `T` and `Z` upper
 * case: `T24:00` and leap seconds are refused, not rolled over into the next day (and quarter), which
 * is what Date.parse would do with them. Read character by character, with no regular expression,
 * substring or Date: decoding checks several instants per event. Every layout it admits is one
 * `Date.parse` reads to a number (the rules compare instants with it); a test walks those layouts.
 */
const instantYear = (s: string): number => {
  const n = s.length;
  if (n < 17 || n > 35) return -1;
  const y1 = digitAt(s, 0);
  const y2 = digitAt(s, 1);
  const y3 = digitAt(s, 2);
  const y4 = digitAt(s, 3);
  if (y1 < 0 || y2 < 0 || y3 < 0 || y4 < 0) return -1;
  const year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
  if (s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45 /* - */ || s.charCodeAt(10) !== 84 /* T */)
    return -1;
  if (!dateExists(year, twoDigitsAt(s, 5), twoDigitsAt(s, 8))) return -1;
  const hour = twoDigitsAt(s, 11);
  if (hour < 0 || hour > 23 || s.charCodeAt(13) !== 58 /* : */) return -1;
  const minute = twoDigitsAt(s, 14);
  if (minute < 0 || minute > 59) return -1;
  let i = 16;
  if (s.charCodeAt(i) === 58 /* : */) {
    const second = twoDigitsAt(s, i + 1);
    if (second < 0 || second > 59) return -1;
    i += 3;
    if (s.charCodeAt(i) === 46 /* . */) {
      const start = ++i;
      while (digitAt(s, i) >= 0) i++;
      if (i === start || i - start > 9) return -1;
    }
  }
  const zone = s.charCodeAt(i);
  if (zone === 90 /* Z */) return i + 1 === n ? year : -1;
  if (zone !== 43 /* + */ && zone !== 45 /* - */) return -1;
  const offsetHours = twoDigitsAt(s, i + 1);
  const offsetMinutes = twoDigitsAt(s, i + 4);
  return i + 6 === n &&
    offsetHours >= 0 &&
    offsetHours <= 14 &&
    s.charCodeAt(i + 3) === 58 /* : */ &&
    offsetMinutes >= 0 &&
    offsetMinutes <= 59
    ? year
    : -1;
};

const instantProblem = (s: string): string | undefined => {
  const year = instantYear(s);
  if (year < 0)
    return 'must be an ISO-8601 instant with a time zone, e.g. 2022-03-01T09:00:00+08:00 (hours 00-23: write the end of a day as 23:59 or the next day 00:00)';
  if (year < LIMITS.firstYear || year > LIMITS.lastYear)
    return `must lie in the years ${LIMITS.firstYear} to ${LIMITS.lastYear}`;
  return undefined;
};

/** An ISO-8601 instant with an explicit zone: business time always comes from the caller's clock. */
export const Instant = identityLeaf(
  new t.Type<string, string, unknown>(
    'Instant',
    (u): u is string => typeof u === 'string' && instantProblem(u) === undefined,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const problem = instantProblem(u);
      return problem === undefined ? t.success(u) : t.failure(u, c, problem);
    },
    t.identity,
  ),
);
export type Instant = t.TypeOf<typeof Instant>;

/**
 * A list of `minLength` to `maxLength` items. The length is checked before the items, so a list of a
 * million is refused unread. A class of its own so tools that walk the codecs can read its item and bounds.
 */
export class BoundedListType<C extends t.Mixed> extends t.Type<
  Array<t.TypeOf<C>>,
  Array<t.OutputOf<C>>,
  unknown
> {
  readonly _tag = 'BoundedListType' as const;
  constructor(
    name: string,
    readonly item: C,
    readonly minLength: number,
    readonly maxLength: number,
  ) {
    const array = t.array(item);
    super(
      name,
      // Every index, holes too, as `validate` reads them (`every` would skip a hole).
      (u): u is Array<t.TypeOf<C>> => {
        if (!Array.isArray(u) || u.length < minLength || u.length > maxLength) return false;
        for (let i = 0; i < u.length; i++) if (!item.is(u[i])) return false;
        return true;
      },
      (u, c) => {
        if (Array.isArray(u) && u.length < minLength) return t.failure(u, c, 'must list at least one item');
        if (Array.isArray(u) && u.length > maxLength)
          return t.failure(u, c, `must list at most ${maxLength} items`);
        return array.validate(u, c);
      },
      array.encode,
    );
    boundedListLeaf(this, { item, minLength, maxLength });
  }
}

/** A list of at most `max` items (`LIMITS.listItems` by default). */
export const list = <C extends t.Mixed>(item: C, name: string, max: number = LIMITS.listItems) =>
  new BoundedListType(name, item, 0, max);

/** A list of one to `max` items. */
export const nonEmptyArray = <C extends t.Mixed>(item: C, name: string, max: number = LIMITS.listItems) =>
  new BoundedListType(name, item, 1, max);

/** A whole number from 0: revisions, counts, versions. */
export const Count = refine(
  t.number,
  'Count',
  (n) => Number.isSafeInteger(n) && n >= 0,
  'must be a whole number from 0',
);

/** A whole number from `min` to `max`: the bound names the rule, so policies and profiles say what is allowed. */
export const intRange = (min: number, max: number, name = 'Integer') =>
  refine(
    t.number,
    name,
    (n) => Number.isSafeInteger(n) && n >= min && n <= max,
    `must be a whole number from ${min} to ${max}`,
  );

/** A finite number from `min` to `max`. */
export const numberRange = (min: number, max: number, name = 'Number') =>
  refine(
    t.number,
    name,
    (n) => Number.isFinite(n) && n >= min && n <= max,
    `must be a number from ${min} to ${max}`,
  );

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

/** A calendar date in the office's zone, `YYYY-MM-DD`, in the years instants may take. */
export const LocalDate = identityLeaf(
  new t.Type<string, string, unknown>(
    'LocalDate',
    (u): u is string => typeof u === 'string' && localDateProblem(u) === undefined,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const problem = localDateProblem(u);
      return problem === undefined ? t.success(u) : t.failure(u, c, problem);
    },
    t.identity,
  ),
);

function localDateProblem(s: string): string | undefined {
  const m = LOCAL_DATE.exec(s);
  if (m === null || !dateExists(Number(m[1]), Number(m[2]), Number(m[3])))
    return 'must be a date like 2022-03-01 that exists';
  const year = Number(m[1]);
  if (year < LIMITS.firstYear || year > LIMITS.lastYear)
    return `must lie in the years ${LIMITS.firstYear} to ${LIMITS.lastYear}`;
  return undefined;
}

/** A quarter, `2022Q1`. */
export const Quarter = refine(
  t.string,
  'Quarter',
  (s) =>
    /^(\d{4})Q[1-4]$/.test(s) &&
    Number(s.slice(0, 4)) >= LIMITS.firstYear &&
    Number(s.slice(0, 4)) <= LIMITS.lastYear,
  `must be a quarter like 2022Q1, in the years ${LIMITS.firstYear} to ${LIMITS.lastYear}`,
);

/** Milliseconds since the epoch of an instant that already passed the `Instant` codec. */
export const ms = (instant: string): number => Date.parse(instant);

/** One decoding problem: where it is and what rule it breaks. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export interface ValidationError {
  readonly kind: 'ValidationError';
  readonly code: 'InvalidInput';
  readonly problems: readonly Problem[];
  readonly message: string;
}

export const validationError = (problems: readonly Problem[]): ValidationError => ({
  kind: 'ValidationError',
  code: 'InvalidInput',
  problems,
  message: problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; '),
});

const kindOf = (value: unknown): string =>
  Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    // circular structures and BigInts do not serialise; decoding must still report, not throw
    s = typeof value === 'bigint' ? `${value}n` : kindOf(value);
  }
  if (s === undefined) s = typeof value === 'symbol' ? value.toString() : kindOf(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Turns io-ts errors into one problem per offending path, deepest context first. */
export const toProblems = (errors: t.Errors): Problem[] => {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const keys = error.context
      .map((entry) => entry.key)
      .filter((key, i) => key !== '' && !(/^\d+$/.test(key) && isIntersectionMember(error.context, i)));
    const path = keys.join('.');
    const last = error.context[error.context.length - 1];
    const message =
      error.message ??
      (error.value === undefined
        ? 'is required'
        : `expected ${last?.type.name ?? 'a value'}, got ${describe(error.value)}`);
    const id = `${path}|${message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push({ path, message });
    }
  }
  return problems;
};

// io-ts numbers the members of an intersection ("0", "1"); they are not part of the data's path.
const isIntersectionMember = (context: t.Context, i: number): boolean =>
  i > 0 && context[i - 1]?.type instanceof t.IntersectionType;

// Input the fast path cannot even read (a proxy that throws) is left to decode, which says what it says.
const fastPasses = (codec: t.Mixed, input: unknown): boolean => {
  try {
    return fastCheckOf(codec)?.(input) === true;
  } catch {
    return false;
  }
};

/**
 * Decodes with every problem reported; unknown keys are stripped from the result. Input the codec's
 * fast path vouches for (valid, nothing to strip) is the result as it is; the rest is decoded.
 */
export const decodeWith = <C extends t.Mixed>(
  codec: C,
  input: unknown,
): Either<ValidationError, t.TypeOf<C>> => {
  if (fastPasses(codec, input)) return right(input as t.TypeOf<C>);
  const result = codec.decode(input);
  return isLeft(result) ? left(validationError(toProblems(result.left))) : right(result.right);
};

/** `{ type: 'X', ... }` unions decoded by looking the type up first: one clear message for an unknown type. */
export const decodeTagged = <M extends Record<string, t.Mixed>>(
  codecs: M,
  input: unknown,
  what: string,
): Either<ValidationError, t.TypeOf<M[keyof M]>> => {
  try {
    return decodeKnownType(codecs, input, what);
  } catch (error) {
    // Input that cannot even be read (a throwing getter, a revoked proxy) is invalid input, not a crash.
    return left(
      validationError([
        { path: '', message: `could not be read: ${error instanceof Error ? error.message : kindOf(error)}` },
      ]),
    );
  }
};

const decodeKnownType = <M extends Record<string, t.Mixed>>(
  codecs: M,
  input: unknown,
  what: string,
): Either<ValidationError, t.TypeOf<M[keyof M]>> => {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(codecs, type)) {
    return left(
      validationError([
        {
          path: 'type',
          message: `unknown ${what} type ${describe(type)}; expected one of ${Object.keys(codecs).join(', ')}`,
        },
      ]),
    );
  }
  return decodeWith(codecs[type]!, input);
};
