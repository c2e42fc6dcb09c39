import type { handleBidiStreamingCall } from '@grpc/grpc-js';
import { badRequestStatus, maxAppendSizeExceededStatus, wrongExpectedVersionStatus } from './errors';
import { expectedFromBatchAppend } from './expected-version';
import {
  sizeOnDisk,
  type AppendOutcome,
  type EsdbLog,
  type ExpectedVersion,
  type ProposedRecord,
} from './log';
import { shared, streams, type rpcStatus } from './proto';
import { missingMetadata, streamIdentifier, streamName, toProposedRecord } from './records';
import { uuidFromMessage } from './uuid';
import { googleEmpty } from './well-known';
import type { Writer } from './writer';

interface PendingWrite {
  readonly streamId: string;
  readonly expected: ExpectedVersion;
  readonly records: ProposedRecord[];
  size: number;
  /** Marks the append answered, for the server's count of appends in flight. */
  readonly answered: () => void;
}

/**
 * Streams.BatchAppend: one long-lived bidirectional stream that carries many appends, told apart by
 * correlation id. An append may span several requests (options on the first, `is_final` on the last).
 * Every failure is a response whose `error` is a google.rpc.Status; the stream itself stays open.
 * Complete appends wait their turn at the server's single writer; answers may overtake one another.
 */
export const batchAppendHandler =
  (
    log: EsdbLog,
    maxAppendSize: number,
    writer: Writer,
  ): handleBidiStreamingCall<streams.BatchAppendReq, streams.BatchAppendResp> =>
  (call) => {
    const pending = new Map<string, PendingWrite>();
    // Appends of this call not yet answered: all of them end when the call does.
    const unanswered = new Set<() => void>();
    const begin = () => {
      const done = writer.begin();
      const answered = () => {
        unanswered.delete(answered);
        done();
      };
      unanswered.add(answered);
      return answered;
    };
    for (const end of ['cancelled', 'close', 'finish'])
      call.once(end, () => [...unanswered].forEach((answered) => answered()));

    const respond = (
      req: streams.BatchAppendReq,
      streamId: string,
      fill: (r: streams.BatchAppendResp) => void,
    ) => {
      if (call.cancelled) return;
      const resp = new streams.BatchAppendResp()
        .setCorrelationId(req.getCorrelationId())
        .setStreamIdentifier(streamIdentifier(streamId));
      fill(resp);
      call.write(resp);
    };
    const fail = (req: streams.BatchAppendReq, streamId: string, error: rpcStatus.Status) =>
      respond(req, streamId, (r) => r.setError(error));

    const answer = (req: streams.BatchAppendReq, write: PendingWrite, outcome: AppendOutcome) => {
      if (outcome.kind === 'wrong-expected-version')
        return fail(req, write.streamId, wrongExpectedVersionStatus(outcome.current, write.expected));
      respond(req, write.streamId, (r) => {
        const success = new streams.BatchAppendResp.Success();
        if (outcome.current === undefined) success.setNoStream(googleEmpty());
        else success.setCurrentRevision(outcome.current.toString());
        if (outcome.position === undefined) success.setNoPosition(googleEmpty());
        else
          success.setPosition(
            new shared.AllStreamPosition()
              .setCommitPosition(outcome.position.toString())
              .setPreparePosition(outcome.position.toString()),
          );
        r.setSuccess(success);
      });
    };

    call.on('data', (req: streams.BatchAppendReq) => {
      const key = uuidFromMessage(req.getCorrelationId()) ?? '';
      const options = req.getOptions();
      if (options) {
        const streamId = streamName(options.getStreamIdentifier());
        const expected = expectedFromBatchAppend(options);
        if (!options.hasStreamIdentifier())
          return fail(req, streamId, badRequestStatus('Required field StreamIdentifier not set.'));
        if (!expected) return fail(req, streamId, badRequestStatus('Expected stream position not set.'));
        if (!pending.has(key))
          pending.set(key, { streamId, expected, records: [], size: 0, answered: begin() });
      }
      const write = pending.get(key);
      if (!write) return; // unknown or already failed: the real server ignores the rest of it

      for (const message of req.getProposedMessagesList()) {
        const missing = missingMetadata(message);
        if (missing) {
          pending.delete(key);
          write.answered();
          return fail(
            req,
            write.streamId,
            badRequestStatus(`Required metadata property '${missing}' is missing`),
          );
        }
        const record = toProposedRecord(message);
        write.records.push(record);
        write.size += sizeOnDisk(record);
      }
      if (write.size > maxAppendSize) {
        pending.delete(key);
        write.answered();
        return fail(req, write.streamId, maxAppendSizeExceededStatus(maxAppendSize));
      }
      if (!req.getIsFinal()) return;
      pending.delete(key);
      writer.submit(
        () => log.append(write.streamId, write.expected, write.records),
        (outcome) => {
          write.answered();
          answer(req, write, outcome);
        },
      );
    });

    call.on('end', () => call.end());
  };
