import { taskDecider } from '@duban/domain';
import { spec, taskFixture } from '@duban/testing';

// The example the README opens with; kept here so it cannot rot.
const f = taskFixture();
const task = spec(taskDecider);

test('only the lead unit signs for a task (牵头单位签收)', () => {
  task
    .given(f.history(f.assign()))
    .when(f.accept())
    .then([
      {
        type: 'TaskAccepted',
        data: {
          taskId: f.taskId,
          at: f.day(0, 2),
          unitId: 'bureau-of-commerce',
          deployment: 'Party group meeting assigned a task force',
        },
      },
    ]);
  task
    .given(f.history(f.assign()))
    .when(f.accept(f.day(0, 2), f.actors.coUnit))
    .thenRejects('NotAuthorized');
  task.given(f.history(f.assign(), f.accept())).when(f.accept()).thenNothingHappens();
});

describe('the kit reports failures readably', () => {
  it('fails then() with a diff when the events differ', () => {
    expect(() => task.given(f.history(f.assign())).when(f.accept()).then([])).toThrow(
      /other events than expected[\s\S]*TaskAccepted/,
    );
  });
  it('fails thenRejects() when the command succeeds', () => {
    expect(() => task.given(f.history(f.assign())).when(f.accept()).thenRejects('NotAuthorized')).toThrow(
      /Expected rejection NotAuthorized/,
    );
  });
  it('fails thenNothingHappens() when events are produced', () => {
    expect(() => task.given(f.history(f.assign())).when(f.accept()).thenNothingHappens()).toThrow(
      /Expected no events/,
    );
  });
  it('fails when a decider produces an event its codec does not accept', () => {
    const broken = {
      ...taskDecider,
      decide: () => ({ _tag: 'Right' as const, right: [{ type: 'TaskUrged', data: { taskId: 'T' } }] }),
    };
    expect(() =>
      spec(broken as never)
        .given([])
        .when(f.urge() as never)
        .thenEvents(() => {}),
    ).toThrow(/does not match its codec/);
  });
});
