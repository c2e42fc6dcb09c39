import { isLeft } from 'fp-ts/Either';
import { spec, taskFixture } from '@duban/testing';
import { fold, taskDecider } from '@duban/domain';

const f = taskFixture();
const task = spec(taskDecider);
const assigned = f.history(f.assign());
const accepted = f.history(f.assign(), f.accept());

describe('反馈: ReportProgress', () => {
  it('records the lead unit report as the lead role', () => {
    task
      .given(accepted)
      .when(f.report())
      .then([
        {
          type: 'ProgressReported',
          data: {
            taskId: f.taskId,
            at: f.day(2),
            unitId: 'bureau-of-commerce',
            role: 'lead',
            status: 'on-track',
            summary: 'Windows merged in two districts',
            percentComplete: 40,
          },
        },
      ]);
  });

  it('records a co-unit contribution as the co-unit role (协办单位积极配合)', () => {
    task
      .given(accepted)
      .when(f.report({ summary: 'Budget released' }, f.day(2), f.actors.coUnit))
      .thenEvents(([report]) =>
        expect(report!.data).toMatchObject({ unitId: 'bureau-of-finance', role: 'co-unit' }),
      );
  });

  it('lets a co-unit contribute before the lead unit signs for the task', () => {
    task
      .given(assigned)
      .when(f.report({}, f.day(0, 3), f.actors.coUnit))
      .thenEvents(([report]) => expect(report!.data).toMatchObject({ role: 'co-unit' }));
  });

  it('needs the lead unit to have accepted the task before it reports', () => {
    task.given(assigned).when(f.report()).thenRejects('TaskNotAccepted');
  });

  it.each([
    ['a unit with no part in the task', f.actors.otherUnit],
    ['the section', f.actors.section],
    ['the inspection office', f.actors.inspectionOffice],
    ['a unit actor without a unit', { id: 'someone', kind: 'unit' as const }],
  ])('is refused to %s', (_, actor) => {
    task
      .given(accepted)
      .when(f.report({}, f.day(2), actor))
      .thenRejects('NotAuthorized');
  });

  describe('a report of difficulty states the difficulties and the next steps (存在困难和问题以及下一步工作意见建议)', () => {
    const decide = (over: Parameters<typeof f.report>[0]) =>
      taskDecider.decide(f.report({ status: 'difficulty', ...over }), fold(taskDecider, accepted));

    it('is recorded with both', () => {
      task
        .given(accepted)
        .when(f.reportDifficulty())
        .thenEvents(([report]) =>
          expect(report!.data).toMatchObject({
            status: 'difficulty',
            difficulties: 'No data-sharing agreement with the tax bureau',
            proposals: 'Ask the deputy mayor to convene the two bureaux',
          }),
        );
    });

    it.each([
      ['no difficulties', { proposals: 'Convene' }, 'data.difficulties'],
      ['blank difficulties', { difficulties: '  ', proposals: 'Convene' }, 'data.difficulties'],
      ['no proposals', { difficulties: 'Blocked' }, 'data.proposals'],
      ['blank proposals', { difficulties: 'Blocked', proposals: '\n' }, 'data.proposals'],
    ])('is refused with %s', (_, over, field) => {
      const result = decide(over);
      expect(isLeft(result) && result.left).toMatchObject({ code: 'DifficultyNeedsDetails', field });
    });

    it('applies to a co-unit too', () => {
      task
        .given(accepted)
        .when(f.report({ status: 'difficulty' }, f.day(2), f.actors.coUnit))
        .thenRejects('DifficultyNeedsDetails');
    });

    it('is not asked of an on-track report', () => {
      task
        .given(accepted)
        .when(f.report({ status: 'on-track' }))
        .thenEvents((events) => expect(events).toHaveLength(1));
    });
  });

  it('is recorded every time: each report is a fact of its own', () => {
    task
      .given(f.history(f.assign(), f.accept(), f.report()))
      .when(f.report())
      .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['ProgressReported']));
  });

  it('goes on while closure awaits review', () => {
    task
      .given(f.history(f.assign(), f.accept(), f.requestClosure()))
      .when(f.report({}, f.day(12, 2)))
      .thenEvents((events) => expect(events).toHaveLength(1));
  });
});
