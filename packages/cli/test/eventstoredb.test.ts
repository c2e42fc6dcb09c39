import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createEventStoreDbStore } from '@duban/eventstoredb';
import { startEsdbTestServer, type EsdbTestServer } from '@duban/esdb-test-server';
import { duban, ndjson, read, smallHistory, tempDir, write } from './helpers';

/** The CLI on EventStoreDB, through the real gRPC client, against the in-process protocol test server. */
describe('duban on esdb://', () => {
  let server: EsdbTestServer;
  let dir: string;
  let lines: string[];
  beforeAll(async () => {
    server = await startEsdbTestServer();
    dir = tempDir();
    ({ lines } = await smallHistory());
    await write(dir, 'h.ndjson', ndjson(lines));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('imports a history and exports it back byte for byte; a second import finds it all there', async () => {
    const url = server.connectionString;
    const imported = await duban(['import', 'h.ndjson', url], { cwd: dir });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('imported 23 events in 4 streams');
    const exported = await duban(['export', url, '--out', 'back.ndjson'], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(await read(dir, 'back.ndjson')).toBe(ndjson(lines));
    const again = await duban(['import', 'h.ndjson', url], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('imported 0 events in 4 streams');
    expect(again.stdout).toContain('(23 of the 23 events were already there)');
    const verified = await duban(['verify', url], { cwd: dir });
    expect(verified.code).toBe(0);
    const report = await duban(['report', url, '--quarter', '2022Q1', '--format', 'json'], { cwd: dir });
    expect(report.code).toBe(0);
    expect((JSON.parse(report.stdout) as { ranking: unknown[] }).ranking).toHaveLength(3);
  });

  it('export stops at a stored event nested too deep to read back, naming it, and writes no file', async () => {
    const fresh = await startEsdbTestServer();
    try {
      const store = createEventStoreDbStore(fresh.connectionString);
      const deep = JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`) as unknown;
      const appended = await store.appendToStream('task-DEEP', [
        {
          eventId: '0b5a3f4e-6a1d-4c59-9f0e-3b1d2c4e5f60',
          type: 'TaskAccepted',
          data: { x: deep },
          metadata: {},
        },
      ]);
      expect(appended._tag).toBe('Right');
      await store.close();
      const r = await duban(['export', fresh.connectionString, '--out', 'deep.ndjson'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^duban: esdb:\/\/\S+: task-DEEP@0: data\.x(\.0)+: nests objects and arrays more than 64 deep/,
      );
      expect(existsSync(path.join(dir, 'deep.ndjson'))).toBe(false);
    } finally {
      await fresh.stop();
    }
  });

  it('runs the demo on it, and refuses to run it twice on the same store', async () => {
    const fresh = await startEsdbTestServer();
    try {
      const r = await duban(
        [
          'demo',
          '--store',
          fresh.connectionString,
          '--units',
          '4',
          '--tasks',
          '6',
          '--quarters',
          '1',
          '--out',
          'esdb-demo',
        ],
        { cwd: dir },
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('通报 Quarterly ranking 2022Q1');
      const twice = await duban(['demo', '--store', fresh.connectionString, '--out', 'esdb-demo-2'], {
        cwd: dir,
      });
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain('already holds history; the demo needs an empty store');
    } finally {
      await fresh.stop();
    }
  });
});
