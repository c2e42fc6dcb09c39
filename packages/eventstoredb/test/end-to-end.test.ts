import {
  createEngine,
  createInMemoryEventStore,
  rebuild,
  supervisionProjection,
  verifyAll,
  type Engine,
  type Envelope,
} from '@duban/engine';
import { startEsdbTestServer } from '@duban/esdb-test-server';
import { runQuarterScenario, runSeedWorkflow, SEED_WORKFLOW_EVENTS } from '@duban/testing';
import { createEventStoreDbStore } from '../src';

const history = async (engine: Engine) => {
  const out: Array<Omit<Envelope, 'position'>> = [];
  for await (const { position: _position, ...e } of engine.readAll()) out.push(e);
  return out;
};

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('the seed workflow on EventStoreDB (protocol test server, real client over gRPC)', () => {
  let server: Awaited<ReturnType<typeof startEsdbTestServer>>;
  let engine: Engine;

  beforeAll(async () => {
    server = await startEsdbTestServer();
    await server.seedSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
    engine = createEngine({ store: createEventStoreDbStore(server.connectionString) });
  });

  afterAll(async () => {
    await engine.store.close();
    await server.stop();
  });

  it('commits the same history as the in-memory store, byte for byte, and rebuilds the same read model from $all', async () => {
    const { types } = await runSeedWorkflow(engine);
    expect(types).toEqual(SEED_WORKFLOW_EVENTS);
    await runQuarterScenario(engine);

    const reference = createEngine({ store: createInMemoryEventStore() });
    await runSeedWorkflow(reference);
    await runQuarterScenario(reference);

    const onEsdb = await history(engine);
    // Same ids, envelopes and hashes; `$` system events and other streams never reach the engine.
    expect(onEsdb).toEqual(await history(reference));
    expect((await verifyAll(engine.readAll())).ok).toBe(true);
    expect(json(await rebuild(supervisionProjection, engine.readAll()))).toEqual(
      json(await rebuild(supervisionProjection, reference.readAll())),
    );
  });

  it('follows live events through a filtered $all subscription', async () => {
    const sub = engine.subscribe();
    const seen: string[] = [];
    for await (const e of sub) {
      seen.push(e.metadata.streamId);
      if (seen.length === 3) break;
    }
    await sub.close();
    expect(seen.every((s) => s.startsWith('task-') || s.startsWith('unit-'))).toBe(true);
  });
});
