/**
 * Why a key, a seal, a seal index, a proof or a heads file could not be used. `where` names the file
 * (and line, for text formats) or the field; `code` is stable for callers to match on.
 */
export type EvidenceErrorCode =
  | 'KeyUnreadable' // not PEM, not a JWK, or damaged
  | 'KeyNotEd25519' // another algorithm
  | 'KeyNotPrivate' // a public key where the signing key was asked for
  | 'KeyNotPublic' // a private key where a public key was asked for (an auditor never needs one)
  | 'SealMalformed'
  | 'SealIndexMalformed'
  | 'ProofMalformed'
  | 'HeadsMalformed'
  | 'HistoryUnsealable'; // a history with a broken chain or an event without an envelope

export interface EvidenceError {
  readonly kind: 'EvidenceError';
  readonly code: EvidenceErrorCode;
  readonly message: string;
  /** Every problem found, each with the field (or line) it is about and the rule. */
  readonly problems: readonly { readonly where: string; readonly message: string }[];
}

export const evidenceError = (
  code: EvidenceErrorCode,
  message: string,
  problems: readonly { readonly where: string; readonly message: string }[] = [],
): EvidenceError => ({ kind: 'EvidenceError', code, message, problems });
