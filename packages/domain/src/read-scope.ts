import type { Actor } from './actor';
import type { Supervisor } from './task/vocabulary';

/**
 * Who a task concerns, as far as reading it goes: its lead unit and co-units, the section that handed
 * it out (对应科室, which reviews closure and decides extensions) and its supervisor. A `TaskState`
 * is one.
 */
export interface TaskParties {
  readonly leadUnit: string;
  readonly coUnits: readonly string[];
  readonly sectionId: string;
  readonly supervisor: Supervisor;
}

/**
 * What may be read (在一定范围内):
 * - `task`: a task's whole record — its events, state, card on the board, timeline, warnings about it;
 * - `unit`: a unit's own record — inspections, interviews, referrals, commendations and criticisms
 *   published about it, on its stream;
 * - `assessment`: the office's assessment of one unit — its score lines and rank, its place in a
 *   project's staged 通报, its accountability flags. `published` when it is part of a 通报 the office
 *   published (QuarterlyRankingPublished, AnnualEvaluationPublished);
 * - `publication`: a published 通报 as a whole (a quarterly ranking, an annual evaluation);
 * - `office-record`: the organisation, calendars, time-limit profiles and policies every reader works
 *   under.
 */
export type ReadSubject =
  | { readonly kind: 'task'; readonly task: TaskParties }
  | { readonly kind: 'unit'; readonly unitId: string }
  | { readonly kind: 'assessment'; readonly unitId: string; readonly published: boolean }
  | { readonly kind: 'publication' }
  | { readonly kind: 'office-record' };

/** The kinds of actor that read everything: the leaders, the inspection office, auditors. */
const READS_EVERYTHING: ReadonlySet<Actor['kind']> = new Set([
  'main-leader',
  'deputy-leader',
  'inspection-office',
  'auditor',
]);

/** Does the actor read everything (no read scope narrows what it sees)? */
export const readsEverything = (actor: Actor): boolean => READS_EVERYTHING.has(actor.kind);

const supervisesTask = (sectionId: string, task: TaskParties): boolean =>
  task.sectionId === sectionId ||
  (task.supervisor.kind === 'section' && task.supervisor.sectionId === sectionId);

/**
 * May `actor` read `subject`? The one rule for every read model (在一定范围内):
 *
 * - the main leader, deputy leaders, the inspection office and auditors read everything;
 * - a unit (`actor.unitId`) reads the tasks it leads or co-operates on (协办), its own record, its own
 *   assessment even before publication, every published 通报 and the office record — not another
 *   unit's tasks, record or unpublished assessment;
 * - a section (`actor.unitId` is the section) reads the tasks it handed out or supervises, published
 *   通报 and the office record — not units' records nor unpublished assessments, which are the
 *   inspection office's and the leaders' until published;
 * - `system` (the deadline sweep) reads what deadline checks need: every task and the office record,
 *   and published 通报 — not units' records nor unpublished assessments.
 *
 * Unpublished assessments are read by the unit they are about only: its own score lines (all about its
 * own tasks and its own interviews, which it may read anyway) and its provisional rank — the office
 * feeds results back to each unit (向承办单位主要负责人反馈评价结果) — but another unit's score, lines
 * or flags become readable only when the office publishes the 通报.
 */
export const canRead = (actor: Actor, subject: ReadSubject): boolean => {
  if (readsEverything(actor)) return true;
  switch (subject.kind) {
    case 'publication':
    case 'office-record':
      return true;
    case 'task':
      switch (actor.kind) {
        case 'system':
          return true;
        case 'unit':
          return (
            actor.unitId !== undefined &&
            (subject.task.leadUnit === actor.unitId || subject.task.coUnits.includes(actor.unitId))
          );
        case 'section':
          return actor.unitId !== undefined && supervisesTask(actor.unitId, subject.task);
        default:
          return false;
      }
    case 'unit':
      return actor.kind === 'unit' && actor.unitId === subject.unitId;
    case 'assessment':
      return subject.published || (actor.kind === 'unit' && actor.unitId === subject.unitId);
  }
};
