import { generateKeyPairSync } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import type { Command } from '@duban/domain';
import { createEngine, createInMemoryEventStore, publicKeyHex, signedMeta, type Engine } from '@duban/engine';
import { officeFixture, taskFixture } from '@duban/testing';
import { duban, ndjson, rehashed, tempDir, verifySealPy, write } from './helpers';

/** `duban verify` checks every command signature against the keys on record at that point of the history. */
const o = officeFixture();
const t = taskFixture({ taskId: 'S-1' });
const zhao = generateKeyPairSync('ed25519');
let n = 0;
const ok = async (engine: Engine, c: Command, signed = false) => {
  const meta = { actor: c.actor, at: c.at, commandId: `v-${++n}` };
  const r = await engine.execute(
    { type: c.type, data: c.data },
    signedMeta(c, meta, signed ? zhao.privateKey : undefined),
  );
  if (isLeft(r)) throw new Error(`${c.type} was refused: ${r.left.message}`);
};

describe('duban verify: signed commands', () => {
  let lines: string[];
  let dir: string;
  beforeAll(async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    for (const c of o.setup()) await ok(engine, c);
    await ok(
      engine,
      o.command('RegisterActorKey', { personId: 'clerk-zhao', publicKey: publicKeyHex(zhao.publicKey) }),
    );
    await ok(engine, t.assign(), true);
    await ok(engine, t.accept());
    lines = [];
    for await (const e of store.readAll())
      lines.push(JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata }));
    dir = tempDir();
  });

  it('says how many signed command events verify with the key then on record', async () => {
    await write(dir, 'signed.ndjson', ndjson(lines));
    const r = await duban(['verify', 'signed.ndjson'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 signed command event, 1 verifies with the key on record then');
    const json = await duban(['verify', 'signed.ndjson', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, signatures: { signed: 1, verified: 1 } });
    // The auditor's own script agrees, with nothing but the history and Python's standard library.
    expect(await verifySealPy(['signatures', 'signed.ndjson'], dir)).toEqual({
      code: 0,
      stdout: 'VALID: 1 signed command event, 1 verifies with the key on record then\n',
    });
  });

  it('names the line, stream and revision of a signature that does not verify, though every chain was re-hashed', async () => {
    const at = lines.findIndex((l) => l.includes('"TaskAssigned"'));
    const forged = [...lines];
    const e = JSON.parse(forged[at]!) as { metadata: { signature: { value: string } } };
    e.metadata.signature.value = `${e.metadata.signature.value.slice(0, 127)}${e.metadata.signature.value.endsWith('0') ? '1' : '0'}`;
    forged[at] = JSON.stringify(e);
    await write(dir, 'forged.ndjson', ndjson(await rehashed(forged)));
    const r = await duban(['verify', 'forged.ndjson'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID — 1 problem (the hash chains verify)');
    expect(r.stdout).toContain(
      `forged.ndjson:${at + 1}: task-S-1 revision 0: metadata.signature: the signature of clerk-zhao's command`,
    );
    const py = await verifySealPy(['signatures', 'forged.ndjson'], dir);
    expect(py.code).toBe(1);
    expect(py.stdout).toContain('INVALID: 1 problem with command signatures (1 signed command event)');
    expect(py.stdout).toContain(
      `forged.ndjson:${at + 1}: task-S-1 revision 0: the signature of clerk-zhao's command v-`,
    );
    // Stripped of its signature instead: unsigned, though the clerk had a key on record.
    const stripped = [...lines];
    const s = JSON.parse(stripped[at]!) as { metadata: Record<string, unknown> };
    delete s.metadata.signature;
    stripped[at] = JSON.stringify(s);
    await write(dir, 'stripped.ndjson', ndjson(await rehashed(stripped)));
    const u = await duban(['verify', 'stripped.ndjson'], { cwd: dir });
    expect(u.code).toBe(1);
    expect(u.stdout).toContain(
      `stripped.ndjson:${at + 1}: task-S-1 revision 0: metadata.signature: unsigned`,
    );
    // Signed with another key than the one on record: duban and the auditor's script both refuse it.
    const other = [...lines];
    const k = JSON.parse(other[at]!) as { metadata: { signature: { publicKey: string } } };
    k.metadata.signature.publicKey = publicKeyHex(generateKeyPairSync('ed25519').publicKey);
    other[at] = JSON.stringify(k);
    await write(dir, 'other-key.ndjson', ndjson(await rehashed(other)));
    const wrongKey = `other-key.ndjson:${at + 1}: task-S-1 revision 0`;
    expect((await duban(['verify', 'other-key.ndjson'], { cwd: dir })).stdout).toContain(
      `${wrongKey}: metadata.signature: signed with a key that is not clerk-zhao's key on record`,
    );
    expect(await verifySealPy(['signatures', 'other-key.ndjson'], dir)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(
        `${wrongKey}: signed with a key that is not clerk-zhao's key on record`,
      ),
    });
    const pu = await verifySealPy(['signatures', 'stripped.ndjson'], dir);
    expect(pu.code).toBe(1);
    expect(pu.stdout).toContain(
      `stripped.ndjson:${at + 1}: task-S-1 revision 0: unsigned, though clerk-zhao had a signing key`,
    );
  });
});
