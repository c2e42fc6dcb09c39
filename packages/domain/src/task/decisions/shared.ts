import { left, right, type Either } from 'fp-ts/Either';
import type { Actor } from '../../actor';
import { domainError, type DomainError, type DomainErrorCode } from '../../errors';
import { LIMITS } from '../../limits';
import type { DomainContext } from '../../policy';
import type { TaskCommandOf, TaskCommandType } from '../commands';
import type { TaskEvent } from '../events';
import type { TaskState } from '../state';

/** The vocabulary every decision is written in. */
export type Decision = Either<DomainError, TaskEvent[]>;

export type Handler<K extends TaskCommandType> = (
  command: TaskCommandOf<K>,
  state: TaskState,
  ctx: DomainContext,
) => Decision;

/** Handlers for some of the commands, typed so each gets its own command's shape. */
export type Handlers<K extends TaskCommandType> = { readonly [C in K]: Handler<C> };

export const fail = (code: DomainErrorCode, message: string, field?: string): Decision =>
  left(domainError(code, message, field));
export const emit = (...events: TaskEvent[]): Decision => right(events);
/** The state already holds what the command asks for: nothing to record (idempotent by construction). */
export const nothing: Decision = right([]);

export const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

/** A due time `due`, set at `at`, that lies beyond the horizon (LIMITS.horizonDays): the rule it breaks. */
export const beyondHorizon = (due: string, at: string, field: string): Decision | undefined =>
  Date.parse(due) - Date.parse(at) > LIMITS.horizonDays * 86_400_000
    ? fail('DueDateTooFar', `${due} is more than ${LIMITS.horizonDays} days after ${at}`, field)
    : undefined;

export const who = (a: Actor) => `${a.kind} ${a.id}${a.unitId ? ` of ${a.unitId}` : ''}`;
export const denied = (a: Actor, what: string): Decision =>
  fail('NotAuthorized', `${who(a)} may not ${what}`, 'actor');

export const pick = <T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> => {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
};
