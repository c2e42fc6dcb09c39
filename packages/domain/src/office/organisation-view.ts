import type { LocalDate } from '../codec';
import type { LeaderRole, StaffRole } from './vocabulary';

/**
 * The organisation on record on one date, as the deciders consult it: who the main leader is, who is in
 * charge of what (分管), which units and sections exist, who is staff of what. Read off the office's
 * record; absent from a context when the history keeps no office record (then nothing is checked
 * against it, as before Duban kept one).
 */
export interface OrganisationView {
  readonly officeId: string;
  /** The local date it describes. */
  readonly date: LocalDate;
  readonly mainLeader: string | undefined;
  isLeader(personId: string, role: LeaderRole): boolean;
  /** The deputy leader in charge (分管) of a section, or of a unit, on this date. */
  deputyInChargeOf(what: { sectionId?: string; unitId?: string }): string | undefined;
  hasUnit(unitId: string): boolean;
  hasSection(sectionId: string): boolean;
  /** The staff role a person holds on this date, and for whom. */
  staffRole(personId: string): { readonly role: StaffRole; readonly orgId?: string } | undefined;
}
