import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { recordFigures } from '../../engine/test/support/figures';
import { duban, tempDir, write } from './helpers';
import {
  copy,
  firstDifference,
  officeKeys,
  parseLines,
  rehash,
  revisionOf,
  streamOf,
  toNdjson,
  type Line,
} from './insider';

/**
 * Issue 14's attacks, each on a copy of the demo's history edited and re-hashed as a hostile insider
 * would. Without heads, `duban verify` finds nothing wrong with any of them but the replayed copy (the
 * chains verify); with heads recorded earlier it catches those that shorten or rewrite a stream up to
 * its recorded head; `verify --seal` catches every one and names the first line that differs from the
 * sealed history, and what happened to which stream.
 */
describe('the tamper sweep: every attack of issue 14 against verify, verify --heads and verify --seal', () => {
  let dir: string;
  let original: Line[];
  let keys: Awaited<ReturnType<typeof officeKeys>>;

  beforeAll(async () => {
    dir = tempDir('duban-sweep-');
    const demo = await duban(['demo', '--out', 'demo'], { cwd: dir });
    expect(demo.code).toBe(0);
    original = parseLines(await fs.readFile(path.join(dir, 'demo', 'history.ndjson'), 'utf8'));
    keys = await officeKeys(dir);
    const sealed = await duban(
      ['seal', 'demo/history.ndjson', '--key', keys.key, '--office', 'changzhi', '--out', 'seal.json'],
      { cwd: dir },
    );
    expect(sealed.code).toBe(0);
    const heads = await duban(['verify', 'demo/history.ndjson', '--print-heads'], { cwd: dir });
    expect(heads.code).toBe(0);
    await write(dir, 'heads.tsv', heads.stdout);
  }, 60_000);

  const lines = (streamId: string) => original.filter((l) => streamOf(l) === streamId);
  const tasks = () => [...new Set(original.map(streamOf))].filter((s) => s.startsWith('task-'));
  /** A closed task whose grade was poor (不力): the target of the grade and closure attacks. */
  const poorTask = () => streamOf(original.find((l) => l.type === 'TaskClosed' && l.data.grade === 'poor')!);
  /** A stream whose last event is well inside the history: forged events after it land among sealed ones. */
  const earlyStream = () => tasks().find((s) => original.indexOf(lines(s).at(-1)!) < original.length / 2)!;

  /** The stream's next revision, linked to its head: appended as far as its own chain can tell. */
  const nextOf = (streamId: string, content: Line): Line => {
    const head = lines(streamId).at(-1)!;
    const next = copy(content);
    next.metadata = { ...next.metadata, streamId, revision: revisionOf(head) + 1 };
    return next;
  };
  const placeAfter = (history: Line[], anchor: Line, inserted: Line[]): Line[] => {
    const i = history.indexOf(anchor) + 1;
    return [...history.slice(0, i), ...inserted, ...history.slice(i)];
  };

  type Attack = {
    name: string;
    edit: () => Line[];
    /** What verify without a seal says (exit code), with no heads and with the heads recorded before. */
    plain: number;
    heads: number;
    /** A finding `verify --seal` must name, besides the first differing line. */
    finding: RegExp;
  };

  const attacks: Attack[] = [
    {
      name: 'the last event of a stream changed and re-hashed',
      edit: () => {
        const s = earlyStream();
        const last = lines(s).at(-1)!;
        const out = original.map((l) =>
          l === last
            ? { ...copy(l), data: { ...copy(l).data, at: String(l.data.at).replace(/:00([+Z])/, ':01$1') } }
            : l,
        );
        return rehash(out, [s]);
      },
      plain: 0,
      heads: 1,
      finding: /revision \d+ hashes to .*the stream was changed at or before revision \d+ and re-hashed/,
    },
    {
      name: 'a change mid-stream with the rest of the chain re-hashed',
      edit: () => {
        const s = tasks()[3]!;
        const accepted = lines(s).find((l) => l.type === 'TaskAccepted')!;
        const out = original.map((l) =>
          l === accepted
            ? { ...copy(l), data: { ...copy(l).data, deployment: 'A task force was set up at once' } }
            : l,
        );
        return rehash(out, [s]);
      },
      plain: 0,
      heads: 1,
      finding: /the stream was changed at or before revision/,
    },
    {
      name: 'the last three events of a stream dropped',
      edit: () => {
        const dropped = new Set(lines(tasks()[5]!).slice(-3));
        return original.filter((l) => !dropped.has(l));
      },
      plain: 0,
      heads: 1,
      finding: /task-\S+ ends at revision \d+; it was sealed at revision \d+: revisions \d+–\d+ are missing/,
    },
    {
      name: 'a whole stream deleted',
      edit: () => original.filter((l) => streamOf(l) !== tasks()[7]),
      plain: 0,
      heads: 1,
      finding:
        /task-\S+ was sealed with revisions 0–\d+; none of them is in the history: the stream was deleted/,
    },
    {
      name: "two streams' contents swapped",
      edit: () => {
        // Two task streams of different lengths.
        const a = tasks()[1]!;
        const b = tasks().find((s) => lines(s).length !== lines(a).length)!;
        const rename = (l: Line, s: string): Line => ({
          ...copy(l),
          data: { ...copy(l).data, taskId: s.slice('task-'.length) },
          metadata: { ...copy(l).metadata, streamId: s },
        });
        return rehash(
          original.map((l) => (streamOf(l) === a ? rename(l, b) : streamOf(l) === b ? rename(l, a) : l)),
          [a, b],
        );
      },
      plain: 0,
      heads: 1,
      // Each stream now has the other's length: one was re-hashed and grew, the other was cut short
      // (named in the order the streams come in the file).
      finding:
        /^(?=[\s\S]*re-hashed)(?=[\s\S]*inserted before the seal's end)(?=[\s\S]*ends at revision \d+; it was sealed at revision)/,
    },
    {
      name: 'a closure re-attributed to another actor',
      edit: () => {
        const s = poorTask();
        const closed = lines(s).find((l) => l.type === 'TaskClosed')!;
        const other = { id: 'vice-mayor-zhao', kind: 'deputy-leader' };
        return rehash(
          original.map((l) =>
            l === closed
              ? {
                  ...copy(l),
                  data: { ...copy(l).data, approvedBy: other },
                  metadata: { ...copy(l).metadata, actor: other },
                }
              : l,
          ),
          [s],
        );
      },
      plain: 0,
      heads: 1,
      finding: /the stream was changed at or before revision/,
    },
    {
      name: 'a grade lifted from poor to excellent',
      edit: () => {
        const s = poorTask();
        const closed = lines(s).find((l) => l.type === 'TaskClosed')!;
        return rehash(
          original.map((l) =>
            l === closed ? { ...copy(l), data: { ...copy(l).data, grade: 'excellent' } } : l,
          ),
          [s],
        );
      },
      plain: 0,
      heads: 1,
      finding: /the stream was changed at or before revision/,
    },
    {
      name: 'a forged event appended after the heads (dated, and placed, before the seal)',
      edit: () => {
        const s = earlyStream();
        const head = lines(s).at(-1)!;
        // A commendation that never happened: it lifts the unit's score.
        const forged = nextOf(s, {
          type: 'RecognitionRecorded',
          data: {
            taskId: s.slice('task-'.length),
            at: head.data.at,
            recognitionId: 'R-forged',
            source: 'national-ministry',
            reference: '国办函〔2022〕1号',
            summary: 'Praised in writing by the ministry',
          },
          metadata: { ...head.metadata, commandType: 'RecordRecognition' },
        });
        return rehash(placeAfter(original, head, [forged]), [s]);
      },
      plain: 0,
      heads: 0,
      finding: /is among the first \d+ events, but the stream was sealed at revision \d+: inserted/,
    },
    {
      name: 'a replayed old event (renumbered as the next revision)',
      edit: () => {
        const s = earlyStream();
        const report = lines(s).find((l) => l.type === 'ProgressReported')!;
        return rehash(placeAfter(original, lines(s).at(-1)!, [nextOf(s, report)]), [s]);
      },
      plain: 0,
      heads: 0,
      finding: /inserted before the seal's end/,
    },
    {
      name: 'lines reordered across streams',
      edit: () => {
        const i = original.findIndex((l, k) => k > 400 && streamOf(l) !== streamOf(original[k + 1]!));
        const out = [...original];
        [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
        return out;
      },
      plain: 0,
      heads: 0,
      finding: /the same events, in another order across streams/,
    },
    {
      name: 'a whole fabricated task stream',
      edit: () => {
        const model = tasks()[4]!;
        const fake = 'task-DB2022-099';
        const out: Line[] = [];
        for (const l of original) {
          out.push(l);
          if (streamOf(l) === model)
            out.push({
              ...copy(l),
              data: { ...copy(l).data, taskId: 'DB2022-099' },
              metadata: { ...copy(l).metadata, streamId: fake },
            });
        }
        return rehash(out, [fake]);
      },
      plain: 0,
      heads: 0,
      finding: /task-DB2022-099 is among the first \d+ events, but the seal knows no such stream/,
    },
  ];

  it.each(attacks.map((a, i) => [i + 1, a.name, a] as const))('%i. %s', async (i, _name, attack) => {
    const tampered = attack.edit();
    const file = `attack-${i}.ndjson`;
    await write(dir, file, toNdjson(tampered));
    const line = firstDifference(original, tampered);
    expect(line).toBeGreaterThan(0);

    const plain = await duban(['verify', file], { cwd: dir });
    expect(plain.code).toBe(attack.plain);
    const heads = await duban(['verify', file, '--heads', 'heads.tsv'], { cwd: dir });
    expect(heads.code).toBe(attack.heads);

    const sealed = await duban(['verify', file, '--seal', 'seal.json', '--pubkey', keys.pub], { cwd: dir });
    expect(sealed.code).toBe(1);
    expect(sealed.stdout).toContain(
      `seal.json: NOT AS SEALED — the first ${original.length} events are not those sealed by office changzhi`,
    );
    // The first difference, to the line, then what happened to which stream.
    const findings = sealed.stdout.split('\n').filter((l) => l.startsWith(`  ${file}:`));
    expect(findings[0]).toBe(`  ${file}:${line}: the first difference from the seal is event ${line}`);
    expect(findings.slice(1).join('\n')).toMatch(attack.finding);
    outcomes.push({
      attack: attack.name,
      withoutHeads: plain.code !== 0,
      withHeads: heads.code !== 0,
      withSeal: sealed.code !== 0,
    });
  });
  const outcomes: Array<{ attack: string; withoutHeads: boolean; withHeads: boolean; withSeal: boolean }> =
    [];
  afterAll(() =>
    recordFigures('tamper-sweep', {
      attacks: outcomes.length,
      caughtWithoutHeads: outcomes.filter((o) => o.withoutHeads).length,
      caughtWithHeads: outcomes.filter((o) => o.withHeads).length,
      caughtWithSeal: outcomes.filter((o) => o.withSeal).length,
      outcomes,
    }),
  );

  it('names a forged event appended at the very end as after the seal, dated before it', async () => {
    const s = earlyStream();
    const head = lines(s).at(-1)!;
    const forged = rehash([...original, nextOf(s, head)], [s]);
    await write(dir, 'after.ndjson', toNdjson(forged));
    const r = await duban(['verify', 'after.ndjson', '--seal', 'seal.json', '--pubkey', keys.pub], {
      cwd: dir,
    });
    // The sealed history is intact: what the seal covers is what was sealed; the forged event is not covered.
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `seal.json: AS SEALED — the first ${original.length} events are exactly those sealed`,
    );
    expect(r.stdout).toContain('then 1 event in 1 stream, each appended to its stream after the seal');
    expect(r.stdout).toContain(
      `1 of them is dated before the seal was made: ${s} revision ${revisionOf(head) + 1}`,
    );
    expect(r.stdout).toContain(`(line ${original.length + 1})`);
  });
});
