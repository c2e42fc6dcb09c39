import type { DomainError, ValidationError } from '@duban/domain';
import type { AppendError } from './store/event-store';
import type { ChainBreak } from './envelope/hash-chain';
import type { AuthenticationError } from './authenticate';
import type { SignatureError } from './evidence/command-signature';

export type { AuthenticationError } from './authenticate';
export type { SignatureError } from './evidence/command-signature';

/** Every way `execute` can fail, as values (it never throws). Match on `code`. */
export type EngineError =
  | ValidationError
  | AuthenticationError
  | SignatureError
  | DomainError
  | ConcurrencyError
  | IdempotencyError
  | StoreError
  | IntegrityError
  | InternalError;

/** Concurrent writers kept winning: the command was retried `attempts` times and never appended. */
export interface ConcurrencyError {
  readonly kind: 'ConcurrencyError';
  readonly code: 'ConcurrencyConflict';
  readonly streamId: string;
  readonly attempts: number;
  readonly message: string;
}

/**
 * The command id was already used on this stream for another command (as payment APIs answer a reused
 * idempotency key with other parameters). Nothing was written; the first command's events stand.
 */
export interface IdempotencyError {
  readonly kind: 'IdempotencyError';
  readonly code: 'IdempotencyKeyReused';
  readonly streamId: string;
  readonly commandId: string;
  /** What differs from the command first executed under this id. */
  readonly differs: ReadonlyArray<'type' | 'actor' | 'at' | 'data'>;
  readonly message: string;
}

/**
 * The store refused the append (too large) or could not be reached, while reading or writing. Nothing
 * the engine reported as committed is missing: when an append's answer was lost, the same command id
 * retried later commits it exactly once.
 */
export interface StoreError {
  readonly kind: 'StoreError';
  readonly code: Exclude<AppendError['code'], 'WrongExpectedRevision'>;
  readonly message: string;
  /** The store's own error (an AppendError, or what its client threw). */
  readonly cause?: unknown;
}

/** The stream read back does not verify: the engine refuses to decide on an altered history. */
export interface IntegrityError {
  readonly kind: 'IntegrityError';
  readonly code: 'HistoryAltered';
  readonly break: ChainBreak;
  readonly message: string;
}

/** A defect: something threw that should not have (an upcaster, a decider). Nothing was written. */
export interface InternalError {
  readonly kind: 'InternalError';
  readonly code: 'Unexpected';
  readonly message: string;
  readonly cause?: unknown;
}
