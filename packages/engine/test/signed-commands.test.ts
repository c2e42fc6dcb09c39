import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isLeft, left, right } from 'fp-ts/Either';
import type { Actor, Command, OfficeCommand } from '@duban/domain';
import {
  createEngine,
  createInMemoryEventStore,
  createSignatureAudit,
  hashEvent,
  publicKeyHex,
  signCommand,
  signedMeta,
  type Engine,
  type Envelope,
  type EventStore,
} from '@duban/engine';
import { officeFixture, taskFixture } from '@duban/testing';

/** Who is calling, and signed commands (docs/embedding.md "Who is calling", docs/auditing.md "Signed commands"). */
const o = officeFixture();
const t = taskFixture({ taskId: 'S-1' });
const pair = () => generateKeyPairSync('ed25519');
let n = 0;

const send = (engine: Engine, c: Command, extra: { signWith?: KeyObject; credentials?: unknown } = {}) => {
  const meta = { actor: c.actor, at: c.at, commandId: `c-${++n}` };
  return engine.execute(
    { type: c.type, data: c.data },
    signedMeta(c, meta, extra.signWith),
    extra.credentials === undefined ? undefined : { credentials: extra.credentials },
  );
};
const ok = async (engine: Engine, c: Command, extra: Parameters<typeof send>[2] = {}) => {
  const r = await send(engine, c, extra);
  if (isLeft(r)) throw new Error(`${c.type} was refused: ${r.left.message}`);
  return r.right;
};
const count = async (store: EventStore) => {
  let k = 0;
  for await (const _ of store.readAll()) k++;
  return k;
};
const history = async (store: EventStore) => {
  const out: Envelope[] = [];
  for await (const e of store.readAll()) out.push(e as unknown as Envelope);
  return out;
};
const withOffice = async () => {
  const store = createInMemoryEventStore();
  const engine = createEngine({ store });
  for (const c of o.setup()) await ok(engine, c);
  return { store, engine };
};
const registerKey = (
  personId: string,
  key: KeyObject,
  actor: Actor = o.mainLeader,
  when = o.at,
): OfficeCommand => o.command('RegisterActorKey', { personId, publicKey: publicKeyHex(key) }, actor, when);
const revokeKey = (personId: string, key: KeyObject, when: string): OfficeCommand =>
  o.command(
    'RevokeActorKey',
    { personId, publicKey: publicKeyHex(key), reason: 'laptop lost' },
    o.mainLeader,
    when,
  );

describe('who is calling: the authenticate port', () => {
  const sessions: Record<string, Actor> = { 'token-zhao': t.assign().actor };
  const authenticated = (store: EventStore) =>
    createEngine({
      store,
      authenticate: (credentials) =>
        typeof credentials === 'string' && sessions[credentials]
          ? right(sessions[credentials]!)
          : left({ reason: 'no session for these credentials' }),
    });

  it('accepts a command issued as the caller, refuses one issued as someone else, typed, nothing appended', async () => {
    const store = createInMemoryEventStore();
    const engine = authenticated(store);
    // The main leader's setup is issued by the main leader's own session.
    sessions['token-mayor'] = o.mainLeader;
    for (const c of o.setup()) await ok(engine, c, { credentials: 'token-mayor' });
    const before = await count(store);
    const impersonated = await send(engine, t.assign(), { credentials: 'token-mayor' });
    expect(isLeft(impersonated) && impersonated.left).toMatchObject({
      kind: 'AuthenticationError',
      code: 'ActorIsNotCaller',
      field: 'actor',
    });
    const anonymous = await send(engine, t.assign(), { credentials: 'stolen' });
    expect(isLeft(anonymous) && anonymous.left).toMatchObject({
      kind: 'AuthenticationError',
      code: 'NotAuthenticated',
      message: expect.stringContaining('no session for these credentials'),
    });
    const none = await send(engine, t.assign());
    expect(isLeft(none) && none.left).toMatchObject({ code: 'NotAuthenticated' });
    expect(await count(store)).toBe(before);
    expect((await ok(engine, t.assign(), { credentials: 'token-zhao' })).events).toHaveLength(1);
  });

  it('without the port, the command is taken as issued by its actor (the host is trusted)', async () => {
    const { engine } = await withOffice();
    expect((await ok(engine, t.assign(), { credentials: 'ignored' })).events).toHaveLength(1);
  });
});

describe('signed commands', () => {
  it('a person with a key on record: a good signature is accepted and kept in the envelope', async () => {
    const { store, engine } = await withOffice();
    const zhao = pair();
    await ok(engine, registerKey('clerk-zhao', zhao.publicKey));
    const done = await ok(engine, t.assign(), { signWith: zhao.privateKey });
    expect(done.events[0]!.metadata.signature).toEqual({
      publicKey: publicKeyHex(zhao.publicKey),
      value: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
    // The signature is covered by the chain hash, and the history alone checks it.
    expect(hashEvent(done.events[0]!)).toBe(done.events[0]!.metadata.hash);
    const audit = createSignatureAudit();
    for (const e of await history(store)) audit.push(e);
    expect(audit.finish()).toEqual({ signed: 1, verified: 1, findings: [] });
  });

  it('refuses unsigned, forged and wrongly keyed commands from them, typed, nothing appended', async () => {
    const { store, engine } = await withOffice();
    const zhao = pair();
    const qian = pair();
    await ok(engine, registerKey('clerk-zhao', zhao.publicKey));
    await ok(engine, registerKey('clerk-qian', qian.publicKey));
    const before = await count(store);
    const unsigned = await send(engine, t.assign());
    expect(isLeft(unsigned) && unsigned.left).toMatchObject({
      kind: 'SignatureError',
      code: 'SignatureRequired',
      field: 'signature',
    });
    // Signed by another person's key (the wrong key), by a key never registered (a forgery), or over
    // another command (a signature lifted from elsewhere).
    for (const key of [qian.privateKey, pair().privateKey]) {
      const r = await send(engine, t.assign(), { signWith: key });
      expect(isLeft(r) && r.left).toMatchObject({ kind: 'SignatureError', code: 'SignatureInvalid' });
    }
    const meta = { actor: t.assign().actor, at: t.assign().at, commandId: 'lifted' };
    const other = taskFixture({ taskId: 'S-2' }).assign();
    const lifted = await engine.execute(
      { type: t.assign().type, data: t.assign().data },
      { ...meta, signature: signCommand(other, meta, zhao.privateKey) },
    );
    expect(isLeft(lifted) && lifted.left).toMatchObject({ code: 'SignatureInvalid' });
    expect(await count(store)).toBe(before);
    // Someone without a key (the unit accepting) is not asked to sign.
    await ok(engine, t.assign(), { signWith: zhao.privateKey });
    await ok(engine, t.accept());
  });

  it('a revoked key signs nothing more; a replacing key ends the old one', async () => {
    const { store, engine } = await withOffice();
    const zhao = pair();
    const next = pair();
    await ok(engine, registerKey('clerk-zhao', zhao.publicKey));
    await ok(engine, revokeKey('clerk-zhao', zhao.publicKey, '2022-01-04T10:00:00.000+08:00'));
    const before = await count(store);
    const revoked = await send(engine, t.assign(), { signWith: zhao.privateKey });
    // Revoked and no other key: nothing is required any more, and a signature with no key in force is not kept.
    expect(isLeft(revoked)).toBe(false);
    expect(isLeft(revoked) ? undefined : revoked.right.events[0]!.metadata.signature).toBeUndefined();
    await ok(
      engine,
      registerKey('clerk-zhao', next.publicKey, o.mainLeader, '2022-01-04T11:00:00.000+08:00'),
    );
    const second = taskFixture({ taskId: 'S-3' }).assign();
    const old = await send(engine, second, { signWith: zhao.privateKey });
    expect(isLeft(old) && old.left).toMatchObject({
      code: 'KeyRevoked',
      message: expect.stringContaining('laptop lost'),
    });
    expect(await count(store)).toBe(before + 2);
    await ok(engine, second, { signWith: next.privateKey });
    // A revoked key is never registered again, for anyone.
    const again = await send(
      engine,
      registerKey('clerk-zhao', zhao.publicKey, o.mainLeader, '2022-01-04T12:00:00.000+08:00'),
    );
    expect(isLeft(again) && again.left).toMatchObject({ code: 'KeyInUse', field: 'data.publicKey' });
  });

  it('keys are registered by the main leader or the inspection office, for someone on record, one key one person', async () => {
    const { store, engine } = await withOffice();
    const key = pair();
    const before = await count(store);
    for (const actor of [
      { id: 'clerk-zhao', kind: 'section', unitId: 'section-2' },
      { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' },
      { id: 'vice-mayor-li', kind: 'deputy-leader' },
    ] as Actor[]) {
      const r = await send(engine, registerKey('clerk-zhao', key.publicKey, actor));
      expect(isLeft(r) && r.left).toMatchObject({ code: 'NotAuthorized', field: 'actor' });
    }
    const stranger = await send(engine, registerKey('someone', key.publicKey));
    expect(isLeft(stranger) && stranger.left).toMatchObject({ code: 'NotOnRecord', field: 'data.personId' });
    expect(await count(store)).toBe(before);
    await ok(engine, registerKey('clerk-zhao', key.publicKey, o.inspectionOffice));
    const shared = await send(engine, registerKey('clerk-qian', key.publicKey));
    expect(isLeft(shared) && shared.left).toMatchObject({ code: 'KeyInUse' });
  });

  it('the audit names a signature that does not verify, one with a key not in force, and an unsigned event', async () => {
    const { store, engine } = await withOffice();
    const zhao = pair();
    await ok(engine, registerKey('clerk-zhao', zhao.publicKey));
    await ok(engine, t.assign(), { signWith: zhao.privateKey });
    await ok(engine, t.accept());
    const events = await history(store);
    const signedAt = events.findIndex((e) => e.type === 'TaskAssigned');
    const auditWith = (change: (m: Record<string, unknown>) => Record<string, unknown>) => {
      const audit = createSignatureAudit();
      events.forEach((e, i) => {
        const m = e.metadata as unknown as Record<string, unknown>;
        audit.push((i === signedAt ? { ...e, metadata: change(m) } : e) as Envelope, i + 1);
      });
      return audit.finish();
    };
    const at = { line: signedAt + 1, streamId: 'task-S-1', revision: 0 };
    expect(auditWith((m) => m).findings).toEqual([]);
    expect(
      auditWith((m) => ({ ...m, signature: { ...(m.signature as object), value: 'a'.repeat(128) } }))
        .findings,
    ).toEqual([expect.objectContaining({ ...at, problem: 'bad-signature' })]);
    expect(
      auditWith((m) => ({
        ...m,
        signature: { publicKey: publicKeyHex(pair().publicKey), value: 'b'.repeat(128) },
      })).findings,
    ).toEqual([expect.objectContaining({ ...at, problem: 'key-not-in-force' })]);
    expect(auditWith(({ signature: _s, ...m }) => m).findings).toEqual([
      expect.objectContaining({ ...at, problem: 'unsigned' }),
    ]);
  });
});
