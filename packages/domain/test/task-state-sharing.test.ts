import { taskFixture } from '@duban/testing';
import fc from 'fast-check';
import { applyTask, evolveTask, initialTaskState, type TaskEvent, type TaskState } from '@duban/domain';
import { sharedFact, sharedInstant } from '../src/task/shared-values';

/**
 * A new task's lists and records start shared by every new task (frozen), and become the task's own on
 * its first entry: folding into one state — in place, through immer, or into a structured clone — never
 * shows in another task, nor in another field of the same task.
 */
const f = taskFixture();
const events = f.history(f.assign(), f.accept(), f.urge(), f.report());

const foldInPlace = (state: TaskState) => {
  for (const e of events) applyTask(state, e);
  return state;
};

describe("a new task's shared empty lists", () => {
  it('become the folded task’s own: another new task stays empty', () => {
    const other = initialTaskState();
    const folded = foldInPlace(initialTaskState());
    expect(folded.urges).toHaveLength(1);
    expect(folded.leadReportTimes).toHaveLength(1);
    expect(other).toEqual(initialTaskState());
    expect(initialTaskState().urges).toEqual([]);
  });

  it('in a structured clone, stay one list per field', () => {
    const folded = foldInPlace(structuredClone(initialTaskState()));
    expect(folded.urges).toHaveLength(1);
    expect(folded.warnings).toEqual([]);
    expect(folded.closureRejections).toEqual([]);
    expect(folded.leadReportTimes).toHaveLength(1);
  });

  it('fold through immer to the same state as in place', () => {
    const immutable = events.reduce(evolveTask, initialTaskState());
    expect(immutable).toEqual(foldInPlace(initialTaskState()));
  });

  it('refuse a write that does not go through the recipes, instead of reaching every new task', () => {
    expect(() => initialTaskState().urges.push({ revision: 0, at: f.assignedAt })).toThrow(TypeError);
    expect(() => initialTaskState().signalled.missed.push(f.assignedAt)).toThrow(TypeError);
  });
});

describe('values shared between tasks', () => {
  // Texts may hold NUL, the separator of the sharing keys: two labels whose parts join to the same
  // characters must still come out as each task's own.
  it('are told apart by their whole content, whatever characters the texts hold', () => {
    const assigned = f.history(f.assign())[0]!;
    if (assigned.type !== 'TaskAssigned') throw new Error('the fixture assigns first');
    const withLabel = (en: string, zh: string): TaskState => {
      const limits = assigned.data.timeLimits!.map((l) => ({ ...l, label: { en, zh } }));
      return applyTask(initialTaskState(), { ...assigned, data: { ...assigned.data, timeLimits: limits } });
    };
    const first = withLabel('a\u0000b', 'c');
    const second = withLabel('a', 'b\u0000c');
    expect(first.timeLimits?.[0]?.label).toEqual({ en: 'a\u0000b', zh: 'c' });
    expect(second.timeLimits?.[0]?.label).toEqual({ en: 'a', zh: 'b\u0000c' });
  });
});

describe('what a folded task keeps', () => {
  const closing = f.history(
    f.assign(),
    f.accept(),
    f.report(),
    f.requestClosure(),
    f.reviewClosure('good'),
    f.approveClosure('good'),
  );
  const closedEvent = closing.find((e) => e.type === 'TaskClosed')!;
  const fold = () => closing.reduce(applyTask, initialTaskState());

  it('co-unit grades at closure: the event’s, one frozen copy for every task closed alike', () => {
    const first = fold();
    const second = fold();
    expect(closedEvent.type === 'TaskClosed' && closedEvent.data.coUnitGrades).toBeTruthy();
    expect(first.closed?.coUnitGrades).toEqual(
      closedEvent.type === 'TaskClosed' && closedEvent.data.coUnitGrades,
    );
    expect(second.closed?.coUnitGrades?.[0]).toBe(first.closed?.coUnitGrades?.[0]);
    // Shared, so no holder can write into it for the others.
    const grade = first.closed!.coUnitGrades![0]!;
    expect(
      Object.isFrozen(grade) && Object.isFrozen(grade.reasons) && Object.isFrozen(grade.reasons[0]),
    ).toBe(true);
    expect(closing.reduce(evolveTask, initialTaskState())).toEqual(first);
  });

  it('co-units, their duties and the reporting cadence: the event’s, one frozen copy for tasks assigned alike', () => {
    const assigned = f.history(f.assign())[0]!;
    if (assigned.type !== 'TaskAssigned') throw new Error('the fixture assigns first');
    const [first, second] = [
      applyTask(initialTaskState(), assigned),
      applyTask(initialTaskState(), assigned),
    ];
    expect(first.coUnits).toEqual(assigned.data.coUnits);
    expect(first.coUnitDuties).toEqual(assigned.data.coUnitDuties);
    expect(first.reportingCadence).toEqual(assigned.data.reportingCadence);
    expect(second.coUnits).toBe(first.coUnits);
    expect(second.coUnitDuties).toBe(first.coUnitDuties);
    expect(second.reportingCadence).toBe(first.reportingCadence);
    expect(Object.isFrozen(first.coUnits) && Object.isFrozen(first.coUnitDuties[0])).toBe(true);
  });

  it('a list read from a state is not changed by later folds into it', () => {
    const state = foldInPlace(initialTaskState());
    const urges = state.urges;
    applyTask(state, f.history(f.assign(), f.accept(), f.urge(), f.report(), f.urge()).at(-1)!);
    expect(urges).toHaveLength(1);
    expect(state.urges).toHaveLength(2);
  });
});

describe('facts shared between tasks', () => {
  const history = f.history(
    f.assign(),
    f.accept(),
    f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(6) }] }),
    f.report(),
  );
  const fold = (events: readonly TaskEvent[]) => events.reduce(applyTask, initialTaskState());

  it('a fact of the same revision at the same instant: one frozen copy, equal to what was recorded', () => {
    const [first, second] = [fold(history), fold(history)];
    expect(first.accepted).toEqual({ revision: 1, at: history[1]!.data.at });
    expect(second.accepted).toBe(first.accepted);
    expect(second.leadReportTimes[0]).toBe(first.leadReportTimes[0]);
    expect(Object.isFrozen(first.accepted)).toBe(true);
  });

  it('a plan with nothing met: one frozen copy; meeting a milestone copies it, the other task keeps its own', () => {
    const planned = history.slice(0, 3);
    const [first, second] = [fold(planned), fold(planned)];
    expect(second.planMilestones).toBe(first.planMilestones);
    expect(Object.isFrozen(first.planMilestones) && Object.isFrozen(first.planMilestones[0])).toBe(true);
    const met = f.history(
      f.assign(),
      f.accept(),
      f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(6) }] }),
      f.report({ milestonesMet: ['Pilot in two districts'] }),
    )[3]!;
    applyTask(first, met);
    expect(first.planMilestones[0]).toEqual({
      name: 'Pilot in two districts',
      due: second.planMilestones[0]!.due,
      met: { revision: 3, at: met.data.at },
    });
    expect(second.planMilestones[0]!.met).toBeUndefined();
    // Through immer, the same state as in place.
    expect([...planned, met].reduce(evolveTask, initialTaskState())).toEqual(first);
  });

  it('are what was recorded, whatever instants and revisions share a place in the memo', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(1000), fc.string()), { maxLength: 200 }), (pairs) => {
        for (const [revision, at] of pairs) {
          expect(sharedInstant(at)).toBe(at);
          expect(sharedFact(revision, at)).toEqual({ revision, at });
        }
      }),
    );
  });
});
