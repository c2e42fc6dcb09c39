import { spec, taskFixture } from '@duban/testing';
import { taskDecider } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);

describe('a task from assignment to closure (工作流程)', () => {
  it('is assigned by the section with the main leader approval and supervised by that section', () => {
    task
      .given([])
      .when(f.assign())
      .thenEvents(([assigned]) => {
        expect(assigned).toMatchObject({
          type: 'TaskAssigned',
          data: {
            taskId: f.taskId,
            supervisor: { kind: 'section', sectionId: 'section-2' },
            complexity: 'major',
          },
        });
      });
  });

  it('runs the whole chain: accept, plan, report, close ahead of time as good', () => {
    const events = f.history(
      f.assign(),
      f.accept(),
      f.submitPlan(),
      f.report(),
      f.requestClosure(),
      f.reviewClosure('good'),
    );
    task
      .given(events)
      .when(f.approveClosure('good'))
      .thenEvents(([closed]) => {
        expect(closed).toMatchObject({
          type: 'TaskClosed',
          data: { grade: 'good', suggestedGrade: 'good', proposedGrade: 'good' },
        });
      });
  });

  it('accepts a repeated AcceptTask with no events', () => {
    task.given(f.history(f.assign(), f.accept())).when(f.accept()).thenNothingHappens();
  });

  it('rejects acceptance by a co-unit', () => {
    task
      .given(f.history(f.assign()))
      .when(f.accept(f.day(0, 2), f.actors.coUnit))
      .thenRejects('NotAuthorized');
  });
});
