import * as t from 'io-ts';
import { Count, Id, Instant, intRange, refine } from '../codec';

/**
 * A seal as the office records it: the signed head of a Merkle tree over the history's events (see
 * docs/auditing.md, "Seals"). The domain only keeps it as a fact; the engine's evidence module makes
 * and checks seals (hashing and signatures are not the domain's business).
 */
export const SEAL_FORMAT = 'duban-seal/1';

const hex = (name: string, bytes: number, what: string) =>
  refine(
    t.string,
    name,
    (s) => s.length === bytes * 2 && /^[0-9a-f]*$/.test(s),
    `must be ${what}: ${bytes * 2} lowercase hexadecimal digits`,
  );

/** A SHA-256 digest, hex. */
export const Sha256Hex = hex('Sha256Hex', 32, 'a SHA-256 digest');
/** An Ed25519 signature (RFC 8032), hex. */
export const Ed25519SignatureHex = hex('Ed25519SignatureHex', 64, 'an Ed25519 signature');

export const Seal = t.strict(
  {
    format: t.literal(SEAL_FORMAT),
    /** The office whose history this is, and whose key signed it. */
    office: Id,
    /** When the seal was made. */
    at: Instant,
    /** How many events of the history, in global order, the tree covers. */
    size: intRange(1, Number.MAX_SAFE_INTEGER, 'TreeSize'),
    /** RFC 9162 Merkle tree hash over those events (a leaf is an event's chain hash). */
    root: Sha256Hex,
    /** Every stream's last revision and hash within those events: their number and a Merkle root. */
    heads: t.strict({ streams: Count, root: Sha256Hex }),
    /** SHA-256 of the raw 32-byte Ed25519 public key that signed. */
    key: Sha256Hex,
    /** Ed25519 over the RFC 8785 canonical JSON of every field but this one. */
    signature: Ed25519SignatureHex,
  },
  'Seal',
);
export type Seal = t.TypeOf<typeof Seal>;

/**
 * A seal as a published 通报 names it: the SealRecorded revision on the office's record, and the size
 * and root of the tree it signed — the events the 通报 was computed from.
 */
export const SealReference = t.strict({ revision: Count, size: Count, root: Sha256Hex }, 'SealReference');
export type SealReference = t.TypeOf<typeof SealReference>;
