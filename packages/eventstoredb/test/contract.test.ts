import { startEsdbTestServer } from '@duban/esdb-test-server';
import { describeStoreContract } from '@duban/testing';
import { createEventStoreDbStore } from '../src';

// The store contract against the adapter and the real client, over gRPC, on the protocol test server:
// once with BatchAppend advertised (the client appends through it) and once without (plain Append).
for (const batchAppend of [true, false]) {
  describeStoreContract(
    `EventStoreDB adapter on the protocol test server (${batchAppend ? 'BatchAppend' : 'Append'})`,
    async () => {
      const server = await startEsdbTestServer({ batchAppend });
      return {
        store: createEventStoreDbStore(server.connectionString),
        seedSystemEvent: server.seedSystemEvent,
        teardown: server.stop,
      };
    },
  );
}

// And against a real server when one is given, e.g. ESDB_CONNECTION_STRING=esdb://localhost:2113?tls=false
const real = process.env.ESDB_CONNECTION_STRING;
if (real) {
  describeStoreContract('EventStoreDB adapter on a real server', async () => ({
    store: createEventStoreDbStore(real),
  }));
} else {
  // One visible line in the run's output, not only a count of skipped tests.
  process.stderr.write(
    'EventStoreDB contract on a real server: skipped (set ESDB_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false)\n',
  );
  describe('EventStoreDB adapter on a real server', () => {
    it.skip('runs only when ESDB_CONNECTION_STRING names a real EventStoreDB (not set, so not run)', () =>
      undefined);
  });
}
