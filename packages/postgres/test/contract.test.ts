import { describeStoreContract } from '@duban/testing';
import { createPostgresEventStore } from '../src';
import { createTestDatabase } from './support/database';

// The store contract, unchanged, on a real PostgreSQL server: the run's embedded server (or DUBAN_PG_URL).
// Once as configured by default, once reading two events per query, so that every read and
// subscription crosses page boundaries.
if (process.env.DUBAN_PG_TEST_SERVER) {
  for (const readPageSize of [undefined, 2]) {
    describeStoreContract(
      `PostgreSQL adapter${readPageSize ? ` (pages of ${readPageSize})` : ''}`,
      async () => {
        const database = await createTestDatabase('contract');
        const store = createPostgresEventStore(database.url, { readPageSize });
        await store.migrate();
        return { store, teardown: database.drop };
      },
    );
  }
} else {
  describe('PostgreSQL adapter honours the event store contract', () => {
    it.skip(`needs a PostgreSQL server: ${process.env.DUBAN_PG_SKIP ?? 'none'}`, () => undefined);
  });
}
