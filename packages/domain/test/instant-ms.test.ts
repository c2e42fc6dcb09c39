import fc from 'fast-check';
import { instantMs } from '@duban/domain';

/**
 * `instantMs` reads the notations the rules write without `Date.parse`: it must give exactly what
 * `Date.parse` gives (the same milliseconds, NaN for the same texts), whatever the text.
 */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

// Fields around and beyond their ranges, so invalid dates (Feb 30, hour 24, offset 24:00) are tried too.
const notation = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    millis: fc.option(
      fc.integer({ min: 0, max: 999 }).map((ms) => `.${pad(ms, 3)}`),
      { nil: '' },
    ),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .record({
          sign: fc.constantFrom('+', '-'),
          hours: fc.integer({ min: 0, max: 25 }),
          minutes: fc.integer({ min: 0, max: 60 }),
        })
        .map(({ sign, hours, minutes }) => `${sign}${pad(hours, 2)}:${pad(minutes, 2)}`),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${f.millis}${f.zone}`,
  );

describe('instantMs', () => {
  it('gives what Date.parse gives for every notation of an instant, valid or not', () => {
    fc.assert(
      fc.property(notation, (text) => {
        expect(instantMs(text)).toBe(Date.parse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives what Date.parse gives for any text, a notation broken anywhere', () => {
    fc.assert(
      fc.property(notation, fc.nat(), fc.string({ maxLength: 2 }), (text, at, insert) => {
        const i = at % (text.length + 1);
        const broken = text.slice(0, i) + insert + text.slice(i + (insert.length > 0 ? 1 : 0));
        expect(instantMs(broken)).toBe(Date.parse(broken));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the notations the rules write', () => {
    expect(instantMs('2024-02-29T09:00:00.000+08:00')).toBe(Date.UTC(2024, 1, 29, 1));
    expect(instantMs('2022-03-01T09:00:00+08:00')).toBe(Date.UTC(2022, 2, 1, 1));
    expect(instantMs('2022-12-31T23:59:59.999Z')).toBe(Date.UTC(2022, 11, 31, 23, 59, 59, 999));
    // A day the month lacks is left to Date.parse, which rolls it over.
    expect(instantMs('2023-02-29T09:00:00+08:00')).toBe(Date.parse('2023-02-29T09:00:00+08:00'));
  });
});
