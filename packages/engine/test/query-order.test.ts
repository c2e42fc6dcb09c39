import { createCalendar, defaultContext, type DomainContext } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  taskBoard,
} from '@duban/engine';
import { runQuarterScenario } from '@duban/testing';
import { quarterIndexOf, quarterName } from '../src/projections/quarters';

/**
 * The queries' shortcuts give what the long way gives: quarters worked out as numbers name the quarter
 * the calendar names, and the board's ties on a deadline come in id order from the shared id order.
 */
describe('query shortcuts', () => {
  it('names the quarter of an instant as the calendar does, in any zone, on either side of a boundary', () => {
    for (const utcOffsetMinutes of [480, 0, -300, 345, 840, -720]) {
      const ctx = { ...defaultContext(), calendar: createCalendar({ utcOffsetMinutes }) };
      for (const year of [1999, 2022, 2024])
        for (const month of [0, 2, 3, 5, 6, 8, 9, 11])
          for (const day of [1, 28, 31])
            for (const hour of [-14, 0, 12, 23])
              for (const ms of [-1, 0, 1]) {
                const instant = Date.UTC(year, month, day, hour) + ms;
                expect(quarterName(quarterIndexOf(instant, ctx))).toBe(
                  ctx.calendar.quarterOf(new Date(instant).toISOString()),
                );
              }
    }
  });

  it('lists tasks due at the same instant by id, and follows a deadline moved by a later fold', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    await runQuarterScenario(engine);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const ctx: DomainContext = defaultContext();
    const now = '2022-04-01T09:00:00+08:00';
    const [first] = taskBoard(model, now, ctx);
    const state = model.tasks[first!.taskId]!;
    // Copies of one task under other ids, due at the same instant: id order, as `localeCompare` has it.
    for (const id of ['T-9', 'T-10', 't-2', 'A-1']) model.tasks[id] = { ...state, taskId: id };
    model.events += 1;
    const tied = taskBoard(model, now, ctx).filter((c) => c.deadline === state.deadline);
    const ids = tied.map((c) => c.taskId);
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
    expect(ids).toEqual(expect.arrayContaining(['T-9', 'T-10', 't-2', 'A-1']));

    // One of them moved a day earlier: it now comes first, whatever its id.
    const earlier = new Date(Date.parse(state.deadline) - 86_400_000).toISOString();
    model.tasks['T-9'] = { ...state, taskId: 'T-9', deadline: earlier };
    model.events += 1;
    expect(taskBoard(model, now, ctx)[0]!.taskId).toBe('T-9');
  });
});
