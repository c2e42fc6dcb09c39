import { taskStreamId, type TaskCommand, type TaskEvent } from '@duban/domain';
import {
  eventIdFor,
  GENESIS_HASH,
  hashEvent,
  schemaVersionOf,
  type Envelope,
  type EnvelopeMetadata,
} from '@duban/engine';

/**
 * Envelopes exactly as `engine.execute` writes them (same metadata, same ids, same hash chain), built
 * without running the engine so a million of them take seconds. `generate.ts` checks a sample against a
 * real engine run. `asV1` writes a ProgressReported as an old history would hold it: schema version 1,
 * no `percentComplete` (the engine's upcaster fills it on read), hashed as stored.
 */
export const createEnvelopeWriter = () => {
  const chains = new Map<string, { revision: number; hash: string }>();
  return (
    command: TaskCommand,
    commandId: string,
    events: readonly TaskEvent[],
    asV1: boolean,
  ): Envelope[] => {
    const streamId = taskStreamId(command.data.taskId);
    let chain = chains.get(streamId);
    if (!chain) chains.set(streamId, (chain = { revision: -1, hash: GENESIS_HASH }));
    return events.map((event, i) => {
      let data = event.data as Record<string, unknown>;
      let schemaVersion = schemaVersionOf(event.type);
      if (asV1 && event.type === 'ProgressReported') {
        const { percentComplete: _dropped, ...rest } = data;
        data = rest;
        schemaVersion = 1;
      }
      const metadata: Omit<EnvelopeMetadata, 'hash'> = {
        eventId: eventIdFor(commandId, i),
        streamId,
        revision: chain.revision + 1,
        at: command.at,
        actor: command.actor,
        commandId,
        commandType: command.type,
        correlationId: commandId,
        causationId: commandId,
        schemaVersion,
        prevHash: chain.hash,
      };
      const hash = hashEvent({ type: event.type, data, metadata });
      chain.revision += 1;
      chain.hash = hash;
      return { type: event.type, data, metadata: { ...metadata, hash } } as Envelope;
    });
  };
};
