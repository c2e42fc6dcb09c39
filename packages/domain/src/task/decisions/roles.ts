import type { Actor } from '../../actor';
import type { TaskState } from '../state';
import type { OrganisationView } from '../../office/organisation-view';

/** Who is who on a task (谁交办谁负责，谁负责谁督办). */
export const isLeadUnit = (a: Actor, s: TaskState) => a.kind === 'unit' && a.unitId === s.leadUnit;
export const isCoUnit = (a: Actor, s: TaskState) =>
  a.kind === 'unit' && a.unitId !== undefined && s.coUnits.includes(a.unitId);
export const isTaskSection = (a: Actor, s: TaskState) => a.kind === 'section' && a.unitId === s.sectionId;
export const isSupervisor = (a: Actor, s: TaskState) =>
  s.supervisor.kind === 'section'
    ? a.kind === 'section' && a.unitId === s.supervisor.sectionId
    : a.kind === 'inspection-office';
export const supervisorName = (s: TaskState) =>
  s.supervisor.kind === 'section' ? `section ${s.supervisor.sectionId}` : 'the inspection office (督查室)';
/** Records facts about a task: its supervisor, the section that handed it out, the inspection office, the main leader. */
export const mayRecordFacts = (a: Actor, s: TaskState) =>
  isSupervisor(a, s) || isTaskSection(a, s) || a.kind === 'inspection-office' || a.kind === 'main-leader';
/**
 * Approves closure: the main leader for a key task (重点事项); otherwise the deputy leader in charge
 * (分管领导) or the main leader. With an office record the leader in charge is the one the task recorded
 * at assignment; without one, as before the record was kept, any deputy leader for a task the main leader
 * decided, the deciding deputy leader otherwise.
 */
export const mayApproveClosure = (a: Actor, s: TaskState, org?: OrganisationView) =>
  a.kind === 'main-leader' ||
  (!s.key &&
    a.kind === 'deputy-leader' &&
    (org
      ? s.deputyInCharge === a.id
      : s.deputyInCharge !== undefined
        ? s.deputyInCharge === a.id
        : s.origin.kind === 'main-leader' || s.origin.leaderId === a.id));

/** The leaders whose approval an extension may carry: the deputy leader in charge, or the main leader. */
export const extensionApprovers = (s: TaskState, org: OrganisationView): string[] =>
  [s.deputyInCharge, org.mainLeader].filter((x): x is string => x !== undefined);
