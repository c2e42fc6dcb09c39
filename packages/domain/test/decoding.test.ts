import fc from 'fast-check';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import {
  Commands,
  Events,
  aggregateOf,
  decodeCommand,
  decodeEvent,
  decodeTaskCommand,
  decodeTaskEvent,
  decodeUnitCommand,
  decodeUnitEvent,
  LIMITS,
  type ValidationError,
} from '@duban/domain';
import { taskFixture } from '@duban/testing';

const f = taskFixture();

const problemsOf = <T>(result: Either<ValidationError, T>) => {
  if (!isLeft(result)) throw new Error(`expected a validation error, got ${JSON.stringify(result.right)}`);
  expect(result.left).toMatchObject({ kind: 'ValidationError', code: 'InvalidInput' });
  return result.left.problems;
};

const messageAt = <T>(result: Either<ValidationError, T>, path: string): string => {
  const problem = problemsOf(result).find((p) => p.path === path);
  if (!problem) throw new Error(`no problem reported at ${path}: ${JSON.stringify(problemsOf(result))}`);
  return problem.message;
};

describe('decodeCommand', () => {
  it('accepts every command the fixture builds, unchanged', () => {
    const commands = [
      f.assign(),
      f.accept(),
      f.submitPlan(),
      f.report(),
      f.reportDifficulty(),
      f.urge(),
      f.warn(),
      f.notice(),
      f.escalate(),
      f.requestExtension(),
      f.approveExtension(),
      f.rejectExtension(),
      f.requestClosure(),
      f.reviewClosure(),
      f.approveClosure('good'),
      f.rejectClosure(),
      f.checkDeadlines(f.day(3)),
      f.openRectification(),
      f.planRectification(),
      f.completeRectification(),
      f.lookBack('passed'),
      f.recognise(),
      f.criticise(),
      f.falsification(),
    ];
    for (const c of commands) expect(decodeCommand(c)).toEqual({ _tag: 'Right', right: c });
  });

  it('reports every problem of a command at once, each with its path and a plain message', () => {
    const problems = problemsOf(
      decodeCommand({
        type: 'AssignTask',
        actor: { id: 'a b', kind: 'king' },
        at: '2022-03-01',
        data: {
          taskId: '',
          title: '  ',
          source: 'rumour',
          leadUnit: 'bureau-of-commerce',
          coUnits: ['ok', 7],
          deadline: 'next week',
          origin: { kind: 'deputy-leader' },
          sectionId: 'section-2',
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'actor.id', message: expect.stringContaining('must be an identifier') },
        { path: 'actor.kind', message: expect.stringContaining('got "king"') },
        { path: 'at', message: expect.stringContaining('ISO-8601 instant with a time zone') },
        { path: 'data.taskId', message: expect.stringContaining('must be an identifier') },
        { path: 'data.title', message: 'must not be empty' },
        { path: 'data.source', message: expect.stringContaining('got "rumour"') },
        { path: 'data.coUnits.1', message: 'expected Id, got 7' },
        { path: 'data.deadline', message: expect.stringContaining('ISO-8601 instant') },
        { path: 'data.approval', message: 'is required' },
        { path: 'data.origin.leaderId', message: 'is required' },
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('names the known command types when the type is unknown or missing', () => {
    for (const input of [{ type: 'DeleteTask' }, {}, { type: 42 }, null, 'AssignTask', []]) {
      const [problem, ...rest] = problemsOf(decodeCommand(input));
      expect(rest).toEqual([]);
      expect(problem!.path).toBe('type');
      expect(problem!.message).toMatch(/^unknown command type .*; expected one of AssignTask, AcceptTask, /);
      for (const type of Object.keys(Commands)) expect(problem!.message).toContain(type);
    }
  });

  it('does not take inherited properties for command types', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(messageAt(decodeCommand({ type }), 'type')).toContain('unknown command type');
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect(aggregateOf(type)).toBeUndefined();
    expect([aggregateOf('AssignTask'), aggregateOf('TaskClosed'), aggregateOf('InterviewRecorded')]).toEqual([
      'task',
      'task',
      'unit',
    ]);
  });

  it('needs the main leader approval reference on a registration (经市政府主要领导批准)', () => {
    const { approval: _approval, ...data } = f.assign().data;
    expect(messageAt(decodeCommand({ ...f.assign(), data }), 'data.approval')).toBe('is required');
    expect(
      messageAt(
        decodeCommand({ ...f.assign(), data: { ...data, approval: { ref: ' ', by: 'mayor' } } }),
        'data.approval.ref',
      ),
    ).toBe('must not be empty');
  });

  it('needs a quantified work plan: the 四合一 checklist and the 工作矩阵图 with numeric goals', () => {
    const plan = f.submitPlan();
    expect(
      messageAt(decodeCommand({ ...plan, data: { ...plan.data, checklist: [] } }), 'data.checklist'),
    ).toBe('must list at least one item');
    const goal = { goal: 'Faster', indicator: 'days', target: 'fast', unit: 'days' };
    expect(
      messageAt(
        decodeCommand({
          ...plan,
          data: { ...plan.data, matrix: { ...plan.data.matrix, goals: [goal] } },
        }),
        'data.matrix.goals.0.target',
      ),
    ).toContain('got "fast"');
    const { responsible: _r, ...item } = plan.data.checklist[0]!;
    expect(
      messageAt(
        decodeCommand({ ...plan, data: { ...plan.data, checklist: [item] } }),
        'data.checklist.0.responsible',
      ),
    ).toBe('is required');
    expect(
      messageAt(
        decodeCommand({ ...plan, data: { ...plan.data, matrix: { ...plan.data.matrix, policies: [] } } }),
        'data.matrix.policies',
      ),
    ).toBe('must list at least one item');
  });

  it('takes progress as a whole percentage from 0 to 100', () => {
    const report = f.report();
    for (const percentComplete of [-1, 101, 40.5, Number.NaN])
      expect(
        messageAt(
          decodeCommand({ ...report, data: { ...report.data, percentComplete } }),
          'data.percentComplete',
        ),
      ).toBe('must be a whole number from 0 to 100');
    for (const percentComplete of [0, 100])
      expect(isRight(decodeCommand({ ...report, data: { ...report.data, percentComplete } }))).toBe(true);
  });

  it('takes only instants with a time zone that exist on the calendar', () => {
    const urge = f.urge();
    const withAt = (at: unknown) => decodeCommand({ ...urge, at });
    for (const at of [
      '2022-03-01T09:00:00', // no zone: ambiguous
      '2022-03-01',
      '2022-02-30T09:00:00+08:00', // Date.parse would roll this over to 2 March
      '2022-02-29T09:00:00+08:00', // 2022 is no leap year
      '2022-04-31T09:00:00Z',
      '2022-13-01T09:00:00Z',
      '2022-03-01T25:00:00Z',
      '2022-03-31T24:00:00+08:00', // Date.parse would count it in the next day, and quarter
      '2022-03-01T23:60:00Z',
      '2022-03-01T23:59:60Z', // no leap seconds
      '2022-03-01T09:00:00+15:00', // no zone is that far from UTC
    ])
      expect(messageAt(withAt(at), 'at')).toMatch(
        /^must be an ISO-8601 instant with a time zone, e.g. 2022-03-01T09:00:00\+08:00 \(hours 00-23/,
      );
    for (const at of ['1999-12-31T23:59:59Z', '2100-01-01T00:00:00+08:00', '9999-12-31T09:00:00+08:00'])
      expect(messageAt(withAt(at), 'at')).toBe('must lie in the years 2000 to 2099');
    expect(messageAt(withAt(1646096400000), 'at')).toBe('expected Instant, got 1646096400000');
    for (const at of [
      '2022-03-01T09:00+08:00',
      '2022-03-01T09:00:00.123456789Z',
      '2024-02-29T09:00:00+08:00',
      '2022-12-31T23:59:59-05:00',
    ])
      expect(isRight(withAt(at))).toBe(true);
  });

  it('bounds what costs time: list lengths, text lengths, checked before the items are read (LIMITS)', () => {
    const assign = f.assign();
    const coUnits = Array.from({ length: LIMITS.coUnits + 1 }, (_, i) => `unit-${i}`);
    expect(messageAt(decodeCommand({ ...assign, data: { ...assign.data, coUnits } }), 'data.coUnits')).toBe(
      `must list at most ${LIMITS.coUnits} items`,
    );
    // A hundred thousand co-units are refused on their count, not validated one by one.
    const huge = Array.from({ length: 100_000 }, () => 'x y z');
    expect(problemsOf(decodeCommand({ ...assign, data: { ...assign.data, coUnits: huge } }))).toEqual([
      { path: 'data.coUnits', message: `must list at most ${LIMITS.coUnits} items` },
    ]);
    const title = 'x'.repeat(LIMITS.shortTextLength + 1);
    expect(messageAt(decodeCommand({ ...assign, data: { ...assign.data, title } }), 'data.title')).toBe(
      `must be at most ${LIMITS.shortTextLength} characters`,
    );
    const report = f.report();
    const summary = 'x'.repeat(LIMITS.textLength + 1);
    expect(messageAt(decodeCommand({ ...report, data: { ...report.data, summary } }), 'data.summary')).toBe(
      `must be at most ${LIMITS.textLength} characters`,
    );
    const closure = f.requestClosure();
    const evidence = Array.from({ length: LIMITS.listItems + 1 }, () => 'photo');
    expect(
      messageAt(decodeCommand({ ...closure, data: { ...closure.data, evidence } }), 'data.evidence'),
    ).toBe(`must list at most ${LIMITS.listItems} items`);
    // At the limits, accepted.
    const atLimit = {
      ...assign,
      data: { ...assign.data, coUnits: coUnits.slice(1), title: title.slice(1) },
    };
    expect(isRight(decodeCommand(atLimit))).toBe(true);
  });

  it('strips keys it does not know, at every depth, so they never reach an event', () => {
    const urge = f.urge();
    const decoded = decodeCommand({
      ...urge,
      extra: true,
      actor: { ...urge.actor, role: 'admin' },
      data: { ...urge.data, injected: '<script>' },
    });
    expect(decoded).toEqual({ _tag: 'Right', right: urge });
    const plan = f.submitPlan();
    const checklist = [{ ...plan.data.checklist[0]!, secret: 1 }];
    const approval = { ...f.assign().data.approval, note: 'x' };
    expect(decodeCommand({ ...plan, data: { ...plan.data, checklist } })).toEqual({
      _tag: 'Right',
      right: plan,
    });
    expect(decodeCommand({ ...f.assign(), data: { ...f.assign().data, approval } })).toEqual({
      _tag: 'Right',
      right: f.assign(),
    });
    const interview = {
      type: 'ScheduleInterview',
      actor: f.actors.mainLeader,
      at: f.day(5),
      data: {
        unitId: 'bureau-of-commerce',
        interviewId: 'IV-1',
        interviewee: 'principal',
        reason: 'Seriously behind',
        scheduledFor: f.day(8),
      },
    };
    expect(decodeCommand({ ...interview, data: { ...interview.data, extra: 1 } })).toEqual({
      _tag: 'Right',
      right: interview,
    });
  });

  it('decodes a unit command and reports unit-command problems with their paths', () => {
    const inspection = {
      type: 'RecordInspection',
      actor: f.actors.inspectionOffice,
      at: f.day(5),
      data: {
        unitId: 'bureau-of-commerce',
        inspectionId: 'I-1',
        approval: { ref: 'Mayor approved inspection plan 3', by: 'mayor' },
        methods: ['hear-reports', 'unannounced-visits'],
        findings: 'Queues at two windows',
        opinion: 'Add windows',
        taskIds: [f.taskId],
      },
    };
    expect(decodeCommand(inspection)).toEqual({ _tag: 'Right', right: inspection });
    expect(decodeUnitCommand(inspection)).toEqual({ _tag: 'Right', right: inspection });
    const problems = problemsOf(
      decodeCommand({
        ...inspection,
        data: { ...inspection.data, methods: ['gossip'], approval: undefined },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'data.methods.0', message: expect.stringContaining('got "gossip"') },
        { path: 'data.approval', message: 'is required' },
      ]),
    );
  });

  it('keeps task and unit decoding apart', () => {
    expect(messageAt(decodeTaskCommand({ ...f.urge(), type: 'RecordInspection' }), 'type')).toContain(
      'unknown task command type "RecordInspection"',
    );
    expect(messageAt(decodeUnitCommand(f.urge()), 'type')).toContain('unknown unit command type "UrgeTask"');
  });

  it('reports, never throws, for input that cannot be serialised or read', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const urge = f.urge();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const inputs: unknown[] = [
      { ...urge, data: { ...urge.data, reason: circular } },
      { ...urge, data: { ...urge.data, reason: 10n } },
      { ...urge, data: { ...urge.data, reason: Symbol('x') } },
      { ...urge, data: { ...urge.data, reason: () => 'x' } },
      { type: circular },
      { type: 10n },
      Object.create(null),
      Object.defineProperty({}, 'type', {
        get() {
          throw new Error('boom');
        },
      }),
      { ...urge, data: revoked.proxy },
      revoked.proxy,
    ];
    for (const input of inputs) {
      const problems = problemsOf(decodeCommand(input));
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toEqual(expect.any(String));
    }
    expect(messageAt(decodeCommand(inputs[0]), 'data.reason')).toBe('expected NonEmptyString, got an object');
    expect(messageAt(decodeCommand(inputs[1]), 'data.reason')).toBe('expected NonEmptyString, got 10n');
  });

  it('never throws and always answers Left or Right, for any input at all', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
          fc.record({ type: fc.constantFrom(...Object.keys(Commands)), data: fc.anything() }),
          fc.record({
            type: fc.constantFrom(...Object.keys(Commands)),
            actor: fc.anything({ withBigInt: true }),
            at: fc.oneof(
              fc.string(),
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            ),
            data: fc.dictionary(fc.string(), fc.anything({ withBigInt: true })),
          }),
        ),
        (input) => {
          const result = decodeCommand(input);
          expect(result._tag === 'Left' || result._tag === 'Right').toBe(true);
          if (isLeft(result)) expect(result.left.problems.length).toBeGreaterThan(0);
          const event = decodeEvent(input);
          expect(event._tag === 'Left' || event._tag === 'Right').toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('decodeEvent', () => {
  it('decodes every event the decider produced for a full history', () => {
    const events = f.history(
      f.assign(),
      f.accept(),
      f.submitPlan({ milestones: [{ name: 'Pilot in two districts', due: f.day(8) }] }),
      f.report(),
      f.urge(),
      f.warn(),
      f.notice(),
      f.openRectification(),
      f.planRectification(),
      f.completeRectification(),
      f.lookBack('passed'),
      f.requestClosure(),
      f.reviewClosure('good'),
      f.approveClosure('basic', f.day(14), f.approver, 'Urged once'),
      f.criticise(),
    );
    expect(events.map((e) => e.type)).toContain('TaskRegraded');
    for (const e of events) {
      expect(decodeEvent(e)).toEqual({ _tag: 'Right', right: e });
      expect(decodeTaskEvent(e)).toEqual({ _tag: 'Right', right: e });
    }
  });

  it('strips keys it does not know from stored history', () => {
    const [assigned] = f.history(f.assign());
    const noisy = {
      ...assigned!,
      metadata: { x: 1 },
      data: { ...assigned!.data, legacy: true, origin: { ...f.assign().data.origin, extra: 1 } },
    };
    expect(decodeEvent(noisy)).toEqual({ _tag: 'Right', right: assigned });
  });

  it('names the known event types when the type is unknown', () => {
    const message = messageAt(decodeEvent({ type: 'TaskDeleted', data: {} }), 'type');
    expect(message).toMatch(/^unknown event type "TaskDeleted"; expected one of /);
    for (const type of Object.keys(Events)) expect(message).toContain(type);
    expect(messageAt(decodeUnitEvent({ type: 'TaskAssigned', data: {} }), 'type')).toContain(
      'unknown unit event type "TaskAssigned"',
    );
  });

  it('reports every problem of stored history with its path', () => {
    const problems = problemsOf(
      decodeEvent({
        type: 'TaskClosed',
        data: {
          taskId: f.taskId,
          at: 'yesterday',
          grade: 'great',
          suggestedGrade: 'good',
          proposedGrade: 'good',
          reasons: [{ grade: 'good', rule: 'ahead', text: 'early', events: [{ type: 'X' }] }],
          approvedBy: { kind: 'section', id: 'clerk' },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'data.at', message: expect.stringContaining('ISO-8601 instant') },
        { path: 'data.grade', message: expect.stringContaining('got "great"') },
        { path: 'data.reasons.0.events.0.revision', message: 'is required' },
        { path: 'data.approvedBy.kind', message: expect.stringContaining('got "section"') },
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});
