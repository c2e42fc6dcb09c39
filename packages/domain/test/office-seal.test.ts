import { isLeft } from 'fp-ts/Either';
import { spec } from '@duban/testing';
import {
  SEAL_FORMAT,
  createOfficeDecider,
  decodeCommand,
  decodeEvent,
  type Actor,
  type OfficeCommand,
  type OfficeEvent,
  type Seal,
} from '@duban/domain';

/** RecordSeal: the office's record lists every seal the history was given (docs/auditing.md, "Seals"). */
const office = spec(createOfficeDecider());
const mayor: Actor = { id: 'mayor', kind: 'main-leader' };
const inspector: Actor = { id: 'inspector-li', kind: 'inspection-office' };

const established: OfficeEvent = {
  type: 'OfficeEstablished',
  data: {
    officeId: 'changzhi',
    at: '2022-01-04T09:00:00+08:00',
    name: '长治市人民政府办公室',
    utcOffsetMinutes: 480,
    mainLeader: { personId: 'mayor', name: '市长' },
    effectiveFrom: '2022-01-04',
  },
};

// The inspection office and a section clerk are on the record: only who is on it acts on it.
const onRecord = (at: string): OfficeEvent[] => [
  established,
  {
    type: 'SectionRegistered',
    data: { officeId: 'changzhi', at, sectionId: 'section-2', name: '二科', effectiveFrom: '2022-01-04' },
  },
  {
    type: 'StaffRegistered',
    data: {
      officeId: 'changzhi',
      at,
      personId: 'inspector-li',
      name: '李',
      role: 'inspection-office',
      effectiveFrom: '2022-01-04',
    },
  },
  {
    type: 'StaffRegistered',
    data: {
      officeId: 'changzhi',
      at,
      personId: 'clerk-qian',
      name: '钱',
      role: 'section',
      orgId: 'section-2',
      effectiveFrom: '2022-01-04',
    },
  },
];
const staffed = onRecord('2022-01-04T09:00:00+08:00');

const seal = (over: Partial<Seal> = {}): Seal => ({
  format: SEAL_FORMAT,
  office: 'changzhi',
  at: '2022-04-01T10:00:00.000Z',
  size: 818,
  root: 'a'.repeat(64),
  heads: { streams: 71, root: 'b'.repeat(64) },
  key: 'c'.repeat(64),
  signature: 'd'.repeat(128),
  ...over,
});

const record = (s: Seal, actor: Actor = inspector, at = '2022-04-01T18:00:00+08:00'): OfficeCommand => ({
  type: 'RecordSeal',
  actor,
  at,
  data: { officeId: 'changzhi', seal: s },
});

const recorded = (s: Seal, at = '2022-04-01T18:00:00+08:00'): OfficeEvent => ({
  type: 'SealRecorded',
  data: { officeId: 'changzhi', at, seal: s },
});

describe('RecordSeal', () => {
  it('is recorded by the inspection office or the main leader, without an approval', () => {
    office
      .given(staffed)
      .when(record(seal()))
      .then([recorded(seal())]);
    office
      .given(staffed)
      .when(record(seal(), mayor))
      .then([recorded(seal())]);
  });

  it('is refused to anyone else, and to a main leader who is not the one on record', () => {
    office
      .given(staffed)
      .when(record(seal(), { id: 'clerk-qian', kind: 'section', unitId: 'section-2' }))
      .thenRejects('NotAuthorized', 'may not record a seal');
    office
      .given(staffed)
      .when(record(seal(), { id: 'nobody', kind: 'main-leader' }))
      .thenRejects('NotOnRecord', 'is not the main leader on record (mayor)');
    office
      .given(staffed)
      .when(record(seal(), { id: 'inspector-wu', kind: 'inspection-office' }))
      .thenRejects('NotOnRecord', 'is not on record as inspection-office staff');
    office
      .given(staffed)
      .when(record(seal(), { id: 'auditor-sun', kind: 'auditor' }))
      .thenRejects('AuditorsCannotAct');
  });

  it("refuses a seal of another office, and a command for another office's record", () => {
    office
      .given(staffed)
      .when(record(seal({ office: 'taiyuan' })))
      .thenRejects('OfficeMismatch', 'the seal names office taiyuan');
    office
      .given(staffed)
      .when({ ...record(seal()), data: { officeId: 'taiyuan', seal: seal() } } as OfficeCommand)
      .thenRejects('OfficeMismatch');
  });

  it('needs the record open, and a seal made before it is recorded', () => {
    office.given([]).when(record(seal())).thenRejects('OfficeNotEstablished');
    office
      .given(staffed)
      .when(record(seal({ at: '2022-04-02T00:00:00Z' })))
      .thenRejects('RecordOutOfOrder', 'after the time it is recorded');
  });

  it('keeps the same seal once, and keeps two different seals of one size (a fork is evidence)', () => {
    office
      .given([...staffed, recorded(seal())])
      .when(record(seal()))
      .thenNothingHappens();
    const other = seal({ root: 'e'.repeat(64), signature: 'f'.repeat(128) });
    office
      .given([...staffed, recorded(seal())])
      .when(record(other))
      .then([recorded(other)]);
    office
      .given([...staffed, recorded(seal())])
      .when(record(other))
      .thenEvents((_, state) => {
        expect(state.seals).toEqual([
          { revision: staffed.length, at: '2022-04-01T18:00:00+08:00', seal: seal() },
        ]);
      });
  });

  it('decodes only well-formed seals: hex digests, a 64-byte signature, the format named', () => {
    const bad = decodeCommand({
      ...record(seal()),
      data: {
        officeId: 'changzhi',
        seal: { ...seal(), root: 'A'.repeat(64), signature: 'd'.repeat(127), format: 'other', size: 0 },
      },
    });
    expect(isLeft(bad)).toBe(true);
    const paths = isLeft(bad) ? bad.left.problems.map((p) => `${p.path}: ${p.message}`) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'data.seal.root: must be a SHA-256 digest: 64 lowercase hexadecimal digits',
        'data.seal.signature: must be an Ed25519 signature: 128 lowercase hexadecimal digits',
        expect.stringMatching(/^data\.seal\.format: /),
        'data.seal.size: must be a whole number from 1 to 9007199254740991',
      ]),
    );
    expect(isLeft(decodeEvent(recorded(seal())))).toBe(false);
  });
});
