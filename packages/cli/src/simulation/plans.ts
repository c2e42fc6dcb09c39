import type { TaskSource } from '@duban/domain';
import { SOURCES, TITLES } from './office';
import type { Random } from './prng';

/**
 * The seeded workload: which tasks the office will hand out, to whom, when, and how each unit will
 * carry it — drawn up front from the PRNG, before anything runs, so the same seed always gives the same
 * tasks. Days are indices of working days (0 = the first working day simulated); the demo maps them
 * onto the office's adopted calendar, the benchmark onto its own. Nothing here touches the engine.
 */
export type Story =
  | 'extension-granted'
  | 'extension-refused'
  | 'sent-back-review'
  | 'sent-back-approval'
  | 'rectification'
  | 'recognition'
  | 'criticism'
  | 'escalation'
  | 'override'
  | 'partial';

/**
 * When a co-unit reports on its part (协办单位报送配合情况): promptly (by the first-feedback limit: graded
 * good when the task is done in time), only at the deadline (basic), or never (poor).
 */
export type CoUnitHabit = 'prompt' | 'at-deadline' | 'never';

export interface TaskPlan {
  readonly taskId: string;
  /** Index of the simulated quarter it is assigned in. */
  readonly quarter: number;
  readonly assignDay: number;
  readonly source: TaskSource;
  readonly title: string;
  readonly key: boolean;
  /** Decided by the main leader (else by the deputy leader in charge). */
  readonly originMain: boolean;
  readonly lead: string;
  readonly coUnits: readonly string[];
  readonly coUnitHabits: Readonly<Record<string, CoUnitHabit>>;
  /** Working days from assignment to the deadline. */
  readonly deadlineDays: number;
  /** The lead unit's diligence, 0.3 … 1. */
  readonly diligence: number;
  readonly acceptDelay: number;
  readonly firstReportAfter: number;
  readonly reportEvery: number;
  /** Working days before (negative) or after the deadline the lead unit applies for closure. */
  readonly finishBias: number;
  /** Share of the work done when the lead unit reports a difficulty, if it meets one. */
  readonly difficultyAt?: number;
  /** Working days the office takes to answer a difficulty. */
  readonly answerDelay: number;
  /** Whether the lead unit reports its plan's milestones met before they fall due. */
  readonly keepsMilestones: boolean;
  /** Whether the lead unit replies to a written notice in time. */
  readonly answersNotices: boolean;
  readonly stories: ReadonlySet<Story>;
}

export interface PlanOptions {
  readonly unitIds: readonly string[];
  readonly diligence: ReadonlyMap<string, number>;
  /** The simulated quarters, e.g. '2021Q4', with the indices of their working days. */
  readonly quarters: ReadonlyArray<{ readonly name: string; readonly days: readonly number[] }>;
  /** Tasks assigned in each quarter. */
  readonly tasks: number;
  /** Working days simulated in all. */
  readonly totalDays: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Each unit's diligence (how promptly it signs, reports and finishes), drawn once per unit. */
export const drawDiligence = (rnd: Random, unitIds: readonly string[]): Map<string, number> =>
  new Map(unitIds.map((u) => [u, 0.3 + 0.7 * rnd.next()]));

export const drawTaskPlans = (rnd: Random, options: PlanOptions): TaskPlan[] => {
  const { unitIds, diligence } = options;
  const plans: TaskPlan[] = [];
  const counters = new Map<string, number>();
  options.quarters.forEach(({ name, days }, qi) => {
    const window = days.slice(0, Math.max(1, Math.floor(days.length * 0.9)));
    const year = name.slice(0, 4);
    const sources = rnd.shuffle(SOURCES);
    const quarterPlans: Array<TaskPlan & { stories: Set<Story> }> = [];
    for (let k = 0; k < options.tasks; k++) {
      const n = (counters.get(year) ?? 0) + 1;
      counters.set(year, n);
      const source = k < sources.length ? sources[k]! : rnd.pick(SOURCES);
      const lead = rnd.pick(unitIds);
      const d = diligence.get(lead)!;
      const key = rnd.chance(0.2);
      const major = key || rnd.chance(0.55);
      // Up to two co-units, drawn one by one (not by shuffling every unit: the benchmark has hundreds).
      const coUnits: string[] = [];
      for (let want = rnd.int(0, Math.min(2, unitIds.length - 1)); coUnits.length < want;) {
        const u = rnd.pick(unitIds);
        if (u !== lead && !coUnits.includes(u)) coUnits.push(u);
      }
      const coUnitHabits: Record<string, CoUnitHabit> = {};
      for (const co of coUnits)
        coUnitHabits[co] = rnd.chance(0.35 + 0.6 * diligence.get(co)!)
          ? 'prompt'
          : rnd.chance(0.5)
            ? 'at-deadline'
            : 'never';
      quarterPlans.push({
        taskId: `DB${year}-${pad(n, 3)}`,
        quarter: qi,
        assignDay: window[Math.floor((k * window.length) / options.tasks)]!,
        source,
        title: TITLES[source][(n - 1) % TITLES[source].length]!,
        key,
        originMain: key || rnd.chance(0.25),
        lead,
        coUnits,
        coUnitHabits,
        // Key items run longer: over a month, so they owe the monthly report (跟踪到底).
        deadlineDays: key ? rnd.int(24, 34) : major ? rnd.int(12, 28) : rnd.int(5, 7),
        diligence: d,
        acceptDelay: rnd.chance(0.55 + 0.45 * d) ? 0 : rnd.chance(0.6) ? 1 : 2,
        firstReportAfter: rnd.chance(d) ? rnd.int(1, 2) : rnd.int(3, 5),
        reportEvery: d > 0.7 ? rnd.int(3, 4) : rnd.int(4, 7),
        finishBias: d > 0.75 ? rnd.int(-4, -1) : d > 0.5 ? rnd.int(-2, 0) : rnd.int(-1, 3),
        ...(rnd.chance(0.25) ? { difficultyAt: 0.3 + 0.3 * rnd.next() } : {}),
        answerDelay: rnd.int(1, 3),
        keepsMilestones: rnd.chance(d),
        answersNotices: rnd.chance(0.4 + 0.6 * d),
        stories: new Set(),
      });
    }
    allocateStories(quarterPlans, rnd, options.totalDays);
    plans.push(...quarterPlans);
  });
  return plans;
};

/** Gives some tasks of a quarter the stories the demo must show, on tasks that can carry them. */
const allocateStories = (
  plans: Array<TaskPlan & { stories: Set<Story> }>,
  rnd: Random,
  totalDays: number,
) => {
  const free = rnd.shuffle(plans);
  const take = (story: Story, fits: (p: TaskPlan) => boolean) => {
    const i = free.findIndex((p) => fits(p) && p.assignDay + p.deadlineDays + 12 < totalDays);
    const j = i >= 0 ? i : free.findIndex(fits);
    if (j < 0) return;
    free[j]!.stories.add(story);
    free.splice(j, 1);
  };
  take('escalation', (p) => !p.originMain && !p.key && p.deadlineDays >= 12);
  take('extension-granted', (p) => p.deadlineDays >= 12);
  take('extension-refused', (p) => p.deadlineDays >= 12);
  take('rectification', (p) => p.deadlineDays >= 10);
  take('recognition', (p) => p.diligence > 0.6);
  take('sent-back-review', () => true);
  take('sent-back-approval', () => true);
  take('criticism', (p) => p.diligence < 0.7);
  take('override', (p) => p.finishBias > 0);
  take('partial', (p) => !p.key && p.deadlineDays >= 12);
};
