import type { ServerWritableStream } from '@grpc/grpc-js';
import { invalidArgumentError } from './errors';
import { compileFilter } from './filter';
import type { EsdbLog, LoggedEvent } from './log';
import { streams } from './proto';
import { eventResponse, streamName } from './records';
import { newUuid } from './uuid';

type ReadCall = ServerWritableStream<streams.ReadReq, streams.ReadResp>;

/**
 * A catch-up subscription to one stream or to `$all`: confirmation, history after the starting point
 * (exclusive), a CaughtUp message, then live events until the client cancels. History and live hand
 * over without gap or duplicate because both are taken in the same synchronous turn.
 *
 * A filtered `$all` subscription also sends a Checkpoint every `checkpointInterval` considered events,
 * matching or not, so a reader can store progress while skipping long runs of foreign events.
 */
export const subscribe = (call: ReadCall, log: EsdbLog, o: streams.ReadReq.Options): void => {
  const structured = o.getUuidOption()?.hasStructured() ?? false;
  const filter = o.hasFilter() ? compileFilter(o.getFilter()!) : undefined;
  if (typeof filter === 'string') return void call.emit('error', invalidArgumentError(filter));
  const considered = selector(log, o);

  let sinceCheckpoint = 0;
  const deliver = (events: readonly LoggedEvent[]) => {
    for (const e of events) {
      if (call.cancelled || !considered(e)) continue;
      if (!filter || filter.allows(e)) call.write(eventResponse(e, structured));
      if (filter && ++sinceCheckpoint >= filter.checkpointInterval) {
        sinceCheckpoint = 0;
        const checkpoint = new streams.ReadResp.Checkpoint()
          .setCommitPosition(e.position.toString())
          .setPreparePosition(e.position.toString());
        call.write(new streams.ReadResp().setCheckpoint(checkpoint));
      }
    }
  };

  call.write(
    new streams.ReadResp().setConfirmation(
      new streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(newUuid()),
    ),
  );
  deliver(log.all());
  call.write(new streams.ReadResp().setCaughtUp(new streams.ReadResp.CaughtUp()));
  const stop = log.onAppended(deliver);
  call.on('cancelled', stop);
  call.on('close', stop);
};

/** Which events of the log come after the subscription's (exclusive) starting point. */
const selector = (log: EsdbLog, o: streams.ReadReq.Options): ((e: LoggedEvent) => boolean) => {
  const stream = o.getStream();
  if (stream) {
    const id = streamName(stream.getStreamIdentifier());
    const events = log.stream(id) ?? [];
    const after = stream.hasRevision()
      ? BigInt(stream.getRevision())
      : stream.hasEnd()
        ? BigInt(events.length - 1)
        : -1n;
    return (e) => e.streamId === id && e.revision > after;
  }
  const all = o.getAll()!;
  const position = all.getPosition();
  const last = log.all().at(-1)?.position ?? -1n;
  const after = position ? BigInt(position.getCommitPosition()) : all.hasEnd() ? last : -1n;
  return (e) => e.position > after;
};
