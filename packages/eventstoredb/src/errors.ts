import {
  isCommandError,
  MaxAppendSizeExceededError,
  WrongExpectedVersionError,
  type CurrentRevision,
} from '@eventstore/db-client';
import type { AppendError, ExpectedRevision } from '@duban/engine';

/** What the adapter says about where it talks to, for messages: the connection string without credentials. */
export const describeTarget = (connection: string | undefined): string =>
  connection ? `EventStoreDB at ${connection.replace(/\/\/[^@/]*@/, '//')}` : 'EventStoreDB';

export const wrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  current: CurrentRevision,
): AppendError => {
  const actual = current === 'no_stream' ? 'no-stream' : current;
  return {
    code: 'WrongExpectedRevision',
    streamId,
    expected,
    actual,
    message: `append to ${streamId} expected ${String(expected)} but the stream is at ${String(actual)}`,
  };
};

export const appendTooLarge = (streamId: string, size: number, limit: number): AppendError => ({
  code: 'AppendTooLarge',
  streamId,
  size,
  limit,
  message: `append to ${streamId} carries ${size} bytes, over the limit of ${limit}`,
});

export const storeUnavailable = (target: string, why: string, cause?: unknown): AppendError => ({
  code: 'StoreUnavailable',
  message: `${target}: ${why}`,
  ...(cause === undefined ? {} : { cause }),
});

/** gRPC or client errors: a status code or one of the client's error classes. */
const isServerError = (error: unknown): error is Error =>
  error instanceof Error && (isCommandError(error) || typeof (error as { code?: unknown }).code === 'number');

/** A read or subscription that failed on the server's side; the client's error is its cause. */
class ReadFailure extends Error {}

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
    return {
      code: 'StoreUnavailable',
      message: `${error.message}, for the append to ${context.streamId}`,
      cause: error.cause,
    };
  if (isServerError(error)) {
    const kind = isCommandError(error) ? `${error.type}: ` : '';
    return storeUnavailable(
      context.target,
      `append to ${context.streamId} failed (${kind}${error.message})`,
      error,
    );
  }
  throw error;
};

/** Errors thrown while reading or subscribing name the server and the cause, the client's error kept. */
export const readFailure = (target: string, what: string, error: unknown): Error => {
  if (!isServerError(error)) return error instanceof Error ? error : new Error(String(error));
  const kind = isCommandError(error) ? `${error.type}: ` : '';
  return new ReadFailure(`${target}: ${what} failed (${kind}${error.message})`, { cause: error });
};
