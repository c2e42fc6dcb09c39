import { taskStreamId, type TaskCommand, type TaskEvent } from '@duban/domain';
import { commandDigest, GENESIS_HASH, sealEvents, schemaVersionOf, type Envelope } from '@duban/engine';

/**
 * Envelopes exactly as `engine.execute` writes them (the engine's own `sealEvents`: same metadata, ids and
 * hash chain), built without running the engine so a million of them take seconds. `generate.ts` checks a
 * sample against a real engine run. `asV1` writes a ProgressReported as an old history would hold it:
 * schema version 1, no `percentComplete` (the engine's upcaster fills it on read), hashed as stored.
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
    const envelopes = sealEvents(
      {
        streamId,
        revision: chain.revision,
        prevHash: chain.hash,
        actor: command.actor,
        at: command.at,
        commandId,
        commandType: command.type,
        commandDigest: commandDigest(command),
        correlationId: commandId,
        causationId: commandId,
      },
      events.map((event) => {
        if (!(asV1 && event.type === 'ProgressReported'))
          return { type: event.type, data: event.data, schemaVersion: schemaVersionOf(event.type) };
        const { percentComplete: _dropped, ...data } = event.data;
        return { type: event.type, data, schemaVersion: 1 };
      }),
    );
    chain.revision += envelopes.length;
    chain.hash = envelopes.at(-1)?.metadata.hash ?? chain.hash;
    return envelopes;
  };
};
