import type { ExpectedVersion } from './log';
import { streams } from './proto';

/** Append and BatchAppend name the same four choices differently; both map onto the log's. */
export const expectedFromAppend = (o: streams.AppendReq.Options): ExpectedVersion | undefined =>
  o.hasRevision()
    ? { kind: 'revision', revision: BigInt(o.getRevision()) }
    : o.hasNoStream()
      ? { kind: 'no_stream' }
      : o.hasStreamExists()
        ? { kind: 'stream_exists' }
        : o.hasAny()
          ? { kind: 'any' }
          : undefined;

export const expectedFromBatchAppend = (o: streams.BatchAppendReq.Options): ExpectedVersion | undefined =>
  o.hasStreamPosition()
    ? { kind: 'revision', revision: BigInt(o.getStreamPosition()) }
    : o.hasNoStream()
      ? { kind: 'no_stream' }
      : o.hasStreamExists()
        ? { kind: 'stream_exists' }
        : o.hasAny()
          ? { kind: 'any' }
          : undefined;
