import type { AppendError, ExpectedRevision } from './event-store';

/**
 * The refusals every store adapter gives an append, built in one place so that the in-memory store,
 * PostgreSQL and EventStoreDB word them alike (the store contract compares them).
 */

/** The stream is not at the revision the append expected; `actual` is its last revision or `no-stream`. */
export const wrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  actual: bigint | 'no-stream',
): AppendError => ({
  code: 'WrongExpectedRevision',
  streamId,
  expected,
  actual,
  message: `append to ${streamId} expected ${String(expected)} but the stream is at ${String(actual)}`,
});

/** The append's serialized events weigh more than the store takes in one request. */
export const appendTooLarge = (streamId: string, size: number, limit: number): AppendError => ({
  code: 'AppendTooLarge',
  streamId,
  size,
  limit,
  message: `append to ${streamId} carries ${size} bytes, over the limit of ${limit}`,
});
