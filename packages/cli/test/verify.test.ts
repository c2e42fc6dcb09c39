import { duban, linesOf, ndjson, smallHistory, tempDir, write } from './helpers';

/** `duban verify`: every chain followed, every event read; exit 0 intact, 1 broken, 2 bad command line. */
describe('duban verify', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    ({ lines } = await smallHistory());
    dir = tempDir();
  });

  const verify = async (file: string, content: string | Buffer, ...flags: string[]) => {
    await write(dir, file, content);
    return duban(['verify', file, ...flags], { cwd: dir });
  };

  it('exits 0 on an intact history and says how much it checked', async () => {
    const r = await verify('intact.ndjson', ndjson(lines));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('intact.ndjson: intact — 23 events in 4 streams');
    expect(r.stderr).toBe('');
  });

  it('names the stream, revision and problem when an event was changed, and the line', async () => {
    const t2 = linesOf(lines, 'task-T2');
    const urged = t2.find((l) => l.value.type === 'TaskUrged')!;
    const tampered = [...lines];
    tampered[urged.line - 1] = urged.text.replace('No feedback this week', 'Feedback came in time');
    const r = await verify('changed.ndjson', ndjson(tampered));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `changed.ndjson: BROKEN — stream task-T2, revision 3: changed (line ${urged.line})`,
    );
    expect(r.stdout).toContain(
      `changed.ndjson:${urged.line}: task-T2 revision 3: metadata.hash: changed: content does not match its hash`,
    );
  });

  it('catches a changed event that was re-hashed: the next event no longer links to it', async () => {
    const { hashEvent } = await import('@duban/engine');
    const t1 = linesOf(lines, 'task-T1');
    const report = t1.find((l) => l.value.type === 'ProgressReported')!;
    const forged = { ...report.value, data: { ...report.value.data, percentComplete: 90 } };
    forged.metadata = { ...forged.metadata, hash: hashEvent(forged) };
    const tampered = [...lines];
    tampered[report.line - 1] = JSON.stringify(forged);
    const r = await verify('rehashed.ndjson', ndjson(tampered));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('BROKEN — stream task-T1, revision 3: changed');
  });

  it('tells a missing event from a reordered one, and an inserted one', async () => {
    const t3 = linesOf(lines, 'task-T3');
    const dropped = lines.filter((_, i) => i !== t3[2]!.line - 1);
    const missing = await verify('missing.ndjson', ndjson(dropped));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('BROKEN — stream task-T3, revision 2: missing');

    const swapped = [...lines];
    swapped[t3[2]!.line - 1] = t3[3]!.text;
    swapped[t3[3]!.line - 1] = t3[2]!.text;
    const reordered = await verify('reordered.ndjson', ndjson(swapped));
    expect(reordered.code).toBe(1);
    expect(reordered.stdout).toContain('BROKEN — stream task-T3, revision 2: reordered');

    const doubled = [...lines.slice(0, t3[1]!.line), t3[1]!.text, ...lines.slice(t3[1]!.line)];
    const inserted = await verify('inserted.ndjson', ndjson(doubled));
    expect(inserted.code).toBe(1);
    expect(inserted.stdout).toContain('BROKEN — stream task-T3, revision 1: inserted');
  });

  it('fails on an empty file', async () => {
    const r = await verify('empty.ndjson', '');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('empty.ndjson: holds no events: nothing to verify');
  });

  it('names a truncated last line', async () => {
    const last = lines.at(-1)!;
    const r = await verify('truncated.ndjson', `${lines.slice(0, -1).join('\n')}\n${last.slice(0, 120)}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `truncated.ndjson:${lines.length}: (line): truncated: the JSON ends early and the file ends without a newline`,
    );
  });

  it('names the line and field of a value of the wrong type', async () => {
    const t1 = linesOf(lines, 'task-T1');
    const assigned = t1[0]!;
    const wrong = [...lines];
    wrong[0] = JSON.stringify({
      ...assigned.value,
      data: { ...assigned.value.data, deadline: 20220331, coUnits: 'bureau-of-finance' },
    });
    const r = await verify('types.ndjson', ndjson(wrong));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'types.ndjson:1: task-T1 revision 0: data.deadline: expected Instant, got 20220331',
    );
    expect(r.stdout).toContain(
      'types.ndjson:1: task-T1 revision 0: data.coUnits: expected CoUnits, got "bureau-of-finance"',
    );
    expect(r.stdout).toContain('types.ndjson:1: task-T1 revision 0: metadata.hash: changed');
  });

  it('names an unknown event type', async () => {
    const wrong = [...lines];
    const v = JSON.parse(lines[3]!);
    wrong[3] = JSON.stringify({ ...v, type: 'TaskTeleported' });
    const r = await verify('unknown.ndjson', ndjson(wrong));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /unknown\.ndjson:4: task-T1 revision 1: type: unknown event type "TaskTeleported"/,
    );
  });

  it('reports a huge line without reading it into memory', async () => {
    const huge = `{"type":"TaskAccepted","data":{"taskId":"T9","at":"2022-03-01T09:00:00+08:00","deployment":"${'x'.repeat(3 * 1024 * 1024)}"}}`;
    const r = await verify('huge.ndjson', ndjson([...lines.slice(0, 2), huge, ...lines.slice(2)]));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /huge\.ndjson:3: \(line\): the line is \d+ bytes, over the limit of 2097152; it was not read/,
    );
    // The lines after it are still read: the chains verify around it.
    expect(r.stdout).toContain('1 unreadable or invalid record');
  });

  it('names lines that are not envelopes', async () => {
    const r = await verify(
      'junk.ndjson',
      ndjson([...lines.slice(0, 1), '[1,2,3]', '{"type":"TaskAccepted"}', 'not json', ...lines.slice(1)]),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'junk.ndjson:2: (line): must be an envelope object {"type","data","metadata"}, got an array',
    );
    expect(r.stdout).toContain('junk.ndjson:3: data: is required');
    expect(r.stdout).toContain('junk.ndjson:3: metadata: is required');
    expect(r.stdout).toMatch(/junk\.ndjson:4: \(line\): is not JSON: Unexpected token/);
  });

  it('answers in JSON and prints stream heads on request', async () => {
    const r = await verify('heads.ndjson', ndjson(lines), '--json', '--print-heads');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      ok: boolean;
      events: number;
      heads: Record<string, { revision: number; hash: string }>;
    };
    expect(result.ok).toBe(true);
    expect(result.events).toBe(23);
    expect(result.heads['task-T2']).toEqual({ revision: 7, hash: JSON.parse(lines.at(-1)!).metadata.hash });
  });

  it('exits 2 for a file that does not exist or an unknown store', async () => {
    const missing = await duban(['verify', 'nope.ndjson'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('duban: nope.ndjson: no such file');
    const unknown = await duban(['verify', 'mysql://u:secret@db/duban'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('mysql://u:***@db/duban: unknown store; SOURCE and STORE are');
    expect(unknown.stderr).not.toContain('secret');
  });

  it('reads events of an older schema version through the upcasters, verifying the hash of what was stored', async () => {
    const { hashEvent } = await import('@duban/engine');
    // T1's progress report as schema version 1 wrote it (no percentComplete), and the chain re-linked after it
    const out = [...lines];
    let prevHash: string | undefined;
    for (const l of linesOf(lines, 'task-T1')) {
      const v = l.value;
      if (v.type === 'ProgressReported') {
        const { percentComplete: _dropped, ...data } = v.data;
        v.data = data;
        v.metadata = { ...v.metadata, schemaVersion: 1 };
      }
      if (prevHash !== undefined) v.metadata = { ...v.metadata, prevHash };
      if (v.type === 'ProgressReported' || prevHash !== undefined) {
        v.metadata = { ...v.metadata, hash: hashEvent(v) };
        prevHash = v.metadata.hash as string;
        out[l.line - 1] = JSON.stringify(v);
      }
    }
    const r = await verify('v1.ndjson', ndjson(out));
    expect(r.stdout).toContain('v1.ndjson: intact — 23 events in 4 streams');
    expect(r.code).toBe(0);
    const replay = await duban(['replay', 'v1.ndjson', '--task', 'T1', '--format', 'json'], { cwd: dir });
    expect(replay.code).toBe(0);
    const timeline = (
      JSON.parse(replay.stdout) as { timeline: Array<{ type: string; data: { percentComplete?: number } }> }
    ).timeline;
    expect(timeline.find((e) => e.type === 'ProgressReported')!.data.percentComplete).toBe(0); // upcast v1 → v2
    // a schema version from the future is named, not guessed at
    const future = out.map((l) => l.replace('"schemaVersion":1,', '"schemaVersion":7,'));
    const r7 = await verify('v7.ndjson', ndjson(future));
    expect(r7.code).toBe(1);
    expect(r7.stdout).toContain(
      'metadata.schemaVersion: TaskAssigned is known in schema versions 1 to 1, not 7',
    );
  });
});
