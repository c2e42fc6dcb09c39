import { STATE_COUNCIL_SCHEDULES, type Actor } from '@duban/domain';
import { SWEEPER_ACTOR } from '@duban/engine';
import {
  INSPECTION_OFFICE,
  MAYOR,
  OFFICE_ID,
  OFFICE_NAME,
  OFFICE_UNIT_NAMES,
  OFFICE_UTC_OFFSET,
  PORTFOLIOS,
  unitActor,
  unitKind,
} from './office';
import { act, type Runner } from './run';

/**
 * The office goes on record before its first task (建立台账): the mayor opens the record and appoints
 * the deputy mayors; the general office's sections and the units taking part are registered; each
 * deputy mayor is given a portfolio (分管: a section and units); every person the simulation lets act
 * is registered in their role (section clerks, the inspection office, each unit's liaison, the 13710
 * system's sweep); and the inspection office adopts, with the mayor's approval, the State Council's
 * schedule of holidays and 调休 for every year the simulation touches that ships with Duban. From then
 * on the engine decides every command under this record, as in force at the command's time.
 */
export const recordOffice = async (
  run: Runner,
  options: {
    readonly at: (seconds: number) => string;
    readonly unitIds: readonly string[];
    readonly years: readonly number[];
  },
): Promise<void> => {
  const from = options.at(0).slice(0, 10);
  const officeId = OFFICE_ID;
  const units = new Set(options.unitIds);
  const as = (actor: Actor, type: string, data: Record<string, unknown>) =>
    act((i) => run.exec(type, { officeId, ...data }, actor, i));
  const byMayor = (type: string, data: Record<string, unknown>) => as(MAYOR, type, data);
  const staff = (personId: string, name: string, role: string, orgId?: string) =>
    byMayor('RegisterStaff', {
      personId,
      name,
      role,
      effectiveFrom: from,
      ...(orgId === undefined ? {} : { orgId }),
    });
  const year = from.slice(0, 4);
  await run.runPhase(options.at, 9 * 3600, [
    byMayor('EstablishOffice', {
      name: OFFICE_NAME,
      utcOffsetMinutes: OFFICE_UTC_OFFSET,
      mainLeader: { personId: MAYOR.id, name: '市长' },
      effectiveFrom: from,
    }),
    ...PORTFOLIOS.map((p) =>
      byMayor('AppointLeader', {
        personId: p.deputy.id,
        name: p.name,
        role: 'deputy-leader',
        effectiveFrom: from,
      }),
    ),
    ...PORTFOLIOS.map((p) =>
      byMayor('RegisterSection', { sectionId: p.section.unitId, name: p.sectionName, effectiveFrom: from }),
    ),
    ...options.unitIds.map((unitId) =>
      byMayor('RegisterUnit', {
        unitId,
        name: OFFICE_UNIT_NAMES.get(unitId) ?? unitId,
        kind: unitKind(unitId),
        effectiveFrom: from,
      }),
    ),
    ...PORTFOLIOS.map((p) =>
      byMayor('AssignPortfolio', {
        deputyLeaderId: p.deputy.id,
        sections: [p.section.unitId],
        units: p.units.filter((u) => units.has(u)),
        effectiveFrom: from,
        approval: { ref: `长政发〔${year}〕分工1号`, by: MAYOR.id },
      }),
    ),
    ...PORTFOLIOS.map((p) => staff(p.section.id, `${p.sectionName}督办员`, 'section', p.section.unitId)),
    staff(INSPECTION_OFFICE.id, '市政府督查室督查专员', 'inspection-office'),
    ...options.unitIds.map((unitId) =>
      staff(unitActor(unitId).id, `${OFFICE_UNIT_NAMES.get(unitId) ?? unitId}联络员`, 'unit', unitId),
    ),
    staff(SWEEPER_ACTOR.id, '“13710”督办系统定时巡检', 'system'),
    ...options.years
      .filter((y) => STATE_COUNCIL_SCHEDULES[y] !== undefined)
      .map((y) =>
        as(INSPECTION_OFFICE, 'AdoptStateCouncilCalendar', {
          year: y,
          approval: { ref: `市长批准采用国务院办公厅${y}年部分节假日安排`, by: MAYOR.id },
        }),
      ),
  ]);
};
