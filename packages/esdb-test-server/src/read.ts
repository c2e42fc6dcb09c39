import type { handleServerStreamingCall, ServerWritableStream } from '@grpc/grpc-js';
import { invalidArgumentError } from './errors';
import { compileFilter } from './filter';
import type { EsdbLog, LoggedEvent } from './log';
import { streams } from './proto';
import { eventResponse, streamIdentifier, streamName } from './records';
import { subscribe } from './subscription';

type ReadCall = ServerWritableStream<streams.ReadReq, streams.ReadResp>;

/** Streams.Read: reads of one stream or of `$all` (with a count), or catch-up subscriptions (without). */
export const readHandler =
  (log: EsdbLog): handleServerStreamingCall<streams.ReadReq, streams.ReadResp> =>
  (call) => {
    const options = call.request.getOptions();
    if (!options || (!options.hasStream() && !options.hasAll()))
      return void call.emit('error', invalidArgumentError('Read options must name a stream or $all.'));
    if (options.hasSubscription()) return subscribe(call, log, options);
    if (options.hasStream()) return readStream(call, log, options);
    return readAll(call, log, options);
  };

const structuredIds = (o: streams.ReadReq.Options) => o.getUuidOption()?.hasStructured() ?? false;
const isBackwards = (o: streams.ReadReq.Options) =>
  o.getReadDirection() === streams.ReadReq.Options.ReadDirection.BACKWARDS;

const send = (call: ReadCall, events: readonly LoggedEvent[], o: streams.ReadReq.Options) => {
  const count = BigInt(o.getCount());
  let sent = 0n;
  for (const e of events) {
    if (sent >= count || call.cancelled) break;
    call.write(eventResponse(e, structuredIds(o)));
    sent++;
  }
  call.end();
};

// A stream read is inclusive of its starting revision in both directions; a missing stream is answered
// with a StreamNotFound message (not an RPC error), which the client turns into StreamNotFoundError.
const readStream = (call: ReadCall, log: EsdbLog, o: streams.ReadReq.Options) => {
  const stream = o.getStream()!;
  const id = streamName(stream.getStreamIdentifier());
  const events = log.stream(id);
  if (!events || events.length === 0) {
    call.write(
      new streams.ReadResp().setStreamNotFound(
        new streams.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(id)),
      ),
    );
    return void call.end();
  }
  const last = BigInt(events.length - 1);
  const backwards = isBackwards(o);
  const from = stream.hasRevision()
    ? BigInt(stream.getRevision())
    : stream.hasEnd()
      ? backwards
        ? last
        : last + 1n
      : 0n;
  const selected = backwards
    ? events.filter((e) => e.revision <= from).reverse()
    : events.filter((e) => e.revision >= from);
  send(call, selected, o);
};

// `$all` forwards from a position includes the event at it; backwards it returns the events before it
// (the real server's backward pass compares the records' end positions with the one given).
const readAll = (call: ReadCall, log: EsdbLog, o: streams.ReadReq.Options) => {
  const all = o.getAll()!;
  const backwards = isBackwards(o);
  const position = all.getPosition();
  const from = position
    ? BigInt(position.getCommitPosition())
    : all.hasEnd() === backwards
      ? undefined // forwards from start, or backwards from end: everything
      : null; // forwards from end, or backwards from start: nothing
  const filter = o.hasFilter() ? compileFilter(o.getFilter()!) : undefined;
  if (typeof filter === 'string') return void call.emit('error', invalidArgumentError(filter));

  const events = log
    .all()
    .filter(
      (e) =>
        from !== null &&
        (from === undefined || (backwards ? e.position < from : e.position >= from)) &&
        (!filter || filter.allows(e)),
    );
  send(call, backwards ? [...events].reverse() : events, o);
};
