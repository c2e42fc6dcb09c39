import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { Actor } from '@duban/domain';

/**
 * Who is calling (docs/embedding.md, "Who is calling"). The host authenticates the person behind a
 * request (a session, a client certificate) and says which actor that is; the engine refuses a command
 * whose actor is someone else. Without this port the engine takes the command's actor as the caller:
 * an embedded library cannot authenticate the code that calls it (that code could as well append to
 * the store), so the host that serves several people is the one that must plug it in.
 */
export type Authenticate = (credentials: unknown) => Either<AuthenticationFailure, Actor>;

/** Why the host could not tell who is calling (expired session, unknown certificate…), in its words. */
export interface AuthenticationFailure {
  readonly reason: string;
}

/** Per call: what the host's `authenticate` reads to say who is calling. */
export interface ExecuteOptions {
  readonly credentials?: unknown;
}

/** The caller could not be authenticated, or is not the command's actor. Nothing was written. */
export interface AuthenticationError {
  readonly kind: 'AuthenticationError';
  readonly code: 'NotAuthenticated' | 'ActorIsNotCaller';
  readonly message: string;
  /** The input field at fault: `actor` when the command claims someone the caller is not. */
  readonly field?: 'actor';
}

const sameActor = (a: Actor, b: Actor) => a.id === b.id && a.kind === b.kind && a.unitId === b.unitId;

const describe = (a: Actor) => `${a.kind} ${a.id}${a.unitId === undefined ? '' : ` of ${a.unitId}`}`;

/** The caller's check: the command's actor must be exactly who `authenticate` says is calling. */
export const checkCaller = (
  authenticate: Authenticate | undefined,
  credentials: unknown,
  actor: Actor,
): Either<AuthenticationError, Actor> => {
  if (!authenticate) return right(actor);
  const caller = authenticate(credentials);
  if (isLeft(caller))
    return left({
      kind: 'AuthenticationError',
      code: 'NotAuthenticated',
      message: `the caller is not authenticated: ${caller.left.reason}; nothing was written`,
    });
  if (!sameActor(caller.right, actor))
    return left({
      kind: 'AuthenticationError',
      code: 'ActorIsNotCaller',
      field: 'actor',
      message: `the command is issued as ${describe(actor)}, but the caller is ${describe(caller.right)}; nothing was written`,
    });
  return right(caller.right);
};
