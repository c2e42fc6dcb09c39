import type { Actor } from '../actor';
import { domainError, type DomainError } from '../errors';
import type { OrganisationView } from './organisation-view';

/**
 * Is the actor on record, in the role they act in, on the day? With an office record, every command's
 * actor must be: the main leader by name, a deputy leader appointed, staff of the section or unit they
 * act for, of the inspection office, or the registered system account. (The host authenticates who is
 * calling; this checks that the account it names holds the role it claims.)
 */
export const actorNotOnRecord = (
  actor: Actor,
  org: OrganisationView | undefined,
): DomainError | undefined => {
  if (!org) return undefined;
  const refuse = (why: string) =>
    domainError(
      'NotOnRecord',
      `${actor.kind} ${actor.id}${actor.unitId ? ` of ${actor.unitId}` : ''} ${why} on ${org.date}`,
      'actor',
    );
  switch (actor.kind) {
    case 'main-leader':
      return actor.id === org.mainLeader
        ? undefined
        : refuse(`is not the main leader on record (${org.mainLeader ?? 'none'})`);
    case 'deputy-leader':
      return org.isLeader(actor.id, 'deputy-leader') ? undefined : refuse('is not a deputy leader on record');
    case 'auditor':
      return undefined; // auditors issue no command; the deciders say so
    default: {
      const staff = org.staffRole(actor.id);
      if (!staff || staff.role !== actor.kind) return refuse(`is not on record as ${actor.kind} staff`);
      if ((actor.kind === 'section' || actor.kind === 'unit') && staff.orgId !== actor.unitId)
        return refuse(`is on record as staff of ${staff.orgId}, not of ${actor.unitId ?? 'no unit'}`);
      return undefined;
    }
  }
};
