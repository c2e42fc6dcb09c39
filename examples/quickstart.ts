/**
 * Embedding Duban in ~30 lines: assign a task, let the lead unit accept and close it, and read the
 * task board and the quarter's ranking. Run with `pnpm quickstart`.
 */
import { DEFAULT_SCORING_POLICY } from '@duban/domain';
import { isLeft } from 'fp-ts/Either';
import type { Actor } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  taskBoard,
  unitScorecard,
} from '@duban/engine';

const section: Actor = { id: 'clerk-zhao', kind: 'section', unitId: 'section-2' };
const commerce: Actor = { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' };
const viceMayor: Actor = { id: 'vice-mayor-li', kind: 'deputy-leader' };
const engine = createEngine({ store: createInMemoryEventStore() });

const steps: Array<[Actor, string, string, Record<string, unknown>]> = [
  [
    section,
    '2022-03-01T09:00:00+08:00',
    'AssignTask',
    {
      title: 'Cut business registration to 3 working days',
      source: 'government-meeting-decisions',
      leadUnit: 'bureau-of-commerce',
      coUnits: ['bureau-of-finance'],
      coUnitDuties: [{ unitId: 'bureau-of-finance', duty: 'Waive the registration fees' }],
      deadline: '2022-03-31T17:00:00+08:00',
      approval: { ref: 'CZ-GOV-2022-017', by: 'mayor' },
      origin: { kind: 'deputy-leader', leaderId: 'vice-mayor-li' },
      sectionId: 'section-2',
    },
  ],
  [commerce, '2022-03-01T15:00:00+08:00', 'AcceptTask', { deployment: 'Task force set up' }],
  [
    commerce,
    '2022-03-03T10:00:00+08:00',
    'ReportProgress',
    { status: 'on-track', summary: 'Windows merged', percentComplete: 60 },
  ],
  [
    commerce,
    '2022-03-15T10:00:00+08:00',
    'RequestClosure',
    { summary: 'Done citywide', results: '3 working days' },
  ],
  [
    section,
    '2022-03-16T10:00:00+08:00',
    'ReviewClosure',
    { proposedGrade: 'good', opinion: 'Ahead of time' },
  ],
  [viceMayor, '2022-03-17T10:00:00+08:00', 'ApproveClosure', { grade: 'good' }],
];

async function main() {
  for (const [actor, at, type, data] of steps) {
    const result = await engine.execute(
      { type, data: { taskId: 'T-001', ...data } },
      { actor, at, commandId: `${type}-T-001` },
    );
    if (isLeft(result)) throw new Error(`${type}: ${result.left.message}`);
    console.log(
      `${at}  ${actor.id.padEnd(14)} ${type.padEnd(15)} → ${result.right.events.map((e) => e.type).join(', ')}`,
    );
  }
  const model = await rebuild(supervisionProjection, engine.readAll());
  console.log(taskBoard(model, '2022-03-18T09:00:00+08:00', engine.context));
  for (const s of unitScorecard(model, '2022Q1', DEFAULT_SCORING_POLICY, engine.context))
    console.log(`#${s.rank} ${s.unitId}: ${s.score}\n  ${s.lines.map((l) => l.text).join('\n  ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
