import { applyTask, initialTaskState, type TaskEvent, type TaskState } from '@duban/domain';
import { baselineApply, baselineInitial } from '../bench/folds';
import { SIZES, workloadSteps } from '../bench/workload';

/**
 * The task states replay keeps share values between tasks (instants, facts, plans, frozen) to save
 * memory; what a reader sees must be exactly what a plain fold of the same events gives. Over the
 * benchmark's quick workload (50k events, 3,900 tasks), the shipped fold is compared with the bench's
 * hand-written mutable fold, which builds every value afresh and shares nothing.
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

it('the quick workload folds to the same task states as a fold that shares nothing', () => {
  const shipped = new Map<string, TaskState>();
  const plain = new Map<string, TaskState>();
  const { commandEvents: _slice, ...options } = SIZES.quick;
  let events = 0;
  for (const step of workloadSteps(options))
    for (const e of step.events as TaskEvent[]) {
      const id = e.data.taskId;
      shipped.set(id, applyTask(shipped.get(id) ?? initialTaskState(), e));
      plain.set(id, baselineApply(plain.get(id) ?? baselineInitial(), e));
      events++;
    }
  expect(events).toBe(SIZES.quick.maxEvents);
  let differing = 0;
  for (const [id, state] of shipped) if (canonical(state) !== canonical(plain.get(id))) differing++;
  expect({ tasks: shipped.size, differing }).toEqual({ tasks: plain.size, differing: 0 });
}, 300_000);
