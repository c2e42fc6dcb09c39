import { spec, taskFixture } from '@duban/testing';
import { isLeft } from 'fp-ts/Either';
import { fold, taskDecider } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const assigned = f.history(f.assign());
const accepted = f.history(f.assign(), f.accept());

describe('签收: AcceptTask', () => {
  it('records the lead unit signing for the task, with its deployment (研究部署)', () => {
    task
      .given(assigned)
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
  });

  it.each([
    ['a co-unit', f.actors.coUnit],
    ['a unit with no part in the task', f.actors.otherUnit],
    ['the section', f.actors.section],
    ['the deputy leader', f.actors.deputyLeader],
  ])('is refused to %s', (_, actor) => {
    task
      .given(assigned)
      .when(f.accept(f.day(0, 2), actor))
      .thenRejects('NotAuthorized', 'lead unit');
  });

  it('is refused to a person of another unit even with the lead unit id as person id', () => {
    task
      .given(assigned)
      .when(f.accept(f.day(0, 2), { id: 'bureau-of-commerce', kind: 'unit', unitId: 'bureau-of-transport' }))
      .thenRejects('NotAuthorized');
  });

  it('decides nothing when the task is already accepted', () => {
    task
      .given(accepted)
      .when(f.accept(f.day(1)))
      .thenNothingHappens();
  });
});

describe('四合一清单 + 工作矩阵图: SubmitWorkPlan', () => {
  it('records the checklist, the matrix and the dated milestones, as version 1', () => {
    const plan = f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(8) }] });
    task
      .given(accepted)
      .when(plan)
      .then([
        {
          type: 'WorkPlanSubmitted',
          data: {
            taskId: f.taskId,
            at: f.day(1),
            version: 1,
            checklist: plan.data.checklist,
            matrix: plan.data.matrix,
            milestones: [{ name: 'Pilot in two districts', due: f.day(8) }],
          },
        },
      ]);
  });

  it('records a plan without dated milestones with an empty list', () => {
    task
      .given(accepted)
      .when(f.submitPlan())
      .thenEvents(([plan]) => expect(plan!.data).toMatchObject({ milestones: [] }));
  });

  it('numbers a revised plan as the next version', () => {
    task
      .given(f.history(f.assign(), f.accept(), f.submitPlan(), f.submitPlan({}, f.day(2))))
      .when(f.submitPlan({}, f.day(3)))
      .thenEvents(([plan]) => expect(plan!.data).toMatchObject({ version: 3 }));
  });

  it('needs the task accepted first', () => {
    task.given(assigned).when(f.submitPlan()).thenRejects('TaskNotAccepted');
  });

  it.each([
    ['a co-unit', f.actors.coUnit],
    ['the section', f.actors.section],
    ['another unit', f.actors.otherUnit],
  ])('is submitted only by the lead unit, not %s', (_, actor) => {
    task
      .given(accepted)
      .when(f.submitPlan({}, f.day(1), actor))
      .thenRejects('NotAuthorized');
  });

  describe('its dated milestones lie after its submission and no later than the deadline', () => {
    const rejection = (milestones: Array<{ name: string; due: string }>) => {
      const result = taskDecider.decide(f.submitPlan({ milestones }), fold(taskDecider, accepted));
      if (!isLeft(result)) throw new Error(`expected a rejection, got ${JSON.stringify(result.right)}`);
      return result.left;
    };

    it('rejects a milestone already past, naming the offending one', () => {
      expect(
        rejection([
          { name: 'Pilot', due: f.day(3) },
          { name: 'Survey', due: f.day(0, 3) },
        ]),
      ).toMatchObject({ code: 'PlanMilestoneOutOfRange', field: 'data.milestones.1.due' });
    });

    it('rejects a milestone due at the moment of submission', () => {
      expect(rejection([{ name: 'Pilot', due: f.day(1) }])).toMatchObject({
        code: 'PlanMilestoneOutOfRange',
        field: 'data.milestones.0.due',
      });
    });

    it('rejects a milestone after the deadline', () => {
      expect(rejection([{ name: 'Roll-out', due: f.day(20, 9) }])).toMatchObject({
        code: 'PlanMilestoneOutOfRange',
        message: expect.stringContaining('Roll-out'),
      });
    });

    it('accepts a milestone due exactly at the deadline', () => {
      task
        .given(accepted)
        .when(f.submitPlan({ milestones: [{ name: 'Roll-out', due: f.deadline }] }))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });

    it('measures against the deadline as extended', () => {
      const extended = f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension());
      task
        .given(extended)
        .when(f.submitPlan({ milestones: [{ name: 'Roll-out', due: f.day(25) }] }, f.day(12)))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });
  });
});
