import { generateKeyPairSync } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import type { Command } from '@duban/domain';
import {
  DOMAIN_STREAM_PREFIXES,
  canonicalJson,
  createEngine,
  createInMemoryEventStore,
  rankingToPublish,
  rebuild,
  sealHistory,
  signSeal,
  supervisionProjection,
  type Engine,
  type EventStore,
  type Seal,
} from '@duban/engine';
import { defaultContext } from '@duban/domain';
import { officeFixture, runQuarterScenario, taskFixture } from '@duban/testing';

/** A 通报 names the seal it was computed from (docs/auditing.md, "A 通报 names its seal"). */
const o = officeFixture();
const { privateKey } = generateKeyPairSync('ed25519');
let n = 0;
const send = (engine: Engine, c: Command) =>
  engine.execute({ type: c.type, data: c.data }, { actor: c.actor, at: c.at, commandId: `p-${++n}` });
const ok = async (engine: Engine, c: Command) => {
  const r = await send(engine, c);
  if (isLeft(r)) throw new Error(`${c.type} was refused: ${r.left.message}`);
  return r.right;
};

const quarter = async () => {
  const store = createInMemoryEventStore();
  const engine = createEngine({ store });
  for (const c of o.setup()) await ok(engine, c);
  await runQuarterScenario(engine);
  return { store, engine };
};
const sealOf = async (store: EventStore, at: string): Promise<Seal> => {
  const r = await sealHistory(store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }), {
    office: 'changzhi',
    at,
    privateKey,
  });
  if (isLeft(r)) throw new Error(r.left.message);
  return r.right.seal;
};
const record = async (engine: Engine, seal: Seal, at: string) => {
  await ok(engine, o.command('RecordSeal', { seal }, o.inspectionOffice, at));
  const office = await engine.officeState();
  if (isLeft(office)) throw new Error(office.left.message);
  return office.right.seals.at(-1)!.revision;
};
const publish = (quarter: string, sealRevision: number | undefined, at = '2022-04-02T09:00:00.000+08:00') =>
  o.command(
    'PublishQuarterlyRanking',
    { quarter, approval: o.approval, ...(sealRevision === undefined ? {} : { sealRevision }) },
    o.inspectionOffice,
    at,
  );

describe('a 通报 names its seal', () => {
  it('computed from exactly the events the named seal covers, and naming its revision, size and root', async () => {
    const { store, engine } = await quarter();
    const seal = await sealOf(store, '2022-04-01T02:00:00.000Z');
    const revision = await record(engine, seal, '2022-04-01T18:00:00.000+08:00');
    // Events after the seal are not what the 通报 is computed from.
    const late = taskFixture({ taskId: 'After-1', assignedAt: '2022-04-01T19:00:00.000+08:00' });
    await ok(engine, late.assign({ coUnits: [] }));
    const done = await ok(engine, publish('2022Q1', revision));
    const data = done.events[0]!.data as Record<string, unknown>;
    expect(data.seal).toEqual({ revision, size: seal.size, root: seal.root });
    const sealed = (await (async () => {
      const out = [];
      let k = 0;
      for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
        if (k++ < seal.size) out.push(e);
      return out;
    })()) as never[];
    const expected = rankingToPublish(
      await rebuild(supervisionProjection, sealed),
      '2022Q1',
      defaultContext(),
    );
    const { officeId: _o, at: _a, approval: _p, seal: _s, ...ranking } = data;
    expect(canonicalJson(ranking)).toBe(canonicalJson(expected));
  });

  it('without a seal named, computed from the whole history and naming none', async () => {
    const { engine } = await quarter();
    const done = await ok(engine, publish('2022Q1', undefined));
    expect(done.events[0]!.data).not.toHaveProperty('seal');
  });

  it('refuses a revision that is no seal, a seal made before the quarter ended, and a seal of another history', async () => {
    const { store, engine } = await quarter();
    const early = await sealOf(store, '2022-03-31T08:00:00.000Z');
    const earlyRevision = await record(engine, early, '2022-04-01T09:00:00.000+08:00');
    const { signature: _sig, ...body } = { ...early, at: '2022-04-01T02:00:00.000Z', root: 'e'.repeat(64) };
    const forged = signSeal(body, privateKey);
    const forgedRevision = await record(engine, forged, '2022-04-01T18:00:00.000+08:00');
    const cases: Array<[number, string, string]> = [
      [earlyRevision - 1, 'NotOnRecord', 'no seal is recorded'],
      [earlyRevision, 'SealBeforePeriodEnd', 'before the period ended'],
      [forgedRevision, 'RankingNotComputed', 'are not those the seal'],
    ];
    for (const [revision, code, message] of cases) {
      const r = await send(engine, publish('2022Q1', revision));
      expect(isLeft(r) && r.left).toMatchObject({
        code,
        field: 'data.sealRevision',
        message: expect.stringContaining(message),
      });
    }
    const office = await engine.officeState();
    expect(isLeft(office) ? undefined : office.right.rankings['2022Q1']).toBeUndefined();
  });
});
