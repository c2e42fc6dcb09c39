import type { LoggedEvent, ProposedRecord } from './log';
import { shared, streams } from './proto';
import { uuidFromMessage, uuidToMessage } from './uuid';

/** What Append and BatchAppend proposed messages have in common. */
interface ProposedMessage {
  getId(): shared.UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** The missing required metadata key, if any (the real server requires `type` and `content-type`). */
export const missingMetadata = (m: ProposedMessage): string | undefined =>
  m.getMetadataMap().get('type') === undefined
    ? 'type'
    : m.getMetadataMap().get('content-type') === undefined
      ? 'content-type'
      : undefined;

export const toProposedRecord = (m: ProposedMessage): ProposedRecord => ({
  eventId: uuidFromMessage(m.getId()) ?? '',
  type: m.getMetadataMap().get('type') ?? '',
  contentType: m.getMetadataMap().get('content-type') ?? 'application/octet-stream',
  data: m.getData_asU8(),
  customMetadata: m.getCustomMetadata_asU8(),
});

export const streamIdentifier = (streamId: string): shared.StreamIdentifier =>
  new shared.StreamIdentifier().setStreamName(Buffer.from(streamId, 'utf8'));

export const streamName = (identifier: shared.StreamIdentifier | undefined): string =>
  identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';

/** A read response carrying one event, with positions (modern servers include them on stream reads too). */
export const eventResponse = (e: LoggedEvent, structuredIds: boolean): streams.ReadResp => {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidToMessage(e.eventId, structuredIds))
    .setStreamIdentifier(streamIdentifier(e.streamId))
    .setStreamRevision(e.revision.toString())
    .setCommitPosition(e.position.toString())
    .setPreparePosition(e.position.toString())
    .setData(e.data)
    .setCustomMetadata(e.customMetadata);
  recorded
    .getMetadataMap()
    .set('type', e.type)
    .set('content-type', e.contentType)
    .set('created', e.created.toString());
  const event = new streams.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(e.position.toString());
  return new streams.ReadResp().setEvent(event);
};
