import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';

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
): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> =>
  new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    name,
    (u): u is t.TypeOf<C> => base.is(u) && predicate(u),
    (u, c) => {
      const decoded = base.validate(u, c);
      if (isLeft(decoded)) return decoded;
      return predicate(decoded.right) ? t.success(decoded.right) : t.failure(u, c, message);
    },
    base.encode,
  );

export const NonEmptyString = refine(
  t.string,
  'NonEmptyString',
  (s) => s.trim().length > 0,
  'must not be empty',
);
export type NonEmptyString = t.TypeOf<typeof NonEmptyString>;

/** Identifiers: letters, digits, `-`, `_`, `.`, `:`; no spaces, so they embed in stream ids. */
export const Id = refine(
  t.string,
  'Id',
  (s) => /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(s),
  'must be an identifier of 1-128 letters, digits, "-", "_", "." or ":"',
);
export type Id = t.TypeOf<typeof Id>;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The date exists: `Date.parse` quietly rolls 2022-02-30 over to 2 March, which is not what was sent. */
const dateExists = (year: number, month: number, day: number): boolean =>
  day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();

const isInstant = (s: string): boolean => {
  const m = INSTANT.exec(s);
  return m !== null && dateExists(Number(m[1]), Number(m[2]), Number(m[3])) && !Number.isNaN(Date.parse(s));
};

/** An ISO-8601 instant with an explicit zone: business time always comes from the caller's clock. */
export const Instant = refine(
  t.string,
  'Instant',
  isInstant,
  'must be an ISO-8601 instant with a time zone, e.g. 2022-03-01T09:00:00+08:00',
);
export type Instant = t.TypeOf<typeof Instant>;

export const nonEmptyArray = <C extends t.Mixed>(item: C, name: string) =>
  refine(t.array(item), name, (xs) => xs.length > 0, 'must list at least one item');

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

/** Decodes with every problem reported; unknown keys are stripped from the result. */
export const decodeWith = <C extends t.Mixed>(
  codec: C,
  input: unknown,
): Either<ValidationError, t.TypeOf<C>> => {
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
