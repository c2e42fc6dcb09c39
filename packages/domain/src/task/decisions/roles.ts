import type { Actor } from '../../actor';
import type { TaskState } from '../state';

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
/** Approves closure: the main leader for a key task (重点事项); otherwise the deputy leader in charge, or the main leader. */
export const mayApproveClosure = (a: Actor, s: TaskState) =>
  a.kind === 'main-leader' ||
  (!s.key && a.kind === 'deputy-leader' && (s.origin.kind === 'main-leader' || s.origin.leaderId === a.id));
