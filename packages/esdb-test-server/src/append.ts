import type { handleClientStreamingCall, ServiceError } from '@grpc/grpc-js';
import { invalidArgumentError, maxAppendSizeExceededError, requiredMetadataMissingError } from './errors';
import { expectedFromAppend } from './expected-version';
import {
  sizeOnDisk,
  type AppendOutcome,
  type EsdbLog,
  type ExpectedVersion,
  type ProposedRecord,
} from './log';
import { shared, streams } from './proto';
import { missingMetadata, streamName, toProposedRecord } from './records';
import type { Writer } from './writer';

/**
 * Streams.Append: a client stream of one Options message followed by one ProposedMessage per event.
 * Size and metadata problems end the call with trailers as soon as they are seen; a wrong expected
 * version is not an RPC error here but a field of the response body. The write waits its turn at the
 * server's single writer.
 */
export const appendHandler =
  (
    log: EsdbLog,
    maxAppendSize: number,
    writer: Writer,
  ): handleClientStreamingCall<streams.AppendReq, streams.AppendResp> =>
  (call, callback) => {
    const answered = writer.begin();
    call.once('cancelled', answered);
    let options: streams.AppendReq.Options | undefined;
    const records: ProposedRecord[] = [];
    let size = 0;
    let done = false;
    const fail = (error: ServiceError) => {
      if (done) return;
      done = true;
      answered();
      callback(error);
    };

    call.on('data', (req: streams.AppendReq) => {
      if (done) return;
      if (req.hasOptions()) {
        if (options) return fail(invalidArgumentError('Options were sent twice.'));
        options = req.getOptions();
        return;
      }
      const message = req.getProposedMessage();
      if (!options || !message) return fail(invalidArgumentError('Options must come first.'));
      const missing = missingMetadata(message);
      if (missing) return fail(requiredMetadataMissingError(missing));
      const record = toProposedRecord(message);
      size += sizeOnDisk(record);
      if (size > maxAppendSize) return fail(maxAppendSizeExceededError(maxAppendSize));
      records.push(record);
    });

    call.on('end', () => {
      if (done) return;
      const expected = options && expectedFromAppend(options);
      if (!options || !expected) return fail(invalidArgumentError('Missing append options.'));
      done = true;
      const streamId = streamName(options.getStreamIdentifier());
      writer.submit(
        () => log.append(streamId, expected, records),
        (outcome) => {
          answered();
          // A call the client gave up on is still written (as on a real server), just not answered.
          if (!call.cancelled) callback(null, appendResponse(outcome, expected));
        },
      );
    });
  };

const appendResponse = (outcome: AppendOutcome, expected: ExpectedVersion): streams.AppendResp => {
  if (outcome.kind === 'ok') {
    const success = new streams.AppendResp.Success();
    if (outcome.current === undefined) success.setNoStream(new shared.Empty());
    else success.setCurrentRevision(outcome.current.toString());
    if (outcome.position === undefined) success.setNoPosition(new shared.Empty());
    else
      success.setPosition(
        new streams.AppendResp.Position()
          .setCommitPosition(outcome.position.toString())
          .setPreparePosition(outcome.position.toString()),
      );
    return new streams.AppendResp().setSuccess(success);
  }
  const wrong = new streams.AppendResp.WrongExpectedVersion();
  if (outcome.current === undefined) wrong.setCurrentNoStream(new shared.Empty());
  else wrong.setCurrentRevision(outcome.current.toString());
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new shared.Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new shared.Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new shared.Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      break;
  }
  return new streams.AppendResp().setWrongExpectedVersion(wrong);
};
