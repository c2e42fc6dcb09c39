import { startEsdbTestServer } from '@duban/esdb-test-server';
import { main } from '../../../examples/eventstoredb';

// The example in examples/ must keep working: run it against the protocol test server.
test('examples/eventstoredb.ts runs against a server given its connection string', async () => {
  const server = await startEsdbTestServer();
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await main(server.connectionString, 'T-EXAMPLE');
  } finally {
    log.mockRestore();
    await server.stop();
  }
  expect(lines).toEqual([
    'appended TaskAssigned to stream task-T-EXAMPLE (revision 0)',
    'task board: T-EXAMPLE assigned, supervised by inspection-office, light yellow',
  ]);
});
