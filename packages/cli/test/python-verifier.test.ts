import { execFile } from 'node:child_process';
import { randomBytes, sign } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson } from '@duban/engine';
import { VERIFY_SEAL_PY, duban, read, tempDir, verifySealPy, write } from './helpers';
import { copy, officeKeys, parseLines, rehash, streamOf, toNdjson } from './insider';

/**
 * docs/verify_seal.py — an auditor's own check, in Python with its standard library only — agrees with
 * Duban's verifier on the demo's seal and proofs, intact and tampered: the auditor need not trust
 * Duban's code to trust the verdict.
 */
const SCRIPT = VERIFY_SEAL_PY;
const run = promisify(execFile);
const python = verifySealPy;

const pythonEval = async (code: string) =>
  (
    await run('python3', [
      '-c',
      `import sys; sys.path.insert(0, ${JSON.stringify(path.dirname(SCRIPT))}); import verify_seal as v\n${code}`,
    ])
  ).stdout;

describe('docs/verify_seal.py agrees with duban', () => {
  let dir: string;
  let keys: Awaited<ReturnType<typeof officeKeys>>;
  const cli = (...argv: string[]) => duban(argv, { cwd: dir });

  beforeAll(async () => {
    dir = tempDir('duban-python-');
    expect((await cli('demo', '--out', 'demo')).code).toBe(0);
    keys = await officeKeys(dir);
    expect(
      (
        await cli(
          'seal',
          'demo/history.ndjson',
          '--key',
          keys.key,
          '--office',
          'changzhi',
          '--out',
          'seal.json',
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(
          'prove',
          'demo/history.ndjson',
          '--task',
          'DB2022-009',
          '--seal',
          'seal.json',
          '--out',
          'task.json',
        )
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(
          'prove',
          'demo/history.ndjson',
          '--unit',
          'agriculture',
          '--seal',
          'seal.json',
          '--out',
          'unit.json',
        )
      ).code,
    ).toBe(0);
  }, 60_000);

  it('verifies RFC 8032 test vector 1 and Node signatures on random messages, and refuses altered ones', async () => {
    const vector = await pythonEval(
      [
        "pk = bytes.fromhex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')",
        "sig = bytes.fromhex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b')",
        "print(v.ed25519_verify(pk, b'', sig), v.ed25519_verify(pk, b'\\x00', sig))",
      ].join('\n'),
    );
    expect(vector.trim()).toBe('True False');
    const raw = Buffer.from(keys.publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
    const cases = Array.from({ length: 12 }, (_, i) => {
      const message = randomBytes(i * 7);
      const signature = sign(null, message, keys.privateKey);
      const flipped = Buffer.from(signature);
      flipped[i % 64]! ^= 1;
      return [message.toString('hex'), signature.toString('hex'), flipped.toString('hex')];
    });
    const out = await pythonEval(
      `pk = bytes.fromhex('${raw}')\nfor m, s, f in ${JSON.stringify(cases)}:\n    print(v.ed25519_verify(pk, bytes.fromhex(m), bytes.fromhex(s)), v.ed25519_verify(pk, bytes.fromhex(m), bytes.fromhex(f)))`,
    );
    expect(out.trim().split('\n')).toEqual(cases.map(() => 'True False'));
  });

  it('writes the same RFC 8785 canonical JSON as the engine, numbers, escapes and key order included', async () => {
    const values: unknown[] = [
      {
        b: 1,
        a: [true, false, null],
        '': 0,
        é: 'é',
        '\u{1F600}': 'astral key',
        '\uff61': 'sorts after the astral key in UTF-16',
      },
      [
        0,
        -0,
        1,
        -1,
        0.1,
        1e21,
        1e-7,
        123.456,
        5e-324,
        1.7976931348623157e308,
        Number('12345678901234567890'), // past 2^53: written with the double's shortest digits
        2 ** 53,
        1 / 3,
      ],
      'quote " backslash \\ controls \u0000\u0001\u001f tab \t newline \n 中文 \u2028 \ud83d\ude00',
      { nested: { z: { y: [{ x: 1 }] } } },
    ];
    const ts = values.map((v) => canonicalJson(v));
    const py = await pythonEval(
      `import json\nfor text in ${JSON.stringify(values.map((v) => JSON.stringify(v)))}:\n    print(json.dumps(v.canonical(v.strict_json(text, 'x'))))`,
    );
    expect(
      py
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as string),
    ).toEqual(ts);
  });

  type Case = { name: string; file: string; content?: string };

  it('gives the verdict duban gives on the seal and the history, intact and tampered', async () => {
    const seal = JSON.parse(await read(dir, 'seal.json')) as Record<string, unknown>;
    const lines = parseLines(await read(dir, 'demo/history.ndjson'));
    const s = streamOf(lines[40]!);
    const reorder = lines.findIndex((l, k) => k > 300 && streamOf(l) !== streamOf(lines[k + 1]!));
    const histories: Case[] = [
      { name: 'intact', file: 'demo/history.ndjson' },
      {
        name: 'changed and re-hashed',
        file: 'h1.ndjson',
        content: toNdjson(
          rehash(
            lines.map((l, i) =>
              i === 40
                ? { ...copy(l), metadata: { ...copy(l).metadata, at: '2021-10-08T09:00:00+08:00' } }
                : l,
            ),
            [s],
          ),
        ),
      },
      {
        name: 'changed, not re-hashed',
        file: 'h2.ndjson',
        content: toNdjson(
          lines.map((l, i) =>
            i === 40 ? { ...copy(l), metadata: { ...copy(l).metadata, at: '2021-10-08T09:00:00+08:00' } } : l,
          ),
        ),
      },
      {
        name: 'reordered across streams',
        file: 'h3.ndjson',
        content: toNdjson(
          lines.map((l, i) => (i === reorder ? lines[i + 1]! : i === reorder + 1 ? lines[reorder]! : l)),
        ),
      },
      { name: 'last event dropped', file: 'h4.ndjson', content: toNdjson(lines.slice(0, -1)) },
      {
        name: 'an event appended',
        file: 'h5.ndjson',
        content: toNdjson(
          rehash(
            [
              ...lines,
              {
                ...copy(lines.at(-1)!),
                metadata: {
                  ...copy(lines.at(-1)!).metadata,
                  revision: lines.filter((l) => streamOf(l) === streamOf(lines.at(-1)!)).length,
                },
              },
            ],
            [streamOf(lines.at(-1)!)],
          ),
        ),
      },
    ];
    const seals: Case[] = [
      { name: 'as signed', file: 'seal.json' },
      { name: 'size changed', file: 's1.json', content: JSON.stringify({ ...seal, size: 817 }) },
      {
        name: 'time changed',
        file: 's2.json',
        content: JSON.stringify({ ...seal, at: '2021-01-01T00:00:00Z' }),
      },
      {
        name: 'signature flipped',
        file: 's3.json',
        content: JSON.stringify({
          ...seal,
          signature: `${(seal.signature as string).slice(0, -1)}${(seal.signature as string).endsWith('0') ? '1' : '0'}`,
        }),
      },
    ];
    for (const c of [...histories, ...seals]) if (c.content) await write(dir, c.file, c.content);
    // Every history against the seal as signed, every altered seal against the intact history.
    const pairs = [
      ...histories.map((h) => [h, seals[0]!] as const),
      ...seals.slice(1).map((sl) => [histories[0]!, sl] as const),
    ];
    const verdicts: string[] = [];
    for (const [h, sl] of pairs) {
      const ts = await cli('verify', h.file, '--seal', sl.file, '--pubkey', keys.pub);
      const py = await python(['seal', sl.file, keys.pub, h.file], dir);
      verdicts.push(`${h.name} / ${sl.name}: duban ${ts.code} python ${py.code}`);
    }
    // The same verdicts; only the intact history, or one appended to, passes the seal as signed.
    expect(verdicts).toEqual(
      pairs.map(([h, sl]) => {
        const ok = sl.name === 'as signed' && (h.name === 'intact' || h.name === 'an event appended') ? 0 : 1;
        return `${h.name} / ${sl.name}: duban ${ok} python ${ok}`;
      }),
    );
    // With the JWK, and the seal alone.
    expect((await python(['seal', 'seal.json', keys.jwk], dir)).stdout).toMatch(
      /^VALID: seal of \d+ events, office changzhi/,
    );
  }, 60_000);

  it('gives the verdict duban gives on proofs, intact and tampered', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- proofs are edited as parsed JSON
    type Edited = Record<string, any>;
    const task = JSON.parse(await read(dir, 'task.json')) as Edited;
    const unit = JSON.parse(await read(dir, 'unit.json')) as Edited;
    const edits: Array<[string, Edited, (p: Edited) => void, boolean]> = [
      ['task, intact', task, () => undefined, true],
      ['unit, intact', unit, () => undefined, true],
      [
        'data changed',
        task,
        (p) => (p.streams[0].events[2].event.data.at = '2022-01-05T09:00:00+08:00'),
        false,
      ],
      [
        'data changed and re-hashed',
        task,
        (p) => {
          const e = p.streams[0].events[2].event;
          e.data.at = '2022-01-05T09:00:00+08:00';
          e.metadata.hash = 'x';
        },
        false,
      ],
      ['an event left out', task, (p) => p.streams[0].events.splice(4, 1), false],
      ['the last event left out', task, (p) => p.streams[0].events.pop(), false],
      ['a position moved', task, (p) => (p.streams[0].events[0].position += 1), false],
      ['a path hash changed', task, (p) => (p.streams[0].events[1].path[2] = '0'.repeat(64)), false],
      ['the head moved', task, (p) => (p.streams[0].head.index += 1), false],
      ['another task named', task, (p) => (p.subject = { task: 'DB2022-010' }), false],
      ['the seal re-sized', task, (p) => (p.seal.size -= 1), false],
      [
        'a task of another unit slipped in',
        unit,
        (p) => (p.streams[0].events[0].event.data.leadUnit = 'ecology'),
        false,
      ],
      [
        'the absent unit stream given events',
        unit,
        (p) => p.streams.at(-1).events.push(p.streams[0].events[0]),
        false,
      ],
    ];
    const verdicts: string[] = [];
    const expected: string[] = [];
    for (const [i, [name, base, edit, ok]] of edits.entries()) {
      const p = copy(base);
      edit(p);
      await write(dir, `proof-${i}.json`, JSON.stringify(p));
      const ts = await cli('verify-proof', `proof-${i}.json`, '--pubkey', keys.pub);
      const py = await python(['proof', `proof-${i}.json`, keys.pub], dir);
      verdicts.push(`${name}: duban ${ts.code} python ${py.code}`);
      expected.push(`${name}: duban ${ok ? 0 : 1} python ${ok ? 0 : 1}`);
    }
    expect(verdicts).toEqual(expected);
  }, 60_000);
});
