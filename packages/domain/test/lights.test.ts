import { taskFixture } from '@duban/testing';
import {
  DEFAULT_POLICY,
  defaultContext,
  fold,
  initialTaskState,
  lightOf,
  taskDecider,
  type TaskCommand,
} from '@duban/domain';

const f = taskFixture();
const ctx = defaultContext();
const light = (commands: TaskCommand[], now: string, context = ctx) =>
  lightOf(fold(taskDecider, f.history(...commands)), now, context);
/** Accepted on the day, first report on day 2: every 13710 limit so far met in time. */
const onTrack = [f.assign(), f.accept(), f.report()];

describe('亮灯: lights are a pure function of the time limits, the progress and now', () => {
  it('show none before assignment and after closure', () => {
    expect(lightOf(initialTaskState(), f.day(1), ctx)).toBe('none');
    expect(
      light([...onTrack, f.requestClosure(), f.reviewClosure('good'), f.approveClosure('good')], f.day(30)),
    ).toBe('none');
  });

  it('are green while every limit met so far was met in time and the next is more than 3 working days away', () => {
    expect(light(onTrack, f.day(5))).toBe('green');
    expect(light(onTrack, f.day(16))).toBe('green');
  });

  it('are yellow with 3 working days or fewer left to an unmet limit', () => {
    expect(light(onTrack, f.day(17))).toBe('yellow');
    expect(light(onTrack, f.day(20, 8))).toBe('yellow');
  });

  it('are yellow for a task just handed out: 13710 wants it deployed within a working day', () => {
    expect(light([f.assign()], f.day(0, 1))).toBe('yellow');
    expect(light([f.assign(), f.accept()], f.day(0, 3))).toBe('yellow'); // first feedback due within 3
  });

  it('are red once a limit passed unmet', () => {
    expect(light([f.assign()], f.day(1, 1))).toBe('red');
    expect(light([f.assign(), f.accept()], f.day(3, 1))).toBe('red');
    expect(light(onTrack, f.day(20, 9))).toBe('red');
  });

  it('go back to green once a limit missed is met: late is history (graded), not the current state', () => {
    const late = [f.assign(), f.accept(f.day(1, 2))];
    expect(light([f.assign()], f.day(1, 1))).toBe('red');
    expect(light([...late, f.report({}, f.day(2))], f.day(10))).toBe('green');
  });

  it('are green when closure was applied for in time, even after the deadline date', () => {
    expect(light([...onTrack, f.requestClosure()], f.day(25))).toBe('green');
  });

  it('take the yellow window from the policy', () => {
    const wide = defaultContext({ policy: { ...DEFAULT_POLICY, approachingWithinWorkingDays: 5 } });
    expect(light(onTrack, f.day(15), wide)).toBe('yellow');
    expect(light(onTrack, f.day(15))).toBe('green');
  });

  it('follow the deadline as extended', () => {
    const extended = [...onTrack, f.requestExtension(), f.approveExtension()];
    // the one-month limit stays bounded by the original deadline: meet it with a dated plan
    const planned = [
      ...extended,
      f.submitPlan({ milestones: [{ name: 'Pilot', due: f.day(15) }] }, f.day(12)),
      f.report({ milestonesMet: ['Pilot'] }, f.day(14)),
    ];
    expect(light(planned, f.day(21))).toBe('green');
    expect(light(planned, f.day(27))).toBe('yellow');
    expect(light(planned, f.day(31))).toBe('red');
  });

  it('read the state without changing it', () => {
    const state = fold(taskDecider, f.history(...onTrack));
    const before = structuredClone(state);
    lightOf(state, f.day(17), ctx);
    expect(state).toEqual(before);
  });
});
