/**
 * Evidence an outsider can check (docs/auditing.md, "Seals"): an RFC 9162 Merkle tree over the history
 * in global order, seals signed with the office's Ed25519 key, inclusion proofs for a task or a unit,
 * consistency between two seals, and stream heads as a file.
 */
export * from './errors';
export * from './merkle';
export * from './heads';
export * from './keys';
export * from './seal';
export * from './check';
export * from './proof';
export * from './consistency';
export * from './command-signature';
export * from './signature-audit';
export * from './sealed-prefix';
