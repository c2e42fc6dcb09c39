import { idRecord } from '@duban/domain';
import type { Hashable } from '../envelope/hash-chain';
import { commandSignatureVerifies } from './command-signature';

/**
 * Checks every command signature in a history read in global order (docs/auditing.md, "Signed
 * commands"), against the keys on the office's record at that point of the history: the office's own
 * ActorKeyRegistered / ActorKeyRevoked events, folded as they come. Needs nothing but the history.
 */
export interface SignatureFinding {
  readonly line?: number;
  readonly streamId: string;
  readonly revision: number;
  readonly problem: 'bad-signature' | 'key-not-in-force' | 'unsigned';
  readonly message: string;
}

export interface SignatureAuditReport {
  /** Events that carry a signature, and those of them that verify with the key then on record. */
  readonly signed: number;
  readonly verified: number;
  readonly findings: readonly SignatureFinding[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const createSignatureAudit = () => {
  const keys = idRecord<string>();
  const findings: SignatureFinding[] = [];
  let signed = 0;
  let verified = 0;
  return {
    /** One event as stored (events whose envelope does not read are left to the chain check). */
    push(event: Hashable | undefined, line?: number): void {
      const m = event?.metadata;
      if (!event || !isObject(m) || typeof m.streamId !== 'string' || typeof m.revision !== 'number') return;
      const actor = m.actor;
      if (!isObject(actor) || typeof actor.id !== 'string') return;
      const where = { ...(line === undefined ? {} : { line }), streamId: m.streamId, revision: m.revision };
      const inForce = keys[actor.id];
      const signature = m.signature;
      if (signature !== undefined) {
        signed += 1;
        const s = isObject(signature) ? signature : {};
        if (typeof s.publicKey !== 'string' || s.publicKey !== inForce)
          findings.push({
            ...where,
            problem: 'key-not-in-force',
            message: `signed with a key that is not ${actor.id}'s key on record at this point of the history${inForce === undefined ? ' (they have none)' : ''}`,
          });
        else if (
          typeof s.value === 'string' &&
          typeof m.commandType === 'string' &&
          typeof m.at === 'string' &&
          typeof m.commandId === 'string' &&
          typeof m.commandDigest === 'string' &&
          commandSignatureVerifies(
            {
              type: m.commandType,
              actor: actor as never,
              at: m.at,
              commandId: m.commandId,
              commandDigest: m.commandDigest,
            },
            s.value,
            inForce,
          )
        )
          verified += 1;
        else
          findings.push({
            ...where,
            problem: 'bad-signature',
            message: `the signature of ${actor.id}'s command ${String(m.commandId)} does not verify with their key on record`,
          });
      } else if (inForce !== undefined)
        findings.push({
          ...where,
          problem: 'unsigned',
          message: `unsigned, though ${actor.id} had a signing key on record at this point of the history`,
        });
      // The office's key record moves on after the event that changes it.
      const d = event.data;
      if (m.streamId === 'office' && isObject(d) && typeof d.personId === 'string') {
        if (event.type === 'ActorKeyRegistered' && typeof d.publicKey === 'string')
          keys[d.personId] = d.publicKey;
        if (event.type === 'ActorKeyRevoked' && keys[d.personId] === d.publicKey) delete keys[d.personId];
      }
    },
    finish: (): SignatureAuditReport => ({ signed, verified, findings }),
  };
};
