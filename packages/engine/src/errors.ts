import type { DomainError, ValidationError } from '@duban/domain';
import type { AppendError } from './store/event-store';
import type { ChainBreak } from './envelope/hash-chain';

/** Every way `execute` can fail, as values. Match on `code`. */
export type EngineError = ValidationError | DomainError | ConcurrencyError | StoreError | IntegrityError;

/** Concurrent writers kept winning: the command was retried `attempts` times and never appended. */
export interface ConcurrencyError {
  readonly kind: 'ConcurrencyError';
  readonly code: 'ConcurrencyConflict';
  readonly streamId: string;
  readonly attempts: number;
  readonly message: string;
}

/** The store refused the append (too large) or could not be reached. Nothing was written. */
export interface StoreError {
  readonly kind: 'StoreError';
  readonly code: Exclude<AppendError['code'], 'WrongExpectedRevision'>;
  readonly message: string;
  readonly cause?: AppendError;
}

/** The stream read back does not verify: the engine refuses to decide on an altered history. */
export interface IntegrityError {
  readonly kind: 'IntegrityError';
  readonly code: 'HistoryAltered';
  readonly break: ChainBreak;
  readonly message: string;
}
