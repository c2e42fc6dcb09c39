import { spec, taskFixture } from '@duban/testing';
import { fold, taskDecider } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const accepted = f.history(f.assign(), f.accept(), f.report());
const pending = f.history(f.assign(), f.accept(), f.report(), f.requestExtension());

describe('延期: RequestExtension (须在规定时限内提出延期申请)', () => {
  it('records the request with the deadline it would move', () => {
    task
      .given(accepted)
      .when(f.requestExtension())
      .then([
        {
          type: 'ExtensionRequested',
          data: {
            taskId: f.taskId,
            at: f.day(10),
            requestedDeadline: f.day(30, 8),
            currentDeadline: f.deadline,
            reason: 'Provincial system upgrade delayed',
          },
        },
      ]);
  });

  it('must arrive before the current deadline', () => {
    task
      .given(accepted)
      .when(f.requestExtension(f.day(30, 8), f.day(20, 9)))
      .thenRejects('ExtensionAfterDeadline');
    task
      .given(accepted)
      .when(f.requestExtension(f.day(30, 8), f.deadline))
      .thenRejects('ExtensionAfterDeadline');
    task
      .given(accepted)
      .when(f.requestExtension(f.day(30, 8), f.day(20, 7)))
      .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ExtensionRequested']));
  });

  it('asks for a deadline later than the current one', () => {
    task.given(accepted).when(f.requestExtension(f.deadline)).thenRejects('ExtensionNotLater');
    task
      .given(accepted)
      .when(f.requestExtension(f.day(15)))
      .thenRejects('ExtensionNotLater');
  });

  it.each([
    ['a co-unit', f.actors.coUnit],
    ['the section', f.actors.section],
    ['another unit', f.actors.otherUnit],
  ])('is made only by the lead unit, not %s', (_, actor) => {
    task
      .given(accepted)
      .when(f.requestExtension(f.day(30, 8), f.day(10), actor))
      .thenRejects('NotAuthorized');
  });

  it('needs the task accepted', () => {
    task.given(f.history(f.assign())).when(f.requestExtension()).thenRejects('TaskNotAccepted');
  });

  it('is not made while closure awaits review or approval', () => {
    task
      .given(f.history(f.assign(), f.accept(), f.requestClosure(f.day(9))))
      .when(f.requestExtension())
      .thenRejects('TaskNotInProgress');
    task
      .given(f.history(f.assign(), f.accept(), f.requestClosure(f.day(8)), f.reviewClosure('good', f.day(9))))
      .when(f.requestExtension())
      .thenRejects('TaskNotInProgress');
  });

  describe('only one request may be pending', () => {
    it('rejects a second request for another date', () => {
      task
        .given(pending)
        .when(f.requestExtension(f.day(35, 8), f.day(10, 1)))
        .thenRejects('ExtensionAlreadyPending');
    });

    it('decides nothing for the same request sent again', () => {
      task
        .given(pending)
        .when(f.requestExtension(f.day(30, 8), f.day(10, 1)))
        .thenNothingHappens();
    });

    it('takes a new request once the pending one was decided', () => {
      const rejected = f.history(f.assign(), f.accept(), f.requestExtension(), f.rejectExtension());
      task
        .given(rejected)
        .when(f.requestExtension(f.day(25, 8), f.day(12)))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ExtensionRequested']));
    });
  });
});

describe('延期批复: ApproveExtension / RejectExtension', () => {
  it('the task section approves, with the leader approval recorded; the requested date becomes the deadline', () => {
    task
      .given(pending)
      .when(f.approveExtension())
      .then([
        {
          type: 'ExtensionApproved',
          data: {
            taskId: f.taskId,
            at: f.day(11),
            previousDeadline: f.deadline,
            newDeadline: f.day(30, 8),
            leaderApproval: { ref: 'Vice mayor Li approved', by: 'vice-mayor-li' },
          },
        },
      ]);
  });

  it('may set another new deadline than the one requested (重新明确办理时限)', () => {
    task
      .given(pending)
      .when(f.approveExtension(f.day(11), f.actors.section, f.day(25, 8)))
      .thenEvents(([approved]) => expect(approved!.data).toMatchObject({ newDeadline: f.day(25, 8) }));
  });

  it('moves the deadline later, never earlier or to the same time', () => {
    task
      .given(pending)
      .when(f.approveExtension(f.day(11), f.actors.section, f.deadline))
      .thenRejects('ExtensionNotLater');
    task
      .given(pending)
      .when(f.approveExtension(f.day(11), f.actors.section, f.day(19)))
      .thenRejects('ExtensionNotLater');
  });

  it('moves the deadline the task is held to', () => {
    const state = fold(
      taskDecider,
      f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension()),
    );
    expect(state.deadline).toBe(f.day(30, 8));
    expect(state.originalDeadline).toBe(f.deadline);
  });

  it('the original deadline stands after a rejection (发回原单位按期办结)', () => {
    task
      .given(pending)
      .when(f.rejectExtension())
      .then([
        {
          type: 'ExtensionRejected',
          data: {
            taskId: f.taskId,
            at: f.day(11),
            deadline: f.deadline,
            reason: 'Finish by the original deadline',
          },
        },
      ]);
    const state = fold(
      taskDecider,
      f.history(f.assign(), f.accept(), f.requestExtension(), f.rejectExtension()),
    );
    expect(state.deadline).toBe(f.deadline);
  });

  it.each([
    ['another section', f.actors.otherSection],
    ['the deputy leader', f.actors.deputyLeader],
    ['the main leader', f.actors.mainLeader],
    ['the inspection office', f.actors.inspectionOffice],
    ['the lead unit', f.actors.leadUnit],
  ])('is decided only by the section of the task, not %s', (_, actor) => {
    task
      .given(pending)
      .when(f.approveExtension(f.day(11), actor))
      .thenRejects('NotAuthorized');
    task
      .given(pending)
      .when(f.rejectExtension(f.day(11), actor))
      .thenRejects('NotAuthorized');
  });

  it('is decided by the section of the task also when the inspection office supervises it', () => {
    const m = taskFixture({ origin: 'main-leader' });
    task
      .given(m.history(m.assign(), m.accept(), m.requestExtension()))
      .when(m.approveExtension())
      .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ExtensionApproved']));
  });

  it('needs a pending request', () => {
    task.given(accepted).when(f.approveExtension()).thenRejects('NoPendingExtension');
    task.given(accepted).when(f.rejectExtension()).thenRejects('NoPendingExtension');
  });

  it('decides nothing when the same decision is sent again', () => {
    const approved = f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension());
    task
      .given(approved)
      .when(f.approveExtension(f.day(12)))
      .thenNothingHappens();
    const rejected = f.history(f.assign(), f.accept(), f.requestExtension(), f.rejectExtension());
    task
      .given(rejected)
      .when(f.rejectExtension(f.day(12)))
      .thenNothingHappens();
  });

  it('refuses the opposite decision once decided', () => {
    const approved = f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension());
    task
      .given(approved)
      .when(f.rejectExtension(f.day(12)))
      .thenRejects('NoPendingExtension');
    const rejected = f.history(f.assign(), f.accept(), f.requestExtension(), f.rejectExtension());
    task
      .given(rejected)
      .when(f.approveExtension(f.day(12)))
      .thenRejects('NoPendingExtension');
  });

  it('allows a further request before the extended deadline, and measures it against that deadline', () => {
    const approved = f.history(f.assign(), f.accept(), f.requestExtension(), f.approveExtension());
    task
      .given(approved)
      .when(f.requestExtension(f.day(28), f.day(21)))
      .thenRejects('ExtensionNotLater');
    task
      .given(approved)
      .when(f.requestExtension(f.day(40, 8), f.day(25)))
      .thenEvents(([requested]) =>
        expect(requested!.data).toMatchObject({
          currentDeadline: f.day(30, 8),
          requestedDeadline: f.day(40, 8),
        }),
      );
  });
});
