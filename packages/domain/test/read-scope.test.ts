import { canRead, readsEverything, type Actor, type ReadSubject, type TaskParties } from '@duban/domain';

// A deputy leader's task handed out by section-2: lead unit transport, co-unit finance.
const sectionTask: TaskParties = {
  leadUnit: 'transport',
  coUnits: ['finance'],
  sectionId: 'section-2',
  supervisor: { kind: 'section', sectionId: 'section-2' },
};
// A task the main leader assigned directly: supervised by the inspection office, reviewed by section-3.
const officeTask: TaskParties = {
  leadUnit: 'housing',
  coUnits: [],
  sectionId: 'section-3',
  supervisor: { kind: 'inspection-office' },
};

const unit = (unitId: string): Actor => ({ kind: 'unit', id: `staff-of-${unitId}`, unitId });
const section = (sectionId: string): Actor => ({
  kind: 'section',
  id: `staff-of-${sectionId}`,
  unitId: sectionId,
});
const task = (t: TaskParties): ReadSubject => ({ kind: 'task', task: t });

const everyone: Actor[] = [
  { kind: 'main-leader', id: 'mayor' },
  { kind: 'deputy-leader', id: 'deputy-1' },
  { kind: 'inspection-office', id: 'inspector' },
  { kind: 'auditor', id: 'audit-1' },
];

describe('canRead (在一定范围内)', () => {
  it.each(everyone)('$kind reads every task, record, unpublished assessment and publication', (actor) => {
    expect(readsEverything(actor)).toBe(true);
    for (const subject of [
      task(sectionTask),
      task(officeTask),
      { kind: 'unit', unitId: 'transport' },
      { kind: 'assessment', unitId: 'housing', published: false },
      { kind: 'publication' },
      { kind: 'office-record' },
    ] satisfies ReadSubject[])
      expect(canRead(actor, subject)).toBe(true);
  });

  describe('a unit', () => {
    it('reads a task it leads and a task it co-operates on', () => {
      expect(canRead(unit('transport'), task(sectionTask))).toBe(true);
      expect(canRead(unit('finance'), task(sectionTask))).toBe(true);
    });

    it("does not read another unit's task", () => {
      expect(canRead(unit('housing'), task(sectionTask))).toBe(false);
      expect(canRead(unit('transport'), task(officeTask))).toBe(false);
      expect(readsEverything(unit('transport'))).toBe(false);
    });

    it('reads its own record and assessment, not another unit’s before publication', () => {
      expect(canRead(unit('transport'), { kind: 'unit', unitId: 'transport' })).toBe(true);
      expect(canRead(unit('transport'), { kind: 'unit', unitId: 'finance' })).toBe(false);
      expect(canRead(unit('transport'), { kind: 'assessment', unitId: 'transport', published: false })).toBe(
        true,
      );
      expect(canRead(unit('transport'), { kind: 'assessment', unitId: 'finance', published: false })).toBe(
        false,
      );
    });

    it('reads published 通报 and the office record', () => {
      expect(canRead(unit('transport'), { kind: 'assessment', unitId: 'finance', published: true })).toBe(
        true,
      );
      expect(canRead(unit('transport'), { kind: 'publication' })).toBe(true);
      expect(canRead(unit('transport'), { kind: 'office-record' })).toBe(true);
    });

    it('without a unit on record reads no task', () => {
      expect(canRead({ kind: 'unit', id: 'someone' }, task(sectionTask))).toBe(false);
    });
  });

  describe('a section', () => {
    it('reads the tasks it handed out and supervises', () => {
      expect(canRead(section('section-2'), task(sectionTask))).toBe(true);
      // The main leader's task: the inspection office supervises, the section still reviews closure.
      expect(canRead(section('section-3'), task(officeTask))).toBe(true);
    });

    it('reads a task it supervises after it was handed out by another section', () => {
      const moved: TaskParties = { ...sectionTask, supervisor: { kind: 'section', sectionId: 'section-9' } };
      expect(canRead(section('section-9'), task(moved))).toBe(true);
    });

    it("does not read another section's task, a unit's record or an unpublished assessment", () => {
      expect(canRead(section('section-3'), task(sectionTask))).toBe(false);
      expect(canRead(section('section-2'), { kind: 'unit', unitId: 'transport' })).toBe(false);
      expect(
        canRead(section('section-2'), { kind: 'assessment', unitId: 'transport', published: false }),
      ).toBe(false);
      expect(
        canRead(section('section-2'), { kind: 'assessment', unitId: 'transport', published: true }),
      ).toBe(true);
    });
  });

  describe('system', () => {
    const system: Actor = { kind: 'system', id: 'sweeper' };
    it('reads every task and the office record for deadline checks', () => {
      expect(canRead(system, task(sectionTask))).toBe(true);
      expect(canRead(system, task(officeTask))).toBe(true);
      expect(canRead(system, { kind: 'office-record' })).toBe(true);
    });
    it("does not read units' records or unpublished assessments", () => {
      expect(canRead(system, { kind: 'unit', unitId: 'transport' })).toBe(false);
      expect(canRead(system, { kind: 'assessment', unitId: 'transport', published: false })).toBe(false);
    });
  });
});
