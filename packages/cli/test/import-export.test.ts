import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DOMAIN_STREAM_PREFIXES, createInMemoryEventStore, type EventStore } from '@duban/engine';
import { captureStream } from '@duban/cli';
import { envelopeLine } from '../src/export';
import { importInto } from '../src/import';
import { openSource } from '../src/source';
import { duban, linesOf, ndjson, read, smallHistory, tempDir, write } from './helpers';

const dumpStore = async (store: EventStore): Promise<string> => {
  let out = '';
  for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
    out += envelopeLine({ type: e.type, data: e.data, metadata: e.metadata });
  return out;
};

const countEvents = async (store: EventStore) => {
  let n = 0;
  for await (const _ of store.readAll()) n += 1;
  return n;
};

/** Imports `file` into `store` in-process, as `duban import FILE STORE` does. */
const importFile = async (
  dir: string,
  file: string,
  store: EventStore,
  options: { skipInvalid?: boolean } = {},
) => {
  const stdout = captureStream();
  const stderr = captureStream();
  const io = { stdout, stderr, cwd: dir };
  const source = await openSource(io, file);
  const code = await importInto(io, source, store, 'target', options);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

describe('duban export and duban import', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
  });

  it('export → import → export is byte-identical, hashes and all', async () => {
    const file = await write(dir, 'history.ndjson', ndjson(lines));
    const store = createInMemoryEventStore();
    const r = await importFile(dir, 'history.ndjson', store);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 23 events in 4 streams from history.ndjson into target');
    const again = await dumpStore(store);
    expect(again).toBe(await fs.readFile(file, 'utf8'));
    // and `duban export FILE` re-emits the same bytes
    const exported = await duban(['export', 'history.ndjson'], { cwd: dir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(again);
  });

  it('export --out writes the file whole, and says so on stderr', async () => {
    await write(dir, 'src.ndjson', ndjson(lines));
    const r = await duban(['export', 'src.ndjson', '--out', 'copy.ndjson'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('exported 23 events from src.ndjson to copy.ndjson');
    expect(await read(dir, 'copy.ndjson')).toBe(ndjson(lines));
    expect((await fs.readdir(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('export of an empty store writes nothing and says so', async () => {
    const r = await duban(['export', 'memory:'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('memory: holds no events; nothing was exported');
  });

  it('imports into memory: as a dry run of every check', async () => {
    await write(dir, 'dry.ndjson', ndjson(lines));
    const r = await duban(['import', 'dry.ndjson', 'memory:'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 23 events in 4 streams from dry.ndjson into memory:');
    expect(r.stdout).toContain('dry run');
  });

  it('is all or nothing: one bad line, and nothing is written', async () => {
    const t3 = linesOf(lines, 'task-T3');
    const bad = [...lines];
    const v = t3[3]!.value;
    bad[t3[3]!.line - 1] = JSON.stringify({ ...v, data: { ...v.data, deadline: 'tomorrow' } });
    await write(dir, 'bad.ndjson', ndjson(bad));
    const store = createInMemoryEventStore();
    const r = await importFile(dir, 'bad.ndjson', store);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was imported into target');
    expect(r.stderr).toContain(
      `bad.ndjson:${t3[3]!.line}: task-T3 revision 3: data.deadline: must be an ISO-8601 instant with a time zone`,
    );
    expect(r.stderr).toContain('--skip-invalid');
    expect(await countEvents(store)).toBe(0);
  });

  it('is all or nothing through the command line too: exit 1 and an empty target', async () => {
    await write(dir, 'bad2.ndjson', ndjson([...lines.slice(0, 5), '{"type":', ...lines.slice(5)]));
    const r = await duban(['import', 'bad2.ndjson', 'memory:'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad2.ndjson:6: (line): ');
    expect(r.stdout).toBe('');
  });

  it('with --skip-invalid imports the valid streams and reports the rest', async () => {
    const t2 = linesOf(lines, 'task-T2');
    const bad = [...lines];
    bad[t2[3]!.line - 1] = t2[3]!.text.replace('No feedback this week', 'tampered');
    await write(dir, 'skip.ndjson', ndjson([...bad, 'garbage']));
    const store = createInMemoryEventStore();
    const r = await importFile(dir, 'skip.ndjson', store, { skipInvalid: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 15 events in 3 streams from skip.ndjson into target');
    expect(r.stdout).toContain('skipped 1 invalid stream and 1 unreadable record (--skip-invalid):');
    expect(r.stdout).toContain(
      `skip.ndjson:${t2[3]!.line}: task-T2 revision 3: metadata.hash: changed: content does not match its hash`,
    );
    expect(r.stdout).toContain(`skip.ndjson:${lines.length + 1}: (line): is not JSON`);
    const streams = new Set<string>();
    for await (const e of store.readAll()) streams.add(e.streamId);
    expect([...streams].sort()).toEqual(['task-T1', 'task-T3', 'unit-bureau-of-transport']);
  });

  it('resumes an interrupted import: what the store holds is recognised by its hashes', async () => {
    await write(dir, 'resume.ndjson', ndjson(lines));
    await write(dir, 'part.ndjson', ndjson(lines.slice(0, 10)));
    const store = createInMemoryEventStore();
    expect((await importFile(dir, 'part.ndjson', store)).code).toBe(0);
    const r = await importFile(dir, 'resume.ndjson', store);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('imported 13 events in 4 streams');
    expect(r.stdout).toContain('(10 of the 23 events were already there)');
    // Per stream the events are all there, in order, and verify.
    const again = await duban(['verify', 'resume.ndjson'], { cwd: dir });
    expect(again.code).toBe(0);
    const dumped = await dumpStore(store);
    expect(dumped.split('\n').filter(Boolean).sort()).toEqual([...lines].sort());
  });

  it('refuses a store whose streams differ from the file, before writing anything', async () => {
    await write(dir, 'mine.ndjson', ndjson(lines));
    const t1 = linesOf(lines, 'task-T1');
    const other = createInMemoryEventStore();
    // the store holds a different first event for T1
    const v = t1[0]!.value;
    await other.appendToStream('task-T1', [
      {
        eventId: '00000000-0000-4000-8000-000000000001',
        type: v.type,
        data: { ...v.data, title: 'Another task' },
        metadata: { ...v.metadata, hash: 'f'.repeat(64) },
      },
    ]);
    const r = await importFile(dir, 'mine.ndjson', other);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'task-T1: metadata.streamId: target already holds 1 events of this stream that differ from the file',
    );
    expect(await countEvents(other)).toBe(1);
  });

  it('refuses an empty file and a file that is not there', async () => {
    await write(dir, 'empty.ndjson', '');
    const empty = await duban(['import', 'empty.ndjson', 'memory:'], { cwd: dir });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('empty.ndjson: holds no events: nothing to import');
    const missing = await duban(['import', 'absent.ndjson', 'memory:'], { cwd: dir });
    expect(missing.code).toBe(2);
    const notAStore = await duban(['import', 'empty.ndjson', path.join(dir, 'x.ndjson')], { cwd: dir });
    expect(notAStore.code).toBe(2);
    expect(notAStore.stderr).toContain('a file is not a store');
  });

  it('refuses events a store would not take (over 1 MiB) in the first pass', async () => {
    const v = JSON.parse(lines[3]!);
    const big = JSON.stringify({ ...v, data: { ...v.data, deployment: 'y'.repeat(1_100_000) } });
    await write(dir, 'big.ndjson', ndjson([...lines.slice(0, 3), big, ...lines.slice(4)]));
    const r = await duban(['import', 'big.ndjson', 'memory:'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /big\.ndjson:4: task-T1 revision 1: \(line\): the event carries \d+ bytes; a store accepts at most 1048576 per append/,
    );
  });
});
