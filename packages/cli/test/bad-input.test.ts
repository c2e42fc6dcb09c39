import { duban, ndjson, rehashed, smallHistory, tempDir, write } from './helpers';

/**
 * Every subcommand that reads a history, on every kind of bad file: it fails (never a stack trace),
 * and names the file and, where there is one, the line and the field.
 */
describe('bad input, for every subcommand', () => {
  let dir: string;
  const files: Record<string, { content: string; where: RegExp }> = {};

  beforeAll(async () => {
    dir = tempDir();
    const { lines } = await smallHistory();
    const v = JSON.parse(lines[5]!) as { type: string; data: Record<string, unknown>; metadata: object };
    files['empty.ndjson'] = { content: '', where: /empty\.ndjson:? holds no events/ };
    files['truncated.ndjson'] = {
      content: `${lines.slice(0, 5).join('\n')}\n${lines[5]!.slice(0, 60)}`,
      where: /truncated\.ndjson:6: \(line\): truncated/,
    };
    files['types.ndjson'] = {
      content: ndjson([
        ...lines.slice(0, 5),
        JSON.stringify({ ...v, data: { ...v.data, unitId: ['x'] } }),
        ...lines.slice(6),
      ]),
      where: /types\.ndjson:6: task-T3 revision 1: /,
    };
    files['unknown.ndjson'] = {
      content: ndjson([
        ...lines.slice(0, 5),
        JSON.stringify({ ...v, type: 'TaskVanished' }),
        ...lines.slice(6),
      ]),
      where: /unknown\.ndjson:6: task-T3 revision 1: /,
    };
    files['huge.ndjson'] = {
      content: ndjson([
        ...lines.slice(0, 5),
        `{"type":"TaskAccepted","data":"${'z'.repeat(2_200_000)}"}`,
        ...lines.slice(5),
      ]),
      where: /huge\.ndjson:6: \(line\): the line is \d+ bytes, over the limit/,
    };
    // A deadline in the year 9999 once made replay walk the calendar for 13 s: refused by the codec now.
    const assigned = JSON.parse(lines[0]!) as {
      type: string;
      data: Record<string, unknown>;
      metadata: object;
    };
    files['far.ndjson'] = {
      content: ndjson(
        await rehashed([
          JSON.stringify({ ...assigned, data: { ...assigned.data, deadline: '9999-12-31T17:00:00+08:00' } }),
          ...lines.slice(1),
        ]),
      ),
      where: /far\.ndjson:1: task-T\d revision 0: data\.deadline: must lie in the years 2000 to 2099/,
    };
    for (const [name, { content }] of Object.entries(files)) await write(dir, name, content);
  });

  const commands: Array<[string, (file: string) => string[], ReadonlySet<string>]> = [
    ['verify', (f) => ['verify', f], new Set()],
    ['replay', (f) => ['replay', f], new Set()],
    ['replay --task', (f) => ['replay', f, '--task', 'T1'], new Set()],
    ['report', (f) => ['report', f, '--quarter', '2022Q1'], new Set()],
    ['report --format html', (f) => ['report', f, '--format', 'html'], new Set()],
    ['explain', (f) => ['explain', f, 'T3'], new Set()],
    ['import', (f) => ['import', f, 'memory:'], new Set()],
    // export copies what it reads, as it is: it refuses only lines it cannot read at all
    [
      'export',
      (f) => ['export', f],
      new Set(['types.ndjson', 'unknown.ndjson', 'empty.ndjson', 'far.ndjson']),
    ],
  ];

  for (const [name, argv, accepted] of commands)
    it(`${name} fails on each bad file and says where`, async () => {
      for (const [file, { where }] of Object.entries(files)) {
        const r = await duban(argv(file), { cwd: dir });
        if (accepted.has(file)) {
          expect([file, r.code]).toEqual([file, 0]);
          continue;
        }
        expect([file, r.code]).toEqual([file, 1]);
        expect(`${r.stdout}${r.stderr}`).toMatch(where);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .*\(/); // no stack trace
      }
    });
});
