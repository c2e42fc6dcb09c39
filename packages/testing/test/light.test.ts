import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The kit is what users import in their own tests: loading it must not load gRPC, protobuf or the
// EventStoreDB client (the protocol test server lives in @duban/esdb-test-server). Checked in a fresh
// Node process, since jest's module registry does not show what plain `require` loads.
test('importing @duban/testing loads no gRPC, protobuf or EventStoreDB client module', () => {
  const entry = join(__dirname, '..', 'src', 'index.ts');
  const script = `
    const kit = require(${JSON.stringify(entry)});
    if (typeof kit.spec !== 'function') throw new Error('the kit did not load');
    const heavy = Object.keys(require.cache).filter((f) =>
      /[\\\\/](@grpc|google-protobuf|@eventstore)[\\\\/]/.test(f) || /esdb-test-server/.test(f));
    process.stdout.write(JSON.stringify(heavy));
  `;
  const run = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual([]);
});
