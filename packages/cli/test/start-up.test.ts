import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ndjson, smallHistory, tempDir, write } from './helpers';

/**
 * The binary loads a store's client only for a command that names that store: EventStoreDB's gRPC
 * client is a sixth of its start-up memory, which `verify FILE` (and every command on files) would
 * otherwise carry for nothing.
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
    return { status: run.status, modules: JSON.parse(run.stderr.split('\nLOADED ')[1]!) as string[] };
  };
  const esdb = (modules: string[]) =>
    modules.filter((m) => /[\\/](eventstoredb|@eventstore[\\/]db-client)[\\/]/.test(m));

  it('verify FILE does without the EventStoreDB client', () => {
    const { status, modules } = loaded(['verify', 'h.ndjson']);
    expect(status).toBe(0);
    expect(modules.some((m) => m.includes(`cli${path.sep}dist`))).toBe(true);
    expect(esdb(modules)).toEqual([]);
  });

  it('loads it when a location names EventStoreDB', () => {
    // A connection string the client refuses: loaded, then a usage error, nothing connected.
    const { status, modules } = loaded(['verify', 'esdb://?']);
    expect(status).toBe(2);
    expect(esdb(modules)).not.toEqual([]);
  });
});
