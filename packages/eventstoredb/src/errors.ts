import {
  isCommandError,
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
  type CurrentRevision,
} from '@eventstore/db-client';
import {
  appendTooLarge,
  wrongExpectedRevision as engineWrongExpectedRevision,
  type AppendError,
  type ExpectedRevision,
} from '@duban/engine';

/**
 * What the adapter says about where it talks to, for messages: the connection string without credentials.
 * The client reads `user:password@` after the scheme (the password runs to the first `@`, so it may hold
 * `/` or `?`); that is removed, and any other userinfo before the first `/`, `?` or `#` with it.
 */
export const describeTarget = (connection: string | undefined): string =>
  connection
    ? `EventStoreDB at ${connection.trim().replace(/^([a-z+]+:\/\/)(?:[^:]+:[^@]+@|[^/?#@]*@)/i, '$1')}`
    : 'EventStoreDB';

export const wrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  current: CurrentRevision,
): AppendError =>
  // The engine's wording, with this store's way of saying "no stream".
  engineWrongExpectedRevision(streamId, expected, current === 'no_stream' ? 'no-stream' : current);

export const storeUnavailable = (target: string, why: string, cause?: unknown): AppendError => ({
  code: 'StoreUnavailable',
  message: `${target}: ${why}`,
  ...(cause === undefined ? {} : { cause }),
});

/** gRPC or client errors: a status code or one of the client's error classes. */
const isServerError = (error: unknown): error is Error & { code?: unknown; details?: unknown } =>
  error instanceof Error && (isCommandError(error) || typeof (error as { code?: unknown }).code === 'number');

/** gRPC status codes 0–16, as words. */
const grpcStatus = [
  'ok',
  'cancelled',
  'unknown error',
  'invalid argument',
  'deadline exceeded',
  'not found',
  'already exists',
  'permission denied',
  'resource exhausted',
  'failed precondition',
  'aborted',
  'out of range',
  'unimplemented',
  'internal error',
  'unavailable',
  'data loss',
  'unauthenticated',
];

/**
 * The text gRPC gives, tidied for a sentence: without the `14 UNAVAILABLE:` prefix (the kind is named
 * separately), without the `Error: ` of a nested error, and without grpc-js's trailing
 * `Resolution note: ` when the note is empty (it made messages end in "Resolution note: )").
 */
const tidyDetail = (text: string): string =>
  text
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/(:\s*)[A-Za-z]*Error: /g, '$1')
    .replace(/[.;,]?\s*Resolution note:\s*$/, '')
    .trim()
    .replace(/\.$/, '');

/**
 * The cause of a failure, named: the kind (the client's error type, or the gRPC status) and the server's or
 * the transport's own words, e.g. `unavailable (No connection established. Last error: connect
 * ECONNREFUSED 10.0.0.5:2113)`.
 */
export const describeCause = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const raw = isCommandError(error) ? (error as { _raw?: { details?: unknown } })._raw : undefined;
  const code = (error as { code?: unknown }).code;
  const kind =
    isCommandError(error) && error.type !== 'unknown'
      ? error.type.replace(/-/g, ' ')
      : typeof code === 'number'
        ? (grpcStatus[code] ?? `gRPC status ${code}`)
        : error.name;
  const given = raw?.details ?? (error as { details?: unknown }).details;
  const detail = tidyDetail(typeof given === 'string' && given !== '' ? given : error.message);
  const named = detail === '' || detail.toLowerCase() === kind ? kind : `${kind} (${detail})`;
  // A follower answering an append names the leader: worth saying, it tells where the cluster stands.
  const leader = (error as { leader?: { address?: unknown; port?: unknown } }).leader;
  return leader?.address ? `${named}; the leader is ${String(leader.address)}:${String(leader.port)}` : named;
};

/** A read or subscription that failed on the server's side; the client's error is its cause. */
class ReadFailure extends Error {
  constructor(
    readonly what: string,
    readonly causeText: string,
    target: string,
    cause: unknown,
  ) {
    super(`${target}: ${what} failed: ${causeText}`, { cause });
  }
}

/**
 * Maps what the client threw during an append to the port's error values. Anything from the server or the
 * connection (unavailable, deadline, not leader, access denied, stream deleted…) is StoreUnavailable with
 * the cause named; anything else is a bug in this process and is rethrown.
 */
export const appendFailure = (
  error: unknown,
  context: { streamId: string; expected: ExpectedRevision; size: number; target: string },
): AppendError => {
  if (error instanceof WrongExpectedVersionError)
    return wrongExpectedRevision(context.streamId, context.expected, error.actualVersion);
  if (error instanceof MaxAppendSizeExceededError)
    return appendTooLarge(context.streamId, context.size, error.maxAppendSize);
  // A read the append needed (to find a position or the actual revision) failed on the server.
  if (error instanceof ReadFailure)
    return storeUnavailable(
      context.target,
      `append to ${context.streamId} failed while ${error.what}: ${error.causeText}`,
      error.cause,
    );
  if (isServerError(error))
    return storeUnavailable(
      context.target,
      `append to ${context.streamId} failed: ${describeCause(error)}`,
      error,
    );
  throw error;
};

/** Errors thrown while reading or subscribing name the server and the cause, the client's error kept. */
export const readFailure = (target: string, what: string, error: unknown): Error => {
  if (!isServerError(error)) return error instanceof Error ? error : new Error(String(error));
  return new ReadFailure(what, describeCause(error), target, error);
};
