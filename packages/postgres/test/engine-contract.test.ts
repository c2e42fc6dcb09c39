import { describeEngineContract } from '@duban/testing';
import { createPostgresEventStore } from '../src';
import { createTestDatabase } from './support/database';

// The engine's promises under races and faults (a reused command id, lost answers, unreadable streams),
// on a real PostgreSQL server.
if (process.env.DUBAN_PG_TEST_SERVER) {
  describeEngineContract(
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase('engine_contract');
      const store = createPostgresEventStore(database.url);
      await store.migrate();
      return { store, teardown: database.drop };
    },
    { rounds: 30 },
  );
} else {
  describe('the engine on PostgreSQL keeps its promises under races and faults', () => {
    it.skip(`needs a PostgreSQL server: ${process.env.DUBAN_PG_SKIP ?? 'none'}`, () => undefined);
  });
}
