import { isLeft } from 'fp-ts/Either';
import { spec, taskFixture } from '@duban/testing';
import { canonicalInstant, fold, taskDecider, type TaskCommand, type TaskEvent } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);

const decide = (history: readonly TaskEvent[], command: TaskCommand): TaskEvent[] => {
  const result = taskDecider.decide(command, fold(taskDecider, history));
  if (isLeft(result)) throw new Error(`${command.type} rejected: ${result.left.message}`);
  return result.right;
};

const accepted = [f.assign(), f.accept(), f.report()];
const completed = [...accepted, f.openRectification(), f.planRectification(), f.completeRectification()];
const closed = [...accepted, f.requestClosure(), f.reviewClosure('good'), f.approveClosure('good')];

/** The same command with one of its instants written at +08:00: the same instant, another notation. */
const atPlus8 = (c: TaskCommand, field: 'deadline' | 'requestedDeadline'): TaskCommand => {
  const utc = canonicalInstant((c.data as Record<string, string>)[field]!);
  const local = new Date(Date.parse(utc) + 8 * 3600_000).toISOString().replace('.000Z', '+08:00');
  return { ...c, data: { ...c.data, [field]: local } } as TaskCommand;
};

/**
 * [what, history before, command]: the command records something the first time and, sent again
 * once its events are in the stream, decides no events (a command the state already satisfies).
 */
const cases: Array<[string, TaskCommand[], TaskCommand, TaskCommand?]> = [
  ['AssignTask', [], f.assign()],
  ['AssignTask (the deadline in another notation)', [], f.assign(), atPlus8(f.assign(), 'deadline')],
  ['AcceptTask', [f.assign()], f.accept()],
  ['IssueSupervisionNotice (same number)', accepted, f.notice('DB-1'), f.notice('DB-1', f.day(8))],
  ['EscalateTask', [...accepted, f.urge()], f.escalate(), f.escalate(f.day(9), f.actors.inspectionOffice)],
  [
    'RequestExtension (same date)',
    accepted,
    f.requestExtension(),
    f.requestExtension(f.day(30, 8), f.day(10, 1)),
  ],
  [
    'RequestExtension (same date in another notation)',
    accepted,
    f.requestExtension(),
    atPlus8(f.requestExtension(f.day(30, 8), f.day(10, 1)), 'requestedDeadline'),
  ],
  ['ApproveExtension', [...accepted, f.requestExtension()], f.approveExtension()],
  ['RejectExtension', [...accepted, f.requestExtension()], f.rejectExtension()],
  ['RequestClosure', accepted, f.requestClosure()],
  ['ReviewClosure (same grade)', [...accepted, f.requestClosure()], f.reviewClosure('good')],
  ['RejectClosure at review', [...accepted, f.requestClosure()], f.rejectClosure()],
  [
    'RejectClosure at approval',
    [...accepted, f.requestClosure(), f.reviewClosure('good')],
    f.rejectClosure(f.day(14), f.approver),
  ],
  [
    'ApproveClosure (same grade)',
    [...accepted, f.requestClosure(), f.reviewClosure('good')],
    f.approveClosure('good'),
  ],
  ['CheckDeadlines (same instant)', accepted, f.checkDeadlines(f.day(21))],
  [
    'CheckDeadlines (later, nothing new due)',
    accepted,
    f.checkDeadlines(f.day(21)),
    f.checkDeadlines(f.day(25)),
  ],
  ['OpenRectification (same id)', accepted, f.openRectification()],
  ['SubmitRectificationPlan', [...accepted, f.openRectification()], f.planRectification()],
  [
    'CompleteRectification',
    [...accepted, f.openRectification(), f.planRectification()],
    f.completeRectification(),
  ],
  ['ReviewLookBack passed', completed, f.lookBack('passed')],
  ['ReviewLookBack failed', completed, f.lookBack('failed')],
  ['RecordRecognition (same id)', accepted, f.recognise('P-1', f.day(5))],
  ['RecordCriticism (same id)', accepted, f.criticise('C-1', f.day(5))],
  ['RecordFalsification (same id)', accepted, f.falsification('F-1', f.day(5))],
  ['RecordCriticism on a closed task, with its regrade', closed, f.criticise()],
  ['RecordRecognition on a closed task, with its regrade', closed, f.recognise()],
  [
    'ReviewLookBack failed on a closed task, with its regrade',
    [...completed, ...closed.slice(3)],
    f.lookBack('failed', 'R-1', f.day(16)),
  ],
];

describe('idempotency: a command the state already satisfies decides no events', () => {
  it.each(cases)('%s', (_, before, command, again = command) => {
    const history = f.history(...before);
    const first = decide(history, command);
    expect(first.length).toBeGreaterThan(0);
    task
      .given([...history, ...first])
      .when(again)
      .thenNothingHappens();
  });

  it('still checks who sends the repeat', () => {
    const assigned = f.history(f.assign(), f.accept());
    task
      .given(assigned)
      .when(f.accept(f.day(1), f.actors.coUnit))
      .thenRejects('NotAuthorized');
    task.given(assigned).when(f.assign({}, f.actors.otherSection)).thenRejects('NotAuthorized');
    const sentBack = f.history(...accepted, f.requestClosure(), f.rejectClosure());
    task
      .given(sentBack)
      .when(f.rejectClosure(f.day(13), f.actors.leadUnit))
      .thenRejects('ClosureNotRequested');
    const escalated = f.history(...accepted, f.urge(), f.escalate());
    task
      .given(escalated)
      .when(f.escalate(f.day(9), f.actors.leadUnit))
      .thenRejects('NotAuthorized');
  });

  it('does not mistake a different request for a repeat', () => {
    const pending = f.history(...accepted, f.requestExtension());
    task
      .given(pending)
      .when(f.requestExtension(f.day(31, 8), f.day(10, 1)))
      .thenRejects('ExtensionAlreadyPending');
    const reviewed = f.history(...accepted, f.requestClosure(), f.reviewClosure('good'));
    task.given(reviewed).when(f.reviewClosure('basic')).thenRejects('ClosureAlreadyReviewed');
    task
      .given(f.history(...closed))
      .when(f.approveClosure('basic', f.day(15), f.approver, 'x'))
      .thenRejects('TaskClosed');
  });

  it('records facts that happen again as new facts: reports, urges, warnings, revised work plans', () => {
    for (const command of [f.report(), f.urge(), f.warn(), f.submitPlan()]) {
      const history = f.history(...accepted, f.submitPlan(), command);
      expect(decide(history, command).map((e) => e.type)).toEqual([history.at(-1)!.type]);
    }
  });
});
