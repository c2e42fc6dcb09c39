import { supervisionProjection, type Envelope, type SupervisionModel } from '@duban/engine';

// An envelope of no task, unit or office stream: folding it only counts it and moves `lastAt`.
const at = (instant: string): Envelope =>
  ({ type: 'Noted', data: {}, metadata: { streamId: 'other-1', at: instant } }) as unknown as Envelope;

/** The latest instant by time, the first written of equal ones: what `lastAt` must be. */
const latest = (instants: readonly string[]): string =>
  instants.reduce((best, i) => (Date.parse(i) > Date.parse(best) ? i : best));

describe('supervision model: lastAt', () => {
  const a = [
    '2022-03-01T09:00:00+08:00',
    '2022-03-01T02:00:00Z', // an hour later, though smaller as a string
    '2022-03-01T10:00:00.000+08:00', // the same instant in another notation: not later
    '2022-02-28T09:00:00+08:00', // out of order: earlier
    '2022-03-01T02:00:00Z',
    '2022-03-02T00:00:00.000Z',
  ];
  const b = ['2023-01-01T00:00:00Z', '2021-01-01T00:00:00Z', '2023-01-01T08:00:00.001+08:00'];

  it('is the latest event by time, not by order or by string, in every notation', () => {
    const model = supervisionProjection.init();
    a.forEach((instant, k) => {
      supervisionProjection.apply(model, at(instant));
      expect(model.lastAt).toBe(latest(a.slice(0, k + 1)));
    });
    expect(model.events).toBe(a.length);
  });

  it('is each model’s own when models are folded in turns, or one is revived from JSON', () => {
    const one = supervisionProjection.init();
    const two = supervisionProjection.init();
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (a[k]) supervisionProjection.apply(one, at(a[k]!));
      if (b[k]) supervisionProjection.apply(two, at(b[k]!));
      if (a[k]) expect(one.lastAt).toBe(latest(a.slice(0, k + 1)));
      if (b[k]) expect(two.lastAt).toBe(latest(b.slice(0, k + 1)));
    }
    const revived = supervisionProjection.revive!(JSON.parse(JSON.stringify(one)) as SupervisionModel);
    supervisionProjection.apply(revived, at('2022-03-02T07:59:59+08:00')); // a second earlier
    expect(revived.lastAt).toBe('2022-03-02T00:00:00.000Z');
    supervisionProjection.apply(revived, at('2022-03-02T08:00:01+08:00'));
    expect(revived.lastAt).toBe('2022-03-02T08:00:01+08:00');
  });
});
