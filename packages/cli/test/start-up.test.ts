import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ndjson, smallHistory, tempDir, write } from './helpers';

/**
 * The binary loads a store's client only for a command that names that store: EventStoreDB's gRPC
 * client is a sixth of its start-up memory and the PostgreSQL adapter (with node-postgres) 6 MiB, which
 * `verify FILE` (and every command on files) would otherwise carry for nothing.
 */

const BIN = path.resolve(__dirname, '../bin/duban.js');

describe('what the binary loads', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await write(dir, 'h.ndjson', ndjson((await smallHistory()).lines));
    // Lists, when the process ends, every CommonJS module it loaded.
    await write(
      dir,
      'loaded.js',
      "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache))));",
    );
  });

  const loaded = (argv: string[]) => {
    const run = spawnSync(process.execPath, ['-r', './loaded.js', BIN, ...argv], {
      cwd: dir,
      encoding: 'utf8',
    });
    const [stderr, modules] = run.stderr.split('\nLOADED ');
    return { status: run.status, stderr, modules: JSON.parse(modules!) as string[] };
  };
  const esdb = (modules: string[]) =>
    modules.filter((m) => /[\\/](eventstoredb|@eventstore[\\/]db-client)[\\/]/.test(m));
  const postgres = (modules: string[]) => modules.filter((m) => /[\\/](postgres|pg)[\\/]/.test(m));

  it('verify FILE does without the EventStoreDB client', () => {
    const { status, modules } = loaded(['verify', 'h.ndjson']);
    expect(status).toBe(0);
    expect(modules.some((m) => m.includes(`cli${path.sep}dist`))).toBe(true);
    expect(esdb(modules)).toEqual([]);
    expect(postgres(modules)).toEqual([]);
  });

  it('loads it when a location names EventStoreDB', () => {
    // A connection string the client refuses: loaded, then a usage error, nothing connected.
    const { status, modules } = loaded(['verify', 'esdb://?']);
    expect(status).toBe(2);
    expect(esdb(modules)).not.toEqual([]);
  });

  it('loads the PostgreSQL adapter when a location names PostgreSQL, and refuses a bad schema by its rule', () => {
    // Nothing listens on port 1: the schema name is refused before anything connects or is written.
    const url = 'postgres://u:Secret-9@127.0.0.1:1/db?schema=Bad-Name';
    const { status, stderr, modules } = loaded(['export', url, '--out', 'out.ndjson']);
    expect(status).toBe(2);
    expect(stderr).toBe(
      'duban: postgres://u:***@127.0.0.1:1/db?schema=Bad-Name: schema must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63), got "Bad-Name"\n',
    );
    expect(existsSync(path.join(dir, 'out.ndjson'))).toBe(false);
    expect(postgres(modules)).not.toEqual([]);
  });
});
