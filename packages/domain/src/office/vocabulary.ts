import * as t from 'io-ts';
import { Id, LocalDate, ShortText, list } from '../codec';
import { LeaderApproval } from '../task/vocabulary';

/** What a unit on record is: a municipal department (市直部门) or a county-level government. */
export const UnitKind = t.keyof({
  department: null, // 市直部门
  county: null, // 县政府
  district: null, // 区政府
  'development-zone': null, // 高新区、经开区管委会
  other: null,
});

/** The two leader roles of the municipal government. */
export const LeaderRole = t.keyof({
  'main-leader': null, // 市政府主要领导
  'deputy-leader': null, // 市政府分管领导
});
export type LeaderRole = t.TypeOf<typeof LeaderRole>;

/** Roles of staff who act through Duban: clerks of a section, of the inspection office, of a unit. */
export const StaffRole = t.keyof({
  section: null, // 市政府办科室
  'inspection-office': null, // 督查室
  unit: null, // 承办单位
  auditor: null,
  system: null, // the 13710 system's own clock sweep
});
export type StaffRole = t.TypeOf<typeof StaffRole>;

/** A person named with a role. */
export const Person = t.strict({ personId: Id, name: ShortText }, 'Person');

/** Days of a year's calendar an office adopts: days off and weekend days worked (调休). */
export const CalendarDays = list(LocalDate, 'Days', 366);

/**
 * Changes to the office's rules are the main leader's: issued by the main leader, or prepared by the
 * inspection office with the main leader's approval on record (`approval.by` names the main leader).
 */
export const RuleApproval = { approval: LeaderApproval };

export const Recipient = t.keyof({
  'organization-personnel': null, // 组织人事部门
  'party-assessment': null, // 市委考核部门
});

/** The units a deputy leader is in charge of (分管), and the sections. */
export const Portfolio = t.strict({ sections: list(Id, 'Sections', 50), units: list(Id, 'Units', 200) });
