import { createEngine, createInMemoryEventStore, rebuild, supervisionProjection } from '@duban/engine';
import { runQuarterScenario } from '@duban/testing';
import { tasksById } from '../src/projections/task-order';

/**
 * The queries list tasks in id order, kept between queries on a model that did not change: a task
 * folded in later, or a task's state replaced, must show in the next query's list, never an old one.
 */
describe('tasks in id order', () => {
  it('lists every task by id, and follows the model as it changes', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    await runQuarterScenario(engine);
    const model = await rebuild(supervisionProjection, engine.readAll());
    const ids = tasksById(model).map((t) => t.taskId);
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
    expect(ids.length).toBeGreaterThan(1);

    // A task folded in afterwards (the event count moves on).
    const first = tasksById(model)[0]!;
    const added = { ...first, taskId: '0-first' };
    model.tasks['0-first'] = added;
    model.events += 1;
    expect(tasksById(model)[0]).toBe(added);

    // A state replaced under the same key, nothing else changed.
    const replaced = { ...first };
    model.tasks[first.taskId] = replaced;
    expect(tasksById(model)).toContain(replaced);
    expect(tasksById(model)).not.toContain(first);

    // What a caller does to the list it got does not reach the next caller.
    tasksById(model).reverse();
    expect(tasksById(model)[0]).toBe(added);
  });
});
