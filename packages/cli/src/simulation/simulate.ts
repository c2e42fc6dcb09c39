import { defaultContext, type DomainContext } from '@duban/domain';
import {
  createDeadlineSweeper,
  createEngine,
  type Engine,
  type EventStore,
  type SupervisionModel,
} from '@duban/engine';
import { assignmentActions, settleOnWorkingDays } from './assignment';
import { createClock, instantOn, previousDate, quarterBounds, zoneOf } from './clock';
import { closureApprovalActions } from './closure-approval';
import { OFFICE_UTC_OFFSET, UNITS } from './office';
import { recordOffice } from './office-record';
import { drawDiligence, drawTaskPlans } from './plans';
import { createRandom } from './prng';
import { endQuarter } from './quarter-end';
import { createRunner, type Refusal } from './run';
import { supervisionActions } from './supervision';
import { followPlan } from './task-view';
import { taskWorkActions } from './task-work';
import { createUnitRecords } from './unit-records';

export type { Refusal } from './run';

/**
 * A deterministic simulation of a municipal government office (市政府办公室) running the seed's
 * work-implementation mechanism for some quarters. The office goes on record first (office-record.ts):
 * its leaders and their portfolios (分管), sections, units, staff and the State Council's calendars. Then,
 * working day by working day of that calendar: the 13710 system sweeps the deadlines (08:30); sections
 * hand out tasks from the eight sources (assignment.ts, 09:00); units accept, plan, report, reply and
 * apply for closure (task-work.ts, 10:00); the office supervises — answers, decides, reviews, urges,
 * warns, notices, escalates, inspects, interviews (supervision.ts, unit-records.ts, 16:00); leaders
 * approve closures (closure-approval.ts, 17:00). After each quarter the 通报 is published, and after a
 * year its evaluation, sent on (quarter-end.ts).
 *
 * Every decision comes from a seeded PRNG (plans.ts draws the workload up front) and every instant from
 * the simulated calendar — never from the system clock — so one seed always yields the same history,
 * byte for byte. The office acts through the engine, reading the state back from the event log like any
 * other client (run.ts).
 */
export interface SimulationOptions {
  readonly store: EventStore;
  readonly ctx?: DomainContext;
  /** Number of units (departments and counties), at most the office's 25. */
  readonly units: number;
  /** Tasks assigned in each simulated quarter. */
  readonly tasks: number;
  readonly seed: string;
  /** The quarters simulated, in order, e.g. ['2021Q4', '2022Q1']. */
  readonly quarters: readonly string[];
  /** Called after each simulated day (for a progress bar). */
  readonly onDay?: (done: number, total: number) => void;
}

export interface SimulationResult {
  readonly engine: Engine;
  readonly model: SupervisionModel;
  /** The morning after the simulated period, once the last quarter's 通报 is out. */
  readonly asOf: string;
  readonly tasks: number;
  readonly commands: number;
  /** Commands the rules refused: none, unless the simulation and the domain disagree. */
  readonly refusals: readonly Refusal[];
  readonly unitIds: readonly string[];
}

export const simulateOffice = async (options: SimulationOptions): Promise<SimulationResult> => {
  const defaults = options.ctx ?? defaultContext();
  const rnd = createRandom(options.seed);
  const engine = createEngine({ store: options.store, context: defaults });
  const sweeper = createDeadlineSweeper(engine);
  const run = createRunner(engine, defaults);
  const quarters = options.quarters;

  // —— the office: which units take part, and how diligent each is ——
  const unitCount = Math.max(2, Math.min(options.units, UNITS.length));
  const unitIds = rnd
    .shuffle(UNITS.map(([id]) => id))
    .slice(0, unitCount)
    .sort();
  const diligence = drawDiligence(rnd, unitIds);

  // —— on record the day before the first quarter, with the calendars of every year it touches ——
  const setupDate = previousDate(quarterBounds(quarters[0]!)[0]);
  const zone = zoneOf(OFFICE_UTC_OFFSET);
  const firstYear = Number(quarters[0]!.slice(0, 4));
  const lastYear = Number(quarters.at(-1)!.slice(0, 4)) + (quarters.at(-1)!.endsWith('Q4') ? 1 : 0);
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, k) => firstYear + k);
  const setupAt = (seconds: number) => instantOn(setupDate, seconds, zone);
  await recordOffice(run, { at: setupAt, unitIds, years });
  const clock = createClock(run.ctxAt(setupAt(18 * 3600)).calendar, quarters);

  // —— the tasks of each quarter, with their stories, handed out on days nothing falls due in a holiday ——
  const plans = settleOnWorkingDays(
    drawTaskPlans(rnd, {
      unitIds,
      diligence,
      quarters: quarters.map((name, qi) => ({ name, days: clock.daysOf(qi) })),
      tasks: options.tasks,
      totalDays: clock.days.length,
    }),
    clock,
  ).map(followPlan);

  const unitRecords = createUnitRecords(run, clock, rnd, plans, unitIds, quarters);
  const noticeNo = { n: 0 };
  const days = clock.days.length;
  for (let day = 0; day < days; day++) {
    const at = (seconds: number) => clock.at(day, seconds);
    const qi = clock.quarterOfDay[day]!;
    // 08:00 on the first working day of a quarter: the 通报 of the one before.
    if (day > 0 && clock.quarterOfDay[day - 1] !== qi)
      await endQuarter(run, { quarter: quarters[qi - 1]!, at, last: false, index: qi - 1 });

    // 08:30 the 13710 system sweeps the deadlines.
    await sweeper.sweep(run.model, at(8 * 3600 + 30 * 60));
    await run.catchUp();
    await run.runPhase(at, 9 * 3600, assignmentActions(run, clock, plans, day));
    await run.runPhase(at, 10 * 3600, taskWorkActions(run, clock, rnd, plans, day));
    await run.runPhase(at, 16 * 3600, [
      ...supervisionActions(run, clock, rnd, plans, day, noticeNo),
      ...unitRecords.actions(day),
    ]);
    await run.runPhase(at, 17 * 3600, closureApprovalActions(run, clock, plans, day));
    options.onDay?.(day + 1, days);
  }
  // The first working morning after the period: the last quarter's 通报 (and the year's, after a Q4).
  await endQuarter(run, {
    quarter: quarters.at(-1)!,
    at: (seconds) => clock.at(days, seconds),
    last: true,
    index: quarters.length - 1,
  });

  return {
    engine,
    model: run.model,
    asOf: clock.at(days, 9 * 3600),
    tasks: plans.length,
    commands: run.commands(),
    refusals: run.refusals,
    unitIds,
  };
};
