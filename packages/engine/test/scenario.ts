import { isLeft } from 'fp-ts/Either';
import { taskFixture } from '@duban/testing';
import type { Actor, TaskCommand } from '@duban/domain';
import { createEngine, createInMemoryEventStore, type Engine } from '@duban/engine';

/** A small quarter (2022Q1) with three units, used by several engine tests. Numbers in scorecard.test.ts. */
export const units = {
  commerce: { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' } as Actor,
  finance: { id: 'officer-wu', kind: 'unit', unitId: 'bureau-of-finance' } as Actor,
  transport: { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' } as Actor,
};

let counter = 0;
export const exec = async (engine: Engine, command: TaskCommand) => {
  const result = await engine.execute(
    { type: command.type, data: command.data },
    { actor: command.actor, at: command.at, commandId: `scenario-${++counter}` },
  );
  if (isLeft(result)) throw new Error(`${command.type} rejected: ${JSON.stringify(result.left)}`);
  return result.right;
};

export const quarterScenario = async (
  engine: Engine = createEngine({ store: createInMemoryEventStore() }),
) => {
  // T1: commerce leads, finance co-operates; closed well ahead of the deadline, unprompted → good.
  const t1 = taskFixture({ taskId: 'T1' });
  for (const c of [
    t1.assign(),
    t1.accept(),
    t1.submitPlan(),
    t1.report(),
    t1.requestClosure(),
    t1.reviewClosure('good'),
    t1.approveClosure('good'),
  ])
    await exec(engine, c);

  // T2: finance leads a key task; urged and sent a written notice, then done in time → basic.
  const t2 = taskFixture({ taskId: 'T2', key: true });
  const f = units.finance;
  for (const c of [
    t2.assign({ leadUnit: 'bureau-of-finance', coUnits: [] }),
    t2.accept(undefined, f),
    t2.report({}, t2.day(2), f),
    t2.urge(),
    t2.notice(),
    t2.requestClosure(t2.day(12), f),
    t2.reviewClosure('basic'),
    t2.approveClosure('basic'),
  ])
    await exec(engine, c);

  // T3: transport leads, commerce co-operates; deadline in 5 working days, closure applied for late → poor.
  const t3 = taskFixture({ taskId: 'T3', deadlineInWorkingDays: 5 });
  const tr = units.transport;
  for (const c of [
    t3.assign({ leadUnit: 'bureau-of-transport', coUnits: ['bureau-of-commerce'] }),
    t3.accept(undefined, tr),
    t3.report({}, t3.day(2), tr),
    t3.checkDeadlines(t3.day(6)),
    t3.requestClosure(t3.day(8), tr),
    t3.reviewClosure('poor', t3.day(9)),
    t3.approveClosure('poor', t3.day(10)),
  ])
    await exec(engine, c);
  return { engine, t1, t2, t3 };
};
