import * as t from 'io-ts';
import { refine } from '../codec';

/**
 * Signing keys of actors (docs/auditing.md, "Signed commands"): an Ed25519 public key (RFC 8032), its
 * 32 raw bytes in lowercase hex, registered on the office's record for a person. While a person has a
 * key in force, the engine accepts a command from them only signed with it. A key is in force from the
 * event that registers it until the one that revokes or replaces it: record order, not business time,
 * so a revoked key cannot sign a command back-dated to before its revocation.
 */
export const Ed25519PublicKeyHex = refine(
  t.string,
  'Ed25519PublicKeyHex',
  (s) => s.length === 64 && /^[0-9a-f]*$/.test(s),
  'must be an Ed25519 public key: its 32 bytes as 64 lowercase hexadecimal digits',
);

/** One key of a person as the record keeps it. */
export interface ActorKeyRecord {
  readonly publicKey: string;
  /** Office revision of the registration. */
  readonly revision: number;
  readonly at: string;
  /** Office revision of the revocation or replacement, once there is one. */
  endedRevision?: number;
  endedReason?: string;
}

/** What the key queries read of an office's record (its state's `actorKeys`): every key ever registered, by person. */
export interface KeysOnRecord {
  readonly actorKeys: Readonly<Record<string, readonly ActorKeyRecord[]>>;
}

/** The key a person must sign with now, if any. */
export const actorKeyInForce = (office: KeysOnRecord | undefined, personId: string): string | undefined =>
  office?.actorKeys[personId]?.find((k) => k.endedRevision === undefined)?.publicKey;

/** Who holds a public key (ever registered): a key belongs to one person. */
export const holderOfKey = (office: KeysOnRecord, publicKey: string): string | undefined =>
  Object.keys(office.actorKeys).find((id) => office.actorKeys[id]!.some((k) => k.publicKey === publicKey));
