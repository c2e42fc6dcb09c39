import {
  DEFAULT_SCORING_POLICY,
  ScoringPolicyCodec,
  decodePartialScoringPolicy,
  decodeScoringPolicy,
} from '@duban/domain';
import { isLeft, isRight } from 'fp-ts/Either';

const problemsOf = (result: ReturnType<typeof decodeScoringPolicy>) =>
  isLeft(result) ? result.left.problems.map((p) => `${p.path}: ${p.message}`) : [];

describe('scoring policy codec', () => {
  it('accepts the default, and the default is what the codec says a policy is', () => {
    expect(decodeScoringPolicy(DEFAULT_SCORING_POLICY)).toEqual({
      _tag: 'Right',
      right: DEFAULT_SCORING_POLICY,
    });
    expect(ScoringPolicyCodec.is(DEFAULT_SCORING_POLICY)).toBe(true);
  });

  it('refuses non-finite and absurd numbers, naming each field and its range', () => {
    const bad = {
      ...DEFAULT_SCORING_POLICY,
      keyTaskWeight: Number.POSITIVE_INFINITY,
      coUnitWeight: 0,
      deductions: { ...DEFAULT_SCORING_POLICY.deductions, lateClosure: -1e308, interview: Number.NaN },
      accountability: { ...DEFAULT_SCORING_POLICY.accountability, bottomN: 2.5, repeatedUrges: '2' },
    };
    expect(problemsOf(decodeScoringPolicy(bad))).toEqual([
      'keyTaskWeight: must be a finite number, got Infinity',
      'coUnitWeight: must be a number greater than 0 and at most 1, got 0',
      'deductions.lateClosure: must be a number from 0 to 100, got -1e+308',
      'deductions.interview: must be a finite number, got NaN',
      'accountability.bottomN: must be a whole number from 0 to 100, got 2.5',
      'accountability.repeatedUrges: must be a whole number from 1 to 100, got "2"',
    ]);
    expect(ScoringPolicyCodec.is(bad)).toBe(false);
  });

  it('refuses grade points that rise as the grade falls', () => {
    const bad = {
      ...DEFAULT_SCORING_POLICY,
      gradePoints: { ...DEFAULT_SCORING_POLICY.gradePoints, poor: 95 },
    };
    expect(problemsOf(decodeScoringPolicy(bad))).toEqual([
      'gradePoints.poor: must not be more than gradePoints.basic (75): a lower grade cannot earn more points',
    ]);
  });

  it('refuses unknown and missing keys, prototype names included', () => {
    const { coUnitDeductionShare: _left, ...missing } = DEFAULT_SCORING_POLICY;
    const extra = JSON.parse(
      JSON.stringify({
        ...missing,
        deductions: { ...DEFAULT_SCORING_POLICY.deductions, constructor: 1 },
      }).replace(/^\{/, '{"__proto__":{"keyTaskWeight":1},'),
    ) as unknown;
    expect(problemsOf(decodeScoringPolicy(extra))).toEqual([
      '__proto__: is not part of a scoring policy',
      'deductions.constructor: is not part of a scoring policy',
      'coUnitDeductionShare: is required: a number from 0 to 1',
    ]);
    expect(problemsOf(decodeScoringPolicy(null))).toEqual([': must be an object, got null']);
  });
});

describe('a partial policy merged onto the default', () => {
  it('changes only what it names', () => {
    const result = decodePartialScoringPolicy({
      deductions: { lateClosure: 5 },
      accountability: { bottomN: 3 },
    });
    expect(isRight(result) && result.right).toEqual({
      ...DEFAULT_SCORING_POLICY,
      deductions: { ...DEFAULT_SCORING_POLICY.deductions, lateClosure: 5 },
      accountability: { ...DEFAULT_SCORING_POLICY.accountability, bottomN: 3 },
    });
    expect(decodePartialScoringPolicy({})).toEqual({ _tag: 'Right', right: DEFAULT_SCORING_POLICY });
  });

  it('names misspelt keys, prototype names, wrong shapes and bad numbers', () => {
    const input = JSON.parse(
      '{"deductions":{"lateClosing":10},"constructor":1,"__proto__":{"bottomN":1},"gradePoints":7}',
    ) as unknown;
    expect(problemsOf(decodePartialScoringPolicy(input))).toEqual([
      'deductions.lateClosing: is not part of a scoring policy',
      'constructor: is not part of a scoring policy',
      '__proto__: is not part of a scoring policy',
      'gradePoints: must be an object, got 7',
    ]);
    expect(problemsOf(decodePartialScoringPolicy({ deductions: { lateClosure: -1e308 } }))).toEqual([
      'deductions.lateClosure: must be a number from 0 to 100, got -1e+308',
    ]);
    expect(problemsOf(decodePartialScoringPolicy([1]))).toEqual([': must be an object, got [1]']);
  });
});
