import type { Seal } from './seal';
import { verifyConsistency, type MerkleTree } from './merkle';

/**
 * Two seals of one history: does the newer one extend the older (RFC 9162 §2.1.4)? The proof is made
 * from the history's leaves and checked against the two signed roots alone, as an outsider holding only
 * the two seals and the proof would check it.
 */
export interface SealConsistency {
  readonly ok: boolean;
  readonly older: Seal;
  readonly newer: Seal;
  /** PROOF(older.size, D[newer.size]), hex; empty when the sizes are equal. */
  readonly proof: readonly string[];
  readonly message: string;
}

/** `tree`: the history's leaves, at least the newer seal's size of them. */
export const checkSealConsistency = (a: Seal, b: Seal, tree: MerkleTree): SealConsistency => {
  const [older, newer] = a.size <= b.size ? [a, b] : [b, a];
  const when = (s: Seal) => `the seal of ${s.size} events made ${s.at}`;
  if (tree.size < newer.size)
    return {
      ok: false,
      older,
      newer,
      proof: [],
      message: `the history holds ${tree.size} events, fewer than ${when(newer)} covers: no proof can be made from it`,
    };
  const proof =
    older.size === newer.size ? [] : tree.consistencyProof(older.size).map((h) => h.toString('hex'));
  const ok = verifyConsistency(
    older.size,
    newer.size,
    proof.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(older.root, 'hex'),
    Buffer.from(newer.root, 'hex'),
  );
  const message = ok
    ? older.size === newer.size
      ? `the two seals are of the same ${older.size} events`
      : `${when(newer)} extends ${when(older)}: its first ${older.size} events are those sealed then (consistency proof of ${proof.length} hashes)`
    : older.size === newer.size
      ? `the two seals cover ${older.size} events each but their roots differ: the office signed two different histories`
      : `${when(newer)} does not extend ${when(older)}: the history sealed then was changed before the newer seal was made`;
  return { ok, older, newer, proof, message };
};
