import { defaultContext, DEFAULT_SCORING_POLICY } from '@duban/domain';
import { rebuild, supervisionProjection, unitScorecard } from '@duban/engine';
import { createEngine, createInMemoryEventStore } from '@duban/engine';
import { runQuarterScenario } from '@duban/testing';

const quarterScenario = async (engine = createEngine({ store: createInMemoryEventStore() })) => ({
  engine,
  ...(await runQuarterScenario(engine)),
});

/*
 * Hand-computed ranking for 2022Q1 under the default policy (points 100/90/75/60/40, key ×2,
 * co-unit weight ½, co-units carry ½ of deductions, late closure −3, written notice −2):
 *   commerce : T1 lead good 90×1 = 90; T3 co poor 60×½ = 30 → 120 / 1.5 = 80;  T3 late −3×½ = −1.5 → 78.5
 *   finance  : T1 co-unit, never reported on its part: poor 60×½ = 30; T2 lead key basic 75×2 = 150
 *              → 180 / 2.5 = 72; notice −2 → 70
 *   transport: T3 lead poor 60×1 = 60 → 60; late closure −3 → 57
 */
describe('quarterly scorecard and ranking (按季度通报评分排名)', () => {
  it('matches the hand-computed ranking line by line', async () => {
    const { engine } = await quarterScenario();
    const ctx = defaultContext();
    const model = await rebuild(supervisionProjection, engine.readAll());
    const ranking = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, ctx);
    expect(ranking.map((s) => [s.rank, s.unitId, s.average, s.deductions, s.score])).toEqual([
      [1, 'bureau-of-commerce', 80, 1.5, 78.5],
      [2, 'bureau-of-finance', 72, 2, 70],
      [3, 'bureau-of-transport', 60, 3, 57],
    ]);
    const commerce = ranking[0]!;
    expect(commerce.lines.map((l) => [l.kind, l.taskId, l.points])).toEqual([
      ['grade', 'T1', 90],
      ['grade', 'T3', 30],
      ['average', undefined, 80],
      ['deduction', 'T3', -1.5],
    ]);
    expect(commerce.tasksByGrade).toMatchObject({ good: 1, poor: 1 });
    // Every deduction names the event it rests on.
    expect(ranking[1]!.lines.find((l) => l.kind === 'deduction')!.evidence).toEqual([
      { streamId: 'task-T2', revision: 4, type: 'SupervisionNoticeIssued' },
    ]);
  });

  it('puts units with the same score in the same rank, fewer overdue items first', async () => {
    const { engine } = await quarterScenario();
    const model = await rebuild(supervisionProjection, engine.readAll());
    const flat = {
      ...DEFAULT_SCORING_POLICY,
      gradePoints: { excellent: 60, good: 60, basic: 60, poor: 60, 'very-poor': 60 },
      deductions: { lateFeedback: 0, lateClosure: 0, closureSentBack: 0, writtenNotice: 0, interview: 0 },
    };
    const ranking = unitScorecard(model, '2022Q1', flat, defaultContext());
    // All score 60; commerce and transport each have the overdue T3, finance has none.
    expect(ranking.map((s) => [s.rank, s.unitId, s.overdue])).toEqual([
      [1, 'bureau-of-finance', 0],
      [2, 'bureau-of-commerce', 1],
      [2, 'bureau-of-transport', 1],
    ]);
  });

  it('counts a task in the quarter of its closure, in the deployment time zone', async () => {
    const { engine } = await quarterScenario();
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(unitScorecard(model, '2022Q2', DEFAULT_SCORING_POLICY, defaultContext())).toEqual([]);
  });
});
