import { defaultContext, taskStreamId, DEFAULT_SCORING_POLICY } from '@duban/domain';
import { runSeedWorkflow, SEED_WORKFLOW_EVENTS } from '@duban/testing';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  verifyAll,
} from '@duban/engine';

describe('the whole seed workflow through the engine (工作流程 end to end)', () => {
  it('runs a key task from registration to regrading, and the read models follow', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    const { f, types } = await runSeedWorkflow(engine);
    expect(types).toEqual(SEED_WORKFLOW_EVENTS);

    const stream = await engine.readStream(taskStreamId('E2E'));
    const closed = stream.find((e) => e.type === 'TaskClosed')!;
    expect(closed.data).toMatchObject({
      grade: 'good',
      suggestedGrade: 'basic',
      proposedGrade: 'basic',
      justification: 'Pilot praised by the province',
      approvedBy: { kind: 'main-leader' },
    });
    expect(stream.at(-1)!.data).toMatchObject({
      from: 'good',
      to: 'excellent',
      cause: { type: 'RecognitionRecorded', revision: 23 },
    });
    expect((await verifyAll(engine.readAll())).ok).toBe(true);

    const ctx = defaultContext();
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(taskBoard(model, f.day(26), ctx)[0]).toMatchObject({
      status: 'closed',
      supervisor: 'inspection-office',
      deadline: f.day(22, 8),
      extended: true,
      finalGrade: 'excellent',
      suggestedGrade: 'basic',
      urges: 2,
      openRectifications: [],
    });
    const [lead, co] = unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, ctx);
    // Key task, excellent: 100 × 2; sent back once (−1), one written notice (−2).
    expect(lead).toMatchObject({
      rank: 1,
      unitId: 'bureau-of-commerce',
      average: 100,
      deductions: 3,
      score: 97,
    });
    // The co-unit never reported on its part: graded poor on it (60), carrying half the deductions.
    expect(co).toMatchObject({
      rank: 2,
      unitId: 'bureau-of-finance',
      average: 60,
      deductions: 1.5,
      score: 58.5,
    });
  });
});
