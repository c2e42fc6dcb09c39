import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { nonEmptyText, toProblems, validationError, type ValidationError } from './codec';
import { LIMITS } from './limits';
import type { Grade } from './grade';

/**
 * How quarterly scores (按季度通报评分排名) are computed: data, configurable per deployment. The default
 * follows the seed: grade points 100/90/75/60/40, key tasks weigh double, deductions for late feedback,
 * late closure, closures sent back, written notices and interviews, co-units carry half of the lead
 * unit's deductions, ties go to fewer overdue items. Every number has a documented range
 * (docs/scoring-policy.md), enforced by `ScoringPolicyCodec`.
 */
export interface ScoringPolicy {
  readonly gradePoints: Readonly<Record<Grade, number>>;
  /** Weight of a key task (重点事项) in a unit's average; an ordinary task weighs 1. */
  readonly keyTaskWeight: number;
  /** A co-unit's weight for a task, relative to the lead unit's. */
  readonly coUnitWeight: number;
  /** Points deducted from the lead unit, per occurrence. */
  readonly deductions: {
    readonly lateFeedback: number; // 13710 first feedback missed (未按时反馈)
    readonly lateClosure: number; // closure applied for after the deadline (逾期)
    readonly closureSentBack: number; // 不予办结
    readonly writtenNotice: number; // 书面督办通知书
    readonly interview: number; // 约谈, on the unit in the quarter it was held
  };
  /** Share of a task's deductions a co-unit carries. */
  readonly coUnitDeductionShare: number;
  readonly accountability: AccountabilityPolicy;
  /** 年度评价: the year is the mean of the unit's published quarterly scores, put in these bands. */
  readonly annual: AnnualPolicy;
}

/** Bands of the annual evaluation, best first: a score at or above `min` earns the label. */
export interface AnnualPolicy {
  readonly bands: ReadonlyArray<{ readonly min: number; readonly label: string }>;
}

/** Thresholds for the accountability flags (约谈问责) and warnings (苗头性、倾向性问题). */
export interface AccountabilityPolicy {
  /** "Ranked low": among the last N of a quarter's ranking… */
  readonly bottomN: number;
  /** …of a ranking of at least this many units… */
  readonly minRankedUnits: number;
  /** …with a score below this line (a unit that scored well is not flagged for ranking last of a good field). */
  readonly lowRankBelowScore: number;
  /** "Ranked low several times" (多次排名靠后): that many consecutive quarters → referral. */
  readonly consecutiveQuartersForReferral: number;
  /** "Interviewed several times" (多次被约谈): that many interviews held… */
  readonly interviewsForReferral: number;
  /** …within this many quarters, the flagged one included. */
  readonly interviewWindowQuarters: number;
  /** "Seriously behind" (进度严重滞后): overdue by this many working days → interview. */
  readonly severeDelayWorkingDays: number;
  /** "Long unrectified" (久拖不改): a rectification this many working days past due → referral. */
  readonly longUnrectifiedWorkingDays: number;
  /** Warning when a task was urged this many times. */
  readonly repeatedUrges: number;
  /** Warning when a reported difficulty has had no follow-up for this many working days. */
  readonly difficultyFollowUpWorkingDays: number;
}

export const DEFAULT_SCORING_POLICY: ScoringPolicy = {
  gradePoints: { excellent: 100, good: 90, basic: 75, poor: 60, 'very-poor': 40 },
  keyTaskWeight: 2,
  coUnitWeight: 0.5,
  deductions: { lateFeedback: 1, lateClosure: 3, closureSentBack: 1, writtenNotice: 2, interview: 5 },
  coUnitDeductionShare: 0.5,
  accountability: {
    bottomN: 2,
    minRankedUnits: 5,
    lowRankBelowScore: 70,
    consecutiveQuartersForReferral: 3,
    interviewsForReferral: 2,
    interviewWindowQuarters: 4,
    severeDelayWorkingDays: 10,
    longUnrectifiedWorkingDays: 20,
    repeatedUrges: 2,
    difficultyFollowUpWorkingDays: 5,
  },
  annual: {
    bands: [
      { min: 90, label: '优秀 excellent' },
      { min: 80, label: '良好 good' },
      { min: 60, label: '合格 satisfactory' },
      { min: 0, label: '不合格 unsatisfactory' },
    ],
  },
};

// —— the codec: every number finite and within a documented range ——

const shown = (u: unknown): string => {
  if (typeof u === 'number') return String(u);
  if (u === undefined) return 'nothing';
  try {
    const s = JSON.stringify(u) ?? typeof u;
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  } catch {
    return typeof u;
  }
};

interface Range {
  readonly min: number;
  readonly max: number;
  /** `min` itself is not allowed (a weight of 0 would divide by zero). */
  readonly aboveMin?: boolean;
  readonly whole?: boolean;
}

const rangeText = (r: Range): string =>
  `${r.whole ? 'a whole number' : 'a number'} ${r.aboveMin ? `greater than ${r.min} and at most ${r.max}` : `from ${r.min} to ${r.max}`}`;

/** A finite number in a range; the message names the range and the value that broke it. */
const bounded = (name: string, r: Range): t.Type<number, number, unknown> =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number =>
      typeof u === 'number' &&
      Number.isFinite(u) &&
      (r.aboveMin ? u > r.min : u >= r.min) &&
      u <= r.max &&
      (!r.whole || Number.isInteger(u)),
    (u, c) => {
      if (u === undefined) return t.failure(u, c, `is required: ${rangeText(r)}`);
      if (typeof u !== 'number') return t.failure(u, c, `must be ${rangeText(r)}, got ${shown(u)}`);
      if (!Number.isFinite(u)) return t.failure(u, c, `must be a finite number, got ${shown(u)}`);
      if ((r.aboveMin ? u <= r.min : u < r.min) || u > r.max || (r.whole && !Number.isInteger(u)))
        return t.failure(u, c, `must be ${rangeText(r)}, got ${shown(u)}`);
      return t.success(u);
    },
    t.identity,
  );

/** The props of `t.type`, and no other key: a misspelt key must not be silently ignored. */
const strict = <P extends t.Props>(name: string, props: P) => {
  const base = t.type(props, name);
  return new t.Type<t.TypeOf<typeof base>, t.OutputOf<typeof base>, unknown>(
    name,
    (u): u is t.TypeOf<typeof base> =>
      base.is(u) && Object.keys(u as object).every((k) => Object.prototype.hasOwnProperty.call(props, k)),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u))
        return t.failure(u, c, `must be an object, got ${shown(u)}`);
      const unknown: t.Errors = Object.keys(u)
        .filter((k) => !Object.prototype.hasOwnProperty.call(props, k))
        .map((k) => ({
          value: (u as Record<string, unknown>)[k],
          context: [...c, { key: k, type: t.unknown, actual: (u as Record<string, unknown>)[k] }],
          message: 'is not part of a scoring policy',
        }));
      const decoded = base.validate(u, c);
      if (isLeft(decoded)) return t.failures([...unknown, ...decoded.left]);
      return unknown.length > 0 ? t.failures(unknown) : decoded;
    },
    base.encode,
  );
};

const GRADES: readonly Grade[] = ['excellent', 'good', 'basic', 'poor', 'very-poor'];
const points = bounded('GradePoints', { min: 0, max: 100 });
const deduction = bounded('Deduction', { min: 0, max: 100 });
const share = bounded('Share', { min: 0, max: 1 });
const workingDays = bounded('WorkingDays', { min: 1, max: 250, whole: true });
const count = (max: number) => bounded('Count', { min: 1, max, whole: true });

const GradePointsShape = strict('GradePoints', {
  excellent: points,
  good: points,
  basic: points,
  poor: points,
  'very-poor': points,
});

/** A lower grade never earns more points than a higher one: the ranking would reward worse work. */
const GradePointsCodec = new t.Type<
  t.TypeOf<typeof GradePointsShape>,
  t.OutputOf<typeof GradePointsShape>,
  unknown
>(
  'GradePoints',
  GradePointsShape.is,
  (u, c) => {
    const decoded = GradePointsShape.validate(u, c);
    if (isLeft(decoded)) return decoded;
    const g = decoded.right;
    const errors: t.Errors = [];
    for (let i = 1; i < GRADES.length; i++) {
      const higher = GRADES[i - 1]!;
      const lower = GRADES[i]!;
      if (g[lower] > g[higher])
        errors.push({
          value: g[lower],
          context: [...c, { key: lower, type: points, actual: g[lower] }],
          message: `must not be more than gradePoints.${higher} (${g[higher]}): a lower grade cannot earn more points`,
        });
    }
    return errors.length > 0 ? t.failures(errors) : decoded;
  },
  t.identity,
);

const Band = strict('Band', { min: points, label: nonEmptyText(LIMITS.shortTextLength, 'Label') });

/** One to ten bands, best first (their `min` falling); the last is where every score below the others lands. */
const AnnualBands = new t.Type<
  ReadonlyArray<t.TypeOf<typeof Band>>,
  ReadonlyArray<t.TypeOf<typeof Band>>,
  unknown
>(
  'AnnualBands',
  (u): u is ReadonlyArray<t.TypeOf<typeof Band>> =>
    Array.isArray(u) && u.length >= 1 && u.length <= 10 && u.every(Band.is),
  (u, c) => {
    if (!Array.isArray(u) || u.length < 1 || u.length > 10)
      return t.failure(u, c, `must list one to ten bands, got ${shown(u)}`);
    const decoded = t.array(Band).validate(u, c);
    if (isLeft(decoded)) return decoded;
    const falling = decoded.right.every((b, i, all) => i === 0 || b.min < all[i - 1]!.min);
    return falling ? decoded : t.failure(u, c, 'must list bands best first, each `min` below the one before');
  },
  t.identity,
);

/**
 * A complete scoring policy, every number finite and in range (the ranges are in docs/scoring-policy.md);
 * unknown keys are refused.
 */
export const ScoringPolicyCodec = strict('ScoringPolicy', {
  gradePoints: GradePointsCodec,
  keyTaskWeight: bounded('Weight', { min: 1, max: 10 }),
  coUnitWeight: bounded('Weight', { min: 0, max: 1, aboveMin: true }),
  deductions: strict('Deductions', {
    lateFeedback: deduction,
    lateClosure: deduction,
    closureSentBack: deduction,
    writtenNotice: deduction,
    interview: deduction,
  }),
  coUnitDeductionShare: share,
  accountability: strict('AccountabilityPolicy', {
    bottomN: bounded('Count', { min: 0, max: 100, whole: true }),
    minRankedUnits: count(1000),
    lowRankBelowScore: points,
    consecutiveQuartersForReferral: count(20),
    interviewsForReferral: count(100),
    interviewWindowQuarters: count(40),
    severeDelayWorkingDays: workingDays,
    longUnrectifiedWorkingDays: workingDays,
    repeatedUrges: count(100),
    difficultyFollowUpWorkingDays: workingDays,
  }),
  annual: strict('AnnualPolicy', { bands: AnnualBands }),
});

/** A complete scoring policy from outside (a file, a request): every problem names its field and rule. */
export const decodeScoringPolicy = (input: unknown): Either<ValidationError, ScoringPolicy> => {
  const decoded = ScoringPolicyCodec.decode(input);
  return isLeft(decoded) ? left(validationError(toProblems(decoded.left))) : right(decoded.right);
};

/**
 * Any part of a scoring policy, merged onto `base` (the default unless given) and then decoded whole:
 * `{"deductions":{"lateClosure":5}}` changes one number. Keys that are not part of a policy are refused,
 * by their own name only (`constructor` or `__proto__` are unknown keys, not inherited ones).
 */
export const decodePartialScoringPolicy = (
  input: unknown,
  base: ScoringPolicy = DEFAULT_SCORING_POLICY,
): Either<ValidationError, ScoringPolicy> => {
  const problems: Array<{ path: string; message: string }> = [];
  const merge = (under: unknown, over: unknown, path: string): unknown => {
    const isRecord = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isRecord(under)) return over; // a number: the codec judges what came
    if (!isRecord(over)) {
      problems.push({ path, message: `must be an object, got ${shown(over)}` });
      return under;
    }
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(under)) out[key] = under[key];
    for (const key of Object.keys(over)) {
      const at = path ? `${path}.${key}` : key;
      if (!Object.prototype.hasOwnProperty.call(under, key))
        problems.push({ path: at, message: 'is not part of a scoring policy' });
      else out[key] = merge(under[key], over[key], at);
    }
    return { ...out };
  };
  const merged = merge(base, input, '');
  if (problems.length > 0) return left(validationError(problems));
  return decodeScoringPolicy(merged);
};
