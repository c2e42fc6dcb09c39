import { createRandom } from '../src/simulation/prng';
import { drawDiligence, drawTaskPlans, type PlanOptions } from '../src/simulation/plans';

/** The one seeded workload generator the demo and the benchmark (bench/workload.ts) draw their tasks from. */
describe('task plans', () => {
  const unitIds = Array.from({ length: 40 }, (_, i) => `unit-${i + 1}`);
  const draw = (seed: string) => {
    const rnd = createRandom(seed);
    const options: PlanOptions = {
      unitIds,
      diligence: drawDiligence(rnd, unitIds),
      quarters: [
        { name: '2021Q4', days: Array.from({ length: 60 }, (_, k) => k) },
        { name: '2022Q1', days: Array.from({ length: 58 }, (_, k) => 60 + k) },
      ],
      tasks: 50,
      totalDays: 118,
    };
    return drawTaskPlans(rnd, options);
  };

  it('are the same for a seed, and another seed draws others', () => {
    const strip = (plans: ReturnType<typeof draw>) =>
      JSON.stringify(plans.map((p) => ({ ...p, stories: [...p.stories] })));
    expect(strip(draw('a'))).toBe(strip(draw('a')));
    expect(strip(draw('a'))).not.toBe(strip(draw('b')));
  });

  it('hand each quarter its tasks in its first 90% of working days, numbered by year, with distinct co-units other than the lead', () => {
    const plans = draw('a');
    expect(plans).toHaveLength(100);
    expect(plans.slice(0, 50).every((p) => p.quarter === 0 && p.assignDay >= 0 && p.assignDay < 54)).toBe(
      true,
    );
    expect(plans.slice(50).every((p) => p.quarter === 1 && p.assignDay >= 60 && p.assignDay < 60 + 52)).toBe(
      true,
    );
    expect(plans[0]!.taskId).toBe('DB2021-001');
    expect(plans[50]!.taskId).toBe('DB2022-001');
    for (const p of plans) {
      expect(p.coUnits).not.toContain(p.lead);
      expect(new Set(p.coUnits).size).toBe(p.coUnits.length);
      expect(Object.keys(p.coUnitHabits).sort()).toEqual([...p.coUnits].sort());
    }
    // Every habit of a co-unit occurs: its grade depends on it.
    expect(new Set(plans.flatMap((p) => Object.values(p.coUnitHabits)))).toEqual(
      new Set(['prompt', 'at-deadline', 'never']),
    );
  });

  it('give each quarter the stories the demo must show, each to one task', () => {
    const plans = draw('a');
    for (const quarter of [0, 1]) {
      const stories = plans.filter((p) => p.quarter === quarter).flatMap((p) => [...p.stories]);
      expect(stories.sort()).toEqual(
        [
          'criticism',
          'escalation',
          'extension-granted',
          'extension-refused',
          'override',
          'partial',
          'recognition',
          'rectification',
          'sent-back-approval',
          'sent-back-review',
        ].sort(),
      );
    }
  });
});
