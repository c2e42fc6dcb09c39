import { spec, taskFixture } from '@duban/testing';
import { fold, taskDecider, type TaskCommand, type TaskEvent } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const accepted = f.history(f.assign(), f.accept(), f.report());
const withSteps = (...steps: TaskCommand[]) => f.history(f.assign(), f.accept(), f.report(), ...steps);
const opened = withSteps(f.openRectification());
const planned = withSteps(f.openRectification(), f.planRectification());
const completed = withSteps(f.openRectification(), f.planRectification(), f.completeRectification());
const passed = withSteps(
  f.openRectification(),
  f.planRectification(),
  f.completeRectification(),
  f.lookBack('passed'),
);
const failed = withSteps(
  f.openRectification(),
  f.planRectification(),
  f.completeRectification(),
  f.lookBack('failed'),
);
const types = (events: readonly TaskEvent[]) => events.map((e) => e.type);

describe('问题整改: a rectification goes open → plan → completed → look-back (回头看/再检查)', () => {
  describe('OpenRectification', () => {
    it('records the problem, where it was found and when it is due', () => {
      task
        .given(accepted)
        .when(f.openRectification())
        .then([
          {
            type: 'RectificationOpened',
            data: {
              taskId: f.taskId,
              at: f.day(9),
              rectificationId: 'R-1',
              problem: 'Queues at the county window',
              source: 'inspection',
              dueBy: f.day(15),
            },
          },
        ]);
    });

    it.each([
      ['the supervising section', f.actors.section],
      ['the inspection office', f.actors.inspectionOffice],
      ['the main leader', f.actors.mainLeader],
    ])('is opened by %s', (_, actor) => {
      task
        .given(accepted)
        .when(f.openRectification('R-1', f.day(9), actor))
        .thenEvents((events) => expect(types(events)).toEqual(['RectificationOpened']));
    });

    it('is opened by the section that handed the task out even when the inspection office supervises it', () => {
      const m = taskFixture({ origin: 'main-leader' });
      task
        .given(m.history(m.assign(), m.accept()))
        .when(m.openRectification('R-1', m.day(9), m.actors.section))
        .thenEvents((events) => expect(types(events)).toEqual(['RectificationOpened']));
    });

    it.each([
      ['the lead unit', f.actors.leadUnit],
      ['a co-unit', f.actors.coUnit],
      ['another section', f.actors.otherSection],
      ['the deputy leader', f.actors.deputyLeader],
    ])('is not opened by %s', (_, actor) => {
      task
        .given(accepted)
        .when(f.openRectification('R-1', f.day(9), actor))
        .thenRejects('NotAuthorized');
    });

    it('needs a due date after its opening (限期整改)', () => {
      task
        .given(accepted)
        .when(f.openRectification('R-1', f.day(9), f.supervisor, f.day(9)))
        .thenRejects('DueDateNotInFuture');
      task
        .given(accepted)
        .when(f.openRectification('R-1', f.day(9), f.supervisor, f.day(8)))
        .thenRejects('DueDateNotInFuture');
    });

    it('decides nothing for the same rectification opened again; another id is another rectification', () => {
      task
        .given(opened)
        .when(f.openRectification('R-1', f.day(10)))
        .thenNothingHappens();
      task
        .given(opened)
        .when(f.openRectification('R-2', f.day(10)))
        .thenEvents((events) => expect(types(events)).toEqual(['RectificationOpened']));
    });
  });

  describe('SubmitRectificationPlan (整改方案)', () => {
    it('is submitted by the lead unit', () => {
      task
        .given(opened)
        .when(f.planRectification())
        .then([
          {
            type: 'RectificationPlanSubmitted',
            data: { taskId: f.taskId, at: f.day(10), rectificationId: 'R-1', measures: ['Add two windows'] },
          },
        ]);
    });

    it('is not submitted by anyone else', () => {
      task
        .given(opened)
        .when(f.planRectification('R-1', f.day(10), f.actors.coUnit))
        .thenRejects('NotAuthorized');
      task
        .given(opened)
        .when(f.planRectification('R-1', f.day(10), f.actors.section))
        .thenRejects('NotAuthorized');
    });

    it('needs the rectification opened on this task', () => {
      task.given(opened).when(f.planRectification('R-9')).thenRejects('RectificationNotFound', 'R-9');
    });

    it('decides nothing once a plan stands', () => {
      task
        .given(planned)
        .when(f.planRectification('R-1', f.day(10, 1)))
        .thenNothingHappens();
      task
        .given(completed)
        .when(f.planRectification('R-1', f.day(12)))
        .thenNothingHappens();
      task
        .given(passed)
        .when(f.planRectification('R-1', f.day(13)))
        .thenNothingHappens();
    });

    it('is submitted anew after a failed look-back', () => {
      task
        .given(failed)
        .when(f.planRectification('R-1', f.day(13)))
        .thenEvents((events) => expect(types(events)).toEqual(['RectificationPlanSubmitted']));
    });
  });

  describe('CompleteRectification (限期整改到位)', () => {
    it('is reported by the lead unit after the plan', () => {
      task
        .given(planned)
        .when(f.completeRectification())
        .then([
          {
            type: 'RectificationCompleted',
            data: { taskId: f.taskId, at: f.day(11), rectificationId: 'R-1', summary: 'Windows added' },
          },
        ]);
    });

    it('needs a plan first', () => {
      task.given(opened).when(f.completeRectification()).thenRejects('RectificationOutOfOrder');
      task
        .given(failed)
        .when(f.completeRectification('R-1', f.day(13)))
        .thenRejects('RectificationOutOfOrder');
    });

    it('is reported only by the lead unit', () => {
      task
        .given(planned)
        .when(f.completeRectification('R-1', f.day(11), f.actors.section))
        .thenRejects('NotAuthorized');
    });

    it('needs the rectification opened on this task', () => {
      task.given(planned).when(f.completeRectification('R-9')).thenRejects('RectificationNotFound');
    });

    it('decides nothing when already completed or passed', () => {
      task
        .given(completed)
        .when(f.completeRectification('R-1', f.day(11, 1)))
        .thenNothingHappens();
      task
        .given(passed)
        .when(f.completeRectification('R-1', f.day(13)))
        .thenNothingHappens();
    });
  });

  describe('ReviewLookBack (回头看/再检查)', () => {
    it('finds a completed rectification passed', () => {
      task
        .given(completed)
        .when(f.lookBack('passed'))
        .then([
          {
            type: 'LookBackReviewed',
            data: {
              taskId: f.taskId,
              at: f.day(12),
              rectificationId: 'R-1',
              result: 'passed',
              findings: 'No queues',
            },
          },
        ]);
    });

    it('finds a completed rectification failed, and the task then has a failed look-back on record', () => {
      task
        .given(completed)
        .when(f.lookBack('failed'))
        .thenEvents(([reviewed]) => expect(reviewed!.data).toMatchObject({ result: 'failed' }));
      expect(fold(taskDecider, failed).lookBacksFailed).toHaveLength(1);
      expect(fold(taskDecider, failed).rectifications[0]!.status).toBe('failed');
    });

    it('needs the rectification completed', () => {
      task.given(opened).when(f.lookBack('passed')).thenRejects('RectificationOutOfOrder');
      task.given(planned).when(f.lookBack('failed')).thenRejects('RectificationOutOfOrder');
    });

    it('needs the rectification opened on this task', () => {
      task.given(completed).when(f.lookBack('passed', 'R-9')).thenRejects('RectificationNotFound');
    });

    it('is reviewed by the supervisor, not by the unit that did the work', () => {
      task
        .given(completed)
        .when(f.lookBack('passed', 'R-1', f.day(12), f.actors.leadUnit))
        .thenRejects('NotAuthorized');
      task
        .given(completed)
        .when(f.lookBack('passed', 'R-1', f.day(12), f.actors.inspectionOffice))
        .thenEvents((events) => expect(types(events)).toEqual(['LookBackReviewed']));
    });

    it('decides nothing when the same finding is reviewed again, passed or failed', () => {
      task
        .given(passed)
        .when(f.lookBack('passed', 'R-1', f.day(13)))
        .thenNothingHappens();
      task
        .given(failed)
        .when(f.lookBack('failed', 'R-1', f.day(13)))
        .thenNothingHappens();
    });

    it('may find a passed rectification failed on a later check (再检查)', () => {
      task
        .given(passed)
        .when(f.lookBack('failed', 'R-1', f.day(16)))
        .thenEvents(([reviewed]) => expect(reviewed!.data).toMatchObject({ result: 'failed' }));
    });

    it('runs the cycle again after a failure: new plan, completion, look-back passed', () => {
      const again = withSteps(
        f.openRectification(),
        f.planRectification(),
        f.completeRectification(),
        f.lookBack('failed'),
        f.planRectification('R-1', f.day(13)),
        f.completeRectification('R-1', f.day(14)),
      );
      task
        .given(again)
        .when(f.lookBack('passed', 'R-1', f.day(15)))
        .thenEvents((events) => expect(types(events)).toEqual(['LookBackReviewed']));
      expect(fold(taskDecider, [...again]).rectifications[0]!.lookBacks).toHaveLength(1);
    });
  });

  it('tracks rectifications independently', () => {
    const two = withSteps(
      f.openRectification('R-1'),
      f.openRectification('R-2', f.day(9, 1)),
      f.planRectification('R-2'),
    );
    task.given(two).when(f.completeRectification('R-1')).thenRejects('RectificationOutOfOrder');
    task
      .given(two)
      .when(f.completeRectification('R-2'))
      .thenEvents((events) => expect(types(events)).toEqual(['RectificationCompleted']));
  });
});
