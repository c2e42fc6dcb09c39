import type { Grade } from '@duban/domain';

/**
 * How quarterly scores (按季度通报评分排名) are computed: data, configurable per deployment. The default
 * follows docs/scoring-policy.md: grade points 100/90/75/60/40, key tasks weigh double, deductions for late feedback,
 * late closure, closures sent back, written notices and interviews, co-units carry half of the lead
 * unit's deductions, ties go to fewer overdue items.
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
}

/** Thresholds for the accountability flags (约谈问责) and warnings (苗头性、倾向性问题). */
export interface AccountabilityPolicy {
  /** "Ranked low": among the last N of a quarter's ranking. */
  readonly bottomN: number;
  /** "Ranked low several times" (多次排名靠后): that many consecutive quarters → referral. */
  readonly consecutiveQuartersForReferral: number;
  /** "Interviewed several times" (多次被约谈): that many interviews held → referral. */
  readonly interviewsForReferral: number;
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
    consecutiveQuartersForReferral: 3,
    interviewsForReferral: 2,
    severeDelayWorkingDays: 10,
    longUnrectifiedWorkingDays: 20,
    repeatedUrges: 2,
    difficultyFollowUpWorkingDays: 5,
  },
};
