import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { startEsdbTestServer, type EsdbTestServer } from '@duban/esdb-test-server';
import type { Actor } from '@duban/domain';
import { publicKeyHex } from '@duban/engine';
import { describePostgres } from '../../postgres/test/support/database';
import { duban, historyFrom, ndjson, read, smallHistory, tempDir, write } from './helpers';
import { copy, officeKeys, parseLines, rehash, streamOf, toNdjson } from './insider';

/** `duban seal`, `verify --seal`, `verify --heads`, `prove` and `verify-proof` on the demo's history. */
describe('seals, heads and proofs on the command line', () => {
  let dir: string;
  let keys: Awaited<ReturnType<typeof officeKeys>>;
  // The demo's size, read from its history, so that a richer demo does not rewrite these tests.
  let size: number;
  let streams: number;
  let task9: number;
  /** A unit with a record of its own in the demo (inspected, interviewed, commended or criticised). */
  let unit: string;
  const run = (...argv: string[]) => duban(argv, { cwd: dir });

  beforeAll(async () => {
    dir = tempDir('duban-evidence-');
    expect((await run('demo', '--out', 'demo')).code).toBe(0);
    keys = await officeKeys(dir);
    const lines = parseLines(await read(dir, 'demo/history.ndjson'));
    size = lines.length;
    streams = new Set(lines.map((l) => streamOf(l))).size;
    task9 = lines.filter((l) => streamOf(l) === 'task-DB2022-009').length;
    unit = streamOf(lines.find((l) => streamOf(l).startsWith('unit-'))!).slice('unit-'.length);
  }, 60_000);

  describe('duban seal on a file', () => {
    it('writes the seal and its index, and says a file cannot record it', async () => {
      const r = await run(
        'seal',
        'demo/history.ndjson',
        '--key',
        keys.key,
        '--office',
        'changzhi',
        '--at',
        '2022-04-01T10:00:00+08:00',
        '--out',
        'seal.json',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `^sealed ${size} events in ${streams} streams of office changzhi at 2022-04-01T10:00:00\\+08:00: root [0-9a-f]{16}…, key [0-9a-f]{16}…\\nwrote seal\\.json and its index seal\\.index\\.json \\(every stream's head, ${size} block roots\\)\\n$`,
        ),
      );
      expect(r.stderr).toContain(
        'demo/history.ndjson is a file: a file cannot be written to, so the seal is not recorded in the history (only written out)',
      );
      const seal = JSON.parse(await read(dir, 'seal.json')) as Record<string, unknown>;
      expect(Object.keys(seal)).toEqual([
        'format',
        'office',
        'at',
        'size',
        'root',
        'heads',
        'key',
        'signature',
      ]);
      const index = JSON.parse(await read(dir, 'seal.index.json')) as { heads: unknown[]; blockSize: number };
      expect(index.heads).toHaveLength(streams);
      expect(index.blockSize).toBe(1);
      // The same history, key and instant: the same seal (Ed25519 signatures are deterministic).
      const again = await run(
        'seal',
        'demo/history.ndjson',
        '--key',
        keys.key,
        '--office',
        'changzhi',
        '--at',
        '2022-04-01T10:00:00+08:00',
      );
      expect(JSON.parse(again.stdout)).toEqual(seal);
      expect(again.stderr).toContain(
        "the seal's index was not written: give --out SEAL.json to keep it beside the seal",
      );
    });

    it('refuses what cannot be sealed, naming why', async () => {
      // The demo keeps the office's record; without it, the seal must be told which office it is for.
      const demo = (await read(dir, 'demo/history.ndjson')).trimEnd().split('\n');
      await write(dir, 'no-office.ndjson', ndjson(demo.filter((l) => !l.includes('"streamId":"office"'))));
      const noOffice = await run('seal', 'no-office.ndjson', '--key', keys.key);
      expect(noOffice.code).toBe(2);
      expect(noOffice.stderr).toContain(
        'no-office.ndjson: the history keeps no office record (no OfficeEstablished): name the office the seal is for with --office ID',
      );
      const pub = await run('seal', 'demo/history.ndjson', '--key', keys.pub, '--office', 'changzhi');
      expect(pub.code).toBe(2);
      expect(pub.stderr).toContain(
        '--key office.pub.pem: is a public key; signing a seal needs the private key',
      );
      const lines = (await read(dir, 'demo/history.ndjson')).split('\n');
      await write(
        dir,
        'broken.ndjson',
        lines.map((l, i) => (i === 5 ? l.replace('"at":"', '"at":"1') : l)).join('\n'),
      );
      const broken = await run('seal', 'broken.ndjson', '--key', keys.key, '--office', 'changzhi');
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('broken.ndjson: not sealed — the history does not verify');
      const badAt = await run(
        'seal',
        'demo/history.ndjson',
        '--key',
        keys.key,
        '--office',
        'changzhi',
        '--at',
        'yesterday',
      );
      expect(badAt.code).toBe(2);
      expect(badAt.stderr).toContain('--at yesterday:');
      const store = await run('seal', 'memory:', '--key', keys.key);
      expect(store.code).toBe(2);
      expect(store.stderr).toContain(
        'say who records it with --actor inspection-office:ID or main-leader:ID',
      );
    });
  });

  describe('verify --seal', () => {
    it('says the history is as sealed, with the public key as PEM or JWK', async () => {
      for (const pub of [keys.pub, keys.jwk]) {
        const r = await run('verify', 'demo/history.ndjson', '--seal', 'seal.json', '--pubkey', pub);
        expect(r.code).toBe(0);
        expect(r.stdout).toContain(
          `seal.json: AS SEALED — the first ${size} events are exactly those sealed by office changzhi at 2022-04-01T10:00:00+08:00`,
        );
        expect(r.stdout).toContain('  and nothing after them');
      }
    });

    it('refuses a seal that was altered, or signed with another key, before reading the history', async () => {
      const seal = JSON.parse(await read(dir, 'seal.json')) as { size: number };
      await write(dir, 'altered.json', JSON.stringify({ ...seal, size: seal.size - 1 }));
      const altered = await run(
        'verify',
        'demo/history.ndjson',
        '--seal',
        'altered.json',
        '--pubkey',
        keys.pub,
      );
      expect(altered.code).toBe(1);
      expect(altered.stdout).toContain(
        'altered.json: NOT A VALID SEAL — the signature does not verify with key',
      );
      await fs.mkdir(path.join(dir, 'other'), { recursive: true });
      await officeKeys(path.join(dir, 'other'));
      const wrong = await run(
        'verify',
        'demo/history.ndjson',
        '--seal',
        'seal.json',
        '--pubkey',
        'other/office.pub.pem',
      );
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toMatch(
        /seal\.json: NOT A VALID SEAL — the seal was signed with key [0-9a-f]{16}…, not with the key given \([0-9a-f]{16}…\)/,
      );
      expect(wrong.stdout).not.toContain('intact');
    });

    it('refuses a private key where the public key goes, and a seal without a key', async () => {
      const priv = await run('verify', 'demo/history.ndjson', '--seal', 'seal.json', '--pubkey', keys.key);
      expect(priv.code).toBe(2);
      expect(priv.stderr).toContain(
        '--pubkey office.key.pem: is a private key; checking needs only the public key',
      );
      const none = await run('verify', 'demo/history.ndjson', '--seal', 'seal.json');
      expect(none.code).toBe(2);
      expect(none.stderr).toContain("--seal needs --pubkey PUB: the office's public key");
      await write(dir, 'junk-seal.json', '{"format":"duban-seal/1","size":"many"}');
      const junk = await run(
        'verify',
        'demo/history.ndjson',
        '--seal',
        'junk-seal.json',
        '--pubkey',
        keys.pub,
      );
      expect(junk.code).toBe(2);
      expect(junk.stderr).toContain('--seal junk-seal.json: not a seal');
      expect(junk.stderr).toContain('  size: expected TreeSize, got "many"');
      expect(junk.stderr).toContain('  signature: is required');
    });

    it('checks that a newer seal extends an older one, and says when it does not', async () => {
      const lines = parseLines(await read(dir, 'demo/history.ndjson'));
      await write(dir, 'early.ndjson', toNdjson(lines.slice(0, 300)));
      const early = await run(
        'seal',
        'early.ndjson',
        '--key',
        keys.key,
        '--office',
        'changzhi',
        '--at',
        '2022-01-01T10:00:00+08:00',
        '--out',
        'early.json',
      );
      expect(early.code).toBe(0);
      const both = await run(
        'verify',
        'demo/history.ndjson',
        '--seal',
        'early.json',
        '--seal',
        'seal.json',
        '--pubkey',
        keys.pub,
      );
      expect(both.code).toBe(0);
      expect(both.stdout).toContain('early.json: AS SEALED — the first 300 events are exactly those sealed');
      expect(both.stdout).toMatch(
        new RegExp(
          ` {2}then ${size - 300} events in \\d+ streams, each appended to its stream after the seal`,
        ),
      );
      expect(both.stdout).toMatch(
        new RegExp(
          `early\\.json → seal\\.json: CONSISTENT — the seal of ${size} events made 2022-04-01T10:00:00\\+08:00 extends the seal of 300 events made 2022-01-01T10:00:00\\+08:00: its first 300 events are those sealed then \\(consistency proof of \\d+ hashes\\)`,
        ),
      );
      // The office sealed a rewritten beginning later: the two seals do not agree.
      const s = streamOf(lines[10]!);
      const rewritten = rehash(
        lines.map((l, i) =>
          i === 10 ? { ...copy(l), metadata: { ...copy(l).metadata, at: '2021-10-05T09:00:00+08:00' } } : l,
        ),
        [s],
      );
      await write(dir, 'rewritten.ndjson', toNdjson(rewritten));
      expect(
        (
          await run(
            'seal',
            'rewritten.ndjson',
            '--key',
            keys.key,
            '--office',
            'changzhi',
            '--at',
            '2022-04-02T10:00:00+08:00',
            '--out',
            'later.json',
          )
        ).code,
      ).toBe(0);
      const forked = await run(
        'verify',
        'rewritten.ndjson',
        '--seal',
        'early.json',
        '--seal',
        'later.json',
        '--pubkey',
        keys.pub,
      );
      expect(forked.code).toBe(1);
      expect(forked.stdout).toContain('later.json: AS SEALED');
      expect(forked.stdout).toContain('early.json: NOT AS SEALED');
      expect(forked.stdout).toContain(
        `early.json → later.json: NOT CONSISTENT — the seal of ${size} events made 2022-04-02T10:00:00+08:00 does not extend the seal of 300 events made 2022-01-01T10:00:00+08:00: the history sealed then was changed before the newer seal was made`,
      );
      // A history neither seal covers gives no proof about them.
      const neither = await run(
        'verify',
        'rewritten.ndjson',
        '--seal',
        'early.json',
        '--seal',
        'seal.json',
        '--pubkey',
        keys.pub,
      );
      expect(neither.code).toBe(1);
      expect(neither.stdout).toContain(
        'early.json → seal.json: NOT CHECKED — the history is not the one seal.json seals, so no proof can be made from it',
      );
      const json = await run(
        'verify',
        'demo/history.ndjson',
        '--seal',
        'early.json',
        '--seal',
        'seal.json',
        '--pubkey',
        keys.pub,
        '--json',
      );
      const result = JSON.parse(json.stdout) as {
        ok: boolean;
        consistency: { ok: boolean; proof: string[] };
        seals: { ok: boolean }[];
      };
      expect(result.ok).toBe(true);
      expect(result.consistency.ok).toBe(true);
      expect(result.consistency.proof.length).toBeGreaterThan(0);
      expect(result.seals.map((x) => x.ok)).toEqual([true, true]);
    });

    it('works without the index, finding but not locating a difference; an index that is not the seal’s is set aside', async () => {
      const lines = parseLines(await read(dir, 'demo/history.ndjson'));
      await fs.mkdir(path.join(dir, 'bare'), { recursive: true });
      await fs.copyFile(path.join(dir, 'seal.json'), path.join(dir, 'bare', 'seal.json'));
      const swapped = [...lines];
      const i = lines.findIndex((l, k) => k > 500 && streamOf(l) !== streamOf(lines[k + 1]!));
      [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
      await write(dir, 'swapped.ndjson', toNdjson(swapped));
      const bare = await run('verify', 'swapped.ndjson', '--seal', 'bare/seal.json', '--pubkey', keys.pub);
      expect(bare.code).toBe(1);
      expect(bare.stdout).toContain(
        `bare/seal.json: NOT AS SEALED — the first ${size} events are not those sealed`,
      );
      expect(bare.stdout).toContain(
        "(without the seal's index, bare/seal.index.json, a difference is found but not located)",
      );
      await write(dir, 'bare/seal.index.json', await read(dir, 'early.index.json'));
      const wrongIndex = await run(
        'verify',
        'swapped.ndjson',
        '--seal',
        'bare/seal.json',
        '--pubkey',
        keys.pub,
      );
      expect(wrongIndex.code).toBe(1);
      expect(wrongIndex.stderr).toContain('warning: bare/seal.index.json: not the index of this seal');
      expect(wrongIndex.stderr).toContain('the index is not used');
    });
  });

  describe('verify --print-heads and --heads FILE', () => {
    it('prints the heads as TSV alone on standard output, the verdict on standard error', async () => {
      const r = await run('verify', 'demo/history.ndjson', '--print-heads');
      expect(r.code).toBe(0);
      const rows = r.stdout.trimEnd().split('\n');
      expect(rows[0]).toBe('stream\trevision\thash');
      expect(rows).toHaveLength(streams + 1);
      for (const row of rows.slice(1)) expect(row).toMatch(/^[a-z]+-?[A-Za-z0-9-]*\t\d+\t[0-9a-f]{64}$/);
      const ids = rows.slice(1).map((row) => row.split('\t')[0]!);
      expect(ids).toEqual([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      expect(r.stderr).toContain(`demo/history.ndjson: intact — ${size} events in ${streams} streams`);
      await write(dir, 'heads.tsv', r.stdout);
    });

    it('checks a later copy against heads kept earlier', async () => {
      const ok = await run('verify', 'demo/history.ndjson', '--heads', 'heads.tsv');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(
        `  every one of the ${streams} heads recorded in heads.tsv is there, unchanged; since then 0 streams grew and 0 streams were added`,
      );
      const lines = (await read(dir, 'demo/history.ndjson')).trimEnd().split('\n');
      await write(dir, 'cut.ndjson', ndjson(lines.slice(0, -1)));
      const cut = await run('verify', 'cut.ndjson', '--heads', 'heads.tsv');
      expect(cut.code).toBe(1);
      expect(cut.stdout).toMatch(/cut\.ndjson: BROKEN — stream \S+, revision \d+: missing/);
      // (at -1 when the cut event was its stream's only one)
      expect(cut.stdout).toMatch(/missing: the recorded head is revision \d+; the stream ends at -?\d+/);
    });

    it('refuses a heads file that is not one, naming each line and rule', async () => {
      await write(dir, 'bad.tsv', 'stream\trevision\thash\ntask-T1\t-1\tabc\ntask-T2\t3\n');
      const r = await run('verify', 'demo/history.ndjson', '--heads', 'bad.tsv');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--heads bad.tsv: not a heads file (3 problems)');
      expect(r.stderr).toContain('  bad.tsv:2: revision: must be a whole number from 0, got "-1"');
      expect(r.stderr).toContain('  bad.tsv:2: hash: must be 64 lowercase hexadecimal digits, got "abc"');
      expect(r.stderr).toContain('  bad.tsv:3: must be three fields separated by tabs, got 2');
    });

    it('says which option was meant when --heads has no FILE, or took the history for one', async () => {
      const alone = await run('verify', 'demo/history.ndjson', '--heads');
      expect(alone).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringContaining(
          'error: --heads needs FILE, the heads kept earlier to check against (duban verify SOURCE --heads FILE); to print the heads, use --print-heads\n',
        ),
      });
      const before = await run('verify', '--heads', 'demo/history.ndjson');
      expect(before.code).toBe(2);
      expect(before.stdout).toBe('');
      expect(before.stderr).toContain(
        "error: missing required argument 'source': --heads takes a FILE, so demo/history.ndjson was read as the heads to check against; write duban verify SOURCE --heads FILE, or duban verify SOURCE --print-heads to print them",
      );
      // Without --heads, commander's own message stands.
      const none = await run('verify');
      expect(none.stderr).toContain("error: missing required argument 'source'\n");
    });
  });

  describe('prove and verify-proof', () => {
    it('proves one task with the seal, and the proof checks alone, with the public key', async () => {
      const r = await run(
        'prove',
        'demo/history.ndjson',
        '--task',
        'DB2022-009',
        '--seal',
        'seal.json',
        '--out',
        'task.proof.json',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `proof of task DB2022-009 — ${task9} events of the ${size} sealed by office changzhi`,
      );
      // The proof alone, in a directory with nothing else: no history, no seal file, no index.
      const alone = tempDir('duban-proof-');
      await fs.copyFile(path.join(dir, 'task.proof.json'), path.join(alone, 'p.json'));
      await fs.copyFile(path.join(dir, keys.pub), path.join(alone, 'pub.pem'));
      const v = await duban(['verify-proof', 'p.json', '--pubkey', 'pub.pem'], { cwd: alone });
      expect(v.code).toBe(0);
      expect(v.stdout).toContain(
        `p.json: VALID — task DB2022-009, as sealed by office changzhi at 2022-04-01T10:00:00+08:00 (${size} events`,
      );
      expect(v.stdout).toMatch(
        new RegExp(
          ` {2}task-DB2022-009: revisions 0–${task9 - 1}, complete as sealed \\(events \\d+–\\d+ of the sealed history\\)`,
        ),
      );
      // Nothing of any other stream is in it.
      const proof = JSON.parse(await read(alone, 'p.json')) as {
        streams: Array<{ events: Array<{ event: { metadata: { streamId: string } } }> }>;
      };
      expect(new Set(proof.streams.flatMap((s) => s.events.map((e) => e.event.metadata.streamId)))).toEqual(
        new Set(['task-DB2022-009']),
      );
    });

    it("proves a unit's tasks and its own stream, showing nothing of other units' tasks", async () => {
      const r = await run(
        'prove',
        'demo/history.ndjson',
        '--unit',
        unit,
        '--seal',
        'seal.json',
        '--out',
        'unit.proof.json',
        '--pubkey',
        keys.pub,
      );
      expect(r.code).toBe(0);
      const proof = JSON.parse(await read(dir, 'unit.proof.json')) as {
        streams: Array<{
          streamId: string;
          events: Array<{ event: { type: string; data: { leadUnit?: string; coUnits?: string[] } } }>;
        }>;
      };
      for (const s of proof.streams.filter((x) => x.streamId.startsWith('task-'))) {
        const assigned = s.events[0]!.event;
        expect(assigned.type).toBe('TaskAssigned');
        expect([assigned.data.leadUnit, ...(assigned.data.coUnits ?? [])]).toContain(unit);
      }
      const v = await run('verify-proof', 'unit.proof.json', '--pubkey', keys.jwk);
      expect(v.code).toBe(0);
      expect(v.stdout).toContain(`unit.proof.json: VALID — unit ${unit}`);
      expect(v.stdout).toContain(`  unit-${unit}: revisions 0–`);
    });

    it('names what is wrong with a tampered proof, and refuses to prove what is not sealed', async () => {
      const proof = JSON.parse(await read(dir, 'task.proof.json')) as {
        streams: Array<{ events: Array<{ event: { data: Record<string, unknown> } }> }>;
      };
      proof.streams[0]!.events[3]!.event.data.at = '2022-01-01T09:00:00+08:00';
      await write(dir, 'tampered.proof.json', JSON.stringify(proof));
      const v = await run('verify-proof', 'tampered.proof.json', '--pubkey', keys.pub);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain('tampered.proof.json: INVALID — ');
      expect(v.stdout).toMatch(
        / {2}tampered\.proof\.json: streams\[0\]\.events\[3\]\.event: its content hashes to [0-9a-f]{12}…, not to its metadata\.hash: the event was changed/,
      );
      await write(dir, 'not.json', 'not json');
      expect((await run('verify-proof', 'not.json', '--pubkey', keys.pub)).code).toBe(1);
      const nope = await run('prove', 'demo/history.ndjson', '--task', 'DB2099-001', '--seal', 'seal.json');
      expect(nope.code).toBe(1);
      expect(nope.stderr).toContain(`task DB2099-001 is not among the ${size} sealed events`);
      const unsealed = await run('prove', 'rewritten.ndjson', '--task', 'DB2022-009', '--seal', 'seal.json');
      expect(unsealed.code).toBe(1);
      expect(unsealed.stderr).toContain("do not hash to the seal's root: this is not the sealed history");
      const both = await run(
        'prove',
        'demo/history.ndjson',
        '--task',
        'X',
        '--unit',
        'Y',
        '--seal',
        'seal.json',
      );
      expect(both.code).toBe(2);
    });
  });
});

const mayor: Actor = { id: 'mayor', kind: 'main-leader' };
/** The office's record, opened by its main leader. */
const establishOffice = {
  type: 'EstablishOffice',
  actor: mayor,
  at: '2022-04-01T09:00:00+08:00',
  data: {
    officeId: 'changzhi',
    name: '长治市人民政府办公室',
    utcOffsetMinutes: 480,
    mainLeader: { personId: 'mayor', name: '市长' },
    effectiveFrom: '2022-04-01',
  },
} as const;

/**
 * On a store the seal is recorded on the office's stream: the history lists every seal it was given.
 * The same cases on EventStoreDB (the protocol test server) and on PostgreSQL (the run's server).
 */
const sealOnStore = (open: () => Promise<{ url: string; close(): Promise<void> }>) => {
  let store: { url: string; close(): Promise<void> } | undefined;
  let dir: string;
  let keys: Awaited<ReturnType<typeof officeKeys>>;
  beforeAll(async () => {
    store = await open();
    dir = tempDir('duban-seal-store-');
    keys = await officeKeys(dir);
    const { lines } = await smallHistory();
    // The office's record opens after the small history's last event (its actors are not on record).
    const { lines: office } = await historyFrom([establishOffice]);
    await write(dir, 'h.ndjson', ndjson([...lines, ...office]));
    const imported = await duban(['import', 'h.ndjson', store.url], { cwd: dir });
    expect(imported.code).toBe(0);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('signs what the store holds, records it as SealRecorded, and the export verifies against it', async () => {
    const url = store!.url;
    const at = '2022-04-02T10:00:00+08:00';
    const r = await duban(
      ['seal', url, '--key', keys.key, '--actor', 'main-leader:mayor', '--at', at, '--out', 'seal.json'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sealed 24 events in 5 streams of office changzhi');
    expect(r.stdout).toContain(": recorded on the office's stream as revision 1 (SealRecorded)");
    // Again: the same seal is one fact.
    const again = await duban(['seal', url, '--key', keys.key, '--actor', 'main-leader:mayor', '--at', at], {
      cwd: dir,
    });
    expect(again.code).toBe(0);
    const exported = await duban(['export', url, '--out', 'after.ndjson'], { cwd: dir });
    expect(exported.code).toBe(0);
    const after = parseLines(await read(dir, 'after.ndjson'));
    const recorded = after.filter((l) => l.type === 'SealRecorded');
    // The second run sealed 25 events (the first seal included) and recorded that seal too.
    expect(recorded).toHaveLength(2);
    expect(recorded[0]!.data.seal).toEqual(JSON.parse(await read(dir, 'seal.json')));
    // No key material in the history: only the key's SHA-256.
    const text = await read(dir, 'after.ndjson');
    const d = keys.privateKey.export({ format: 'jwk' }).d!;
    expect(text).not.toContain(d);
    expect(text).not.toContain(keys.publicKey.export({ format: 'jwk' }).x!);
    const v = await duban(['verify', 'after.ndjson', '--seal', 'seal.json', '--pubkey', keys.pub], {
      cwd: dir,
    });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('seal.json: AS SEALED — the first 24 events are exactly those sealed');
    expect(v.stdout).toContain('  then 2 events in 1 stream, each appended to its stream after the seal');
    // A history holding its seals reads as any other.
    expect((await duban(['verify', 'after.ndjson'], { cwd: dir })).code).toBe(0);
    const report = await duban(['report', 'after.ndjson', '--quarter', '2022Q1', '--format', 'json'], {
      cwd: dir,
    });
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
  });

  it('refuses to record a seal for another office, or by someone else; the seal file is kept', async () => {
    const url = store!.url;
    const other = await duban(
      ['seal', url, '--key', keys.key, '--actor', 'main-leader:mayor', '--office', 'taiyuan'],
      { cwd: dir },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('--office taiyuan: the history keeps the record of office changzhi');
    const clerk = await duban(['seal', url, '--key', keys.key, '--actor', 'section:clerk-qian'], {
      cwd: dir,
    });
    expect(clerk.code).toBe(2);
    expect(clerk.stderr).toContain(
      '--actor section:clerk-qian: who records the seal, as inspection-office:ID or main-leader:ID',
    );
    const impostor = await duban(
      [
        'seal',
        url,
        '--key',
        keys.key,
        '--actor',
        'main-leader:nobody',
        '--at',
        '2022-04-03T10:00:00+08:00',
        '--out',
        'kept.json',
      ],
      { cwd: dir },
    );
    expect(impostor.code).toBe(1);
    expect(impostor.stderr).toContain("the seal was not recorded on the office's stream — NotOnRecord:");
    expect(impostor.stderr).toContain('(kept.json holds the seal all the same)');
    expect(JSON.parse(await read(dir, 'kept.json'))).toMatchObject({ office: 'changzhi' });
  });
};

/** A recorder with a signing key on the office's record signs the command that records the seal. */
describe('duban seal --actor-key', () => {
  let server: EsdbTestServer;
  let dir: string;
  let keys: Awaited<ReturnType<typeof officeKeys>>;
  const mayorKey = generateKeyPairSync('ed25519');
  beforeAll(async () => {
    server = await startEsdbTestServer();
    dir = tempDir('duban-seal-signed-');
    keys = await officeKeys(dir);
    await write(dir, 'mayor.key.pem', mayorKey.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    const other = generateKeyPairSync('ed25519').privateKey;
    await write(dir, 'other.key.pem', other.export({ format: 'pem', type: 'pkcs8' }) as string);
    const at = '2022-04-01T09:00:00+08:00';
    const { lines } = await historyFrom([
      establishOffice,
      {
        type: 'RegisterActorKey',
        actor: mayor,
        at,
        data: { officeId: 'changzhi', personId: 'mayor', publicKey: publicKeyHex(mayorKey.publicKey) },
      },
    ]);
    await write(dir, 'h.ndjson', ndjson(lines));
    expect((await duban(['import', 'h.ndjson', server.connectionString], { cwd: dir })).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses an unsigned or wrongly signed record of the seal, and records one signed with the key on record', async () => {
    const url = server.connectionString;
    const seal = (...more: string[]) =>
      duban(
        [
          'seal',
          url,
          '--key',
          keys.key,
          '--actor',
          'main-leader:mayor',
          '--at',
          '2022-04-02T10:00:00+08:00',
          ...more,
        ],
        {
          cwd: dir,
        },
      );
    const unsigned = await seal('--out', 'unsigned.json');
    expect(unsigned.code).toBe(1);
    expect(unsigned.stderr).toContain(
      "the seal was not recorded on the office's stream — SignatureRequired:",
    );
    expect(unsigned.stderr).toContain('(unsigned.json holds the seal all the same)');
    const forged = await seal('--actor-key', 'other.key.pem');
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('SignatureInvalid:');
    const signed = await seal('--actor-key', 'mayor.key.pem', '--out', 'signed.json');
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    expect(signed.stdout).toContain('sealed 2 events in 1 stream of office changzhi');
    expect(signed.stdout).toContain("recorded on the office's stream as revision 2 (SealRecorded)");
    expect((await duban(['export', url, '--out', 'after.ndjson'], { cwd: dir })).code).toBe(0);
    const v = await duban(['verify', 'after.ndjson'], { cwd: dir });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('1 signed command event, 1 verifies with the key on record then');
    // Only where a seal is recorded, and only for the --actor.
    const onFile = await duban(
      ['seal', 'h.ndjson', '--key', keys.key, '--office', 'changzhi', '--actor-key', 'mayor.key.pem'],
      {
        cwd: dir,
      },
    );
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain('--actor-key: signs the command that records the seal on a store');
    const noActor = await duban(['seal', url, '--key', keys.key, '--actor-key', 'mayor.key.pem'], {
      cwd: dir,
    });
    expect(noActor.code).toBe(2);
  });
});

describe('duban seal on EventStoreDB', () =>
  sealOnStore(async () => {
    const server: EsdbTestServer = await startEsdbTestServer();
    return { url: server.connectionString, close: () => server.stop() };
  }));

describePostgres('duban seal on PostgreSQL', (database) =>
  sealOnStore(async () => {
    const url = new URL(database().url);
    url.searchParams.set('schema', 'sealed');
    expect((await duban(['migrate', url.toString()], { cwd: tempDir() })).code).toBe(0);
    return { url: url.toString(), close: async () => undefined };
  }),
);
