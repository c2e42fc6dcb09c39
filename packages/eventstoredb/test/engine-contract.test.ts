import { startEsdbTestServer } from '@duban/esdb-test-server';
import { describeEngineContract } from '@duban/testing';
import { createEventStoreDbStore } from '../src';

// The engine's promises under races and faults, through the adapter and the real client, on the
// protocol test server (BatchAppend, as the client uses by default) — and on a real server when given.
describeEngineContract(
  'EventStoreDB (protocol test server)',
  async () => {
    const server = await startEsdbTestServer();
    return { store: createEventStoreDbStore(server.connectionString), teardown: server.stop };
  },
  { rounds: 30 },
);

const real = process.env.ESDB_CONNECTION_STRING;
if (real)
  describeEngineContract(
    'EventStoreDB (a real server)',
    async () => ({ store: createEventStoreDbStore(real) }),
    {
      rounds: 30,
    },
  );
