import fc from 'fast-check';
import { isLeft } from 'fp-ts/Either';
import { decodeCommand, decodeEvent, type Command } from '@duban/domain';
import {
  CommandMeta,
  createEngine,
  createInMemoryEventStore,
  decodeSeal,
  decodeSealIndex,
  verifyInclusionProof,
  type EventStore,
  type Seal,
} from '@duban/engine';
import { officeFixture, taskFixture } from '@duban/testing';
import { createHistoryChecker } from '../src/checked';
import { recordFigures } from '../../engine/test/support/figures';

/**
 * Hostile input, generated: through `engine.execute`, through import's reading of a history line, and
 * through every decoder at the boundary. Nothing throws; every refusal is a typed value; a refused
 * command appends nothing. The runs actually made are counted for docs/reliability.md.
 */
const o = officeFixture();
const t = taskFixture({ taskId: 'F-1' });
const ERROR_KINDS = new Set([
  'ValidationError',
  'AuthenticationError',
  'SignatureError',
  'DomainError',
  'ConcurrencyError',
  'IdempotencyError',
  'StoreError',
  'IntegrityError',
  'InternalError',
]);
const runs: Record<string, number> = {};

/** A value with one field, at any depth, replaced by anything: hostile, but shaped like the real thing. */
const mutated = (
  value: unknown,
  hostile: fc.Arbitrary<unknown> = fc.anything({ withNullPrototype: true, withBigInt: true }),
) =>
  fc.tuple(fc.nat(), hostile).map(([pick, hostile]) => {
    const copy = structuredClone(value) as Record<string, unknown>;
    const paths: Array<[Record<string, unknown>, string]> = [];
    const walk = (v: unknown) => {
      if (typeof v !== 'object' || v === null) return;
      for (const k of Object.keys(v)) {
        paths.push([v as Record<string, unknown>, k]);
        walk((v as Record<string, unknown>)[k]);
      }
    };
    walk(copy);
    const [parent, key] = paths[pick % paths.length]!;
    parent[key] = hostile;
    return copy;
  });

const check = async <Ts>(name: string, property: fc.IRawProperty<Ts, boolean>, numRuns: number) => {
  const details = await fc.check(property, { numRuns });
  if (details.failed)
    throw new Error(`${name}: ${String(details.errorInstance)} on ${fc.stringify(details.counterexample)}`);
  runs[name] = (runs[name] ?? 0) + details.numRuns;
};

const countAll = async (store: EventStore) => {
  let n = 0;
  for await (const _ of store.readAll()) n++;
  return n;
};

describe('hostile input, generated', () => {
  afterAll(() => recordFigures('fuzz', runs));

  it('engine.execute: nothing throws, every refusal is typed, and a refusal appends nothing', async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    let k = 0;
    for (const c of [...o.setup(), t.assign()])
      await engine.execute(
        { type: c.type, data: c.data },
        { actor: c.actor, at: c.at, commandId: `s-${++k}` },
      );
    const valid: Command = t.accept();
    const attempt = async (input: unknown, meta: unknown) => {
      const before = await countAll(store);
      const r = await engine.execute(input as never, meta as never);
      if (isLeft(r)) {
        expect(ERROR_KINDS.has(r.left.kind)).toBe(true);
        expect(await countAll(store)).toBe(before);
      }
    };
    await check('execute: anything', fc.asyncProperty(fc.anything(), fc.anything(), attempt), 300);
    await check(
      'execute: a valid command with one field hostile',
      fc.asyncProperty(
        mutated({ type: valid.type, data: valid.data, meta: { actor: valid.actor, at: valid.at } }),
        fc.nat(),
        async (c, n) => {
          const { type, data, meta } = c as { type: unknown; data: unknown; meta: Record<string, unknown> };
          await attempt(
            { type, data },
            { ...(typeof meta === 'object' && meta !== null ? meta : {}), commandId: `h-${n}` },
          );
        },
      ),
      500,
    );
  }, 120_000);

  it('every decoder at the boundary: nothing throws, and each answers with a value', async () => {
    const valid = t.assign();
    const seal: Seal = {
      format: 'duban-seal/1',
      office: 'changzhi',
      at: '2022-04-01T10:00:00.000Z',
      size: 3,
      root: 'a'.repeat(64),
      heads: { streams: 1, root: 'b'.repeat(64) },
      key: 'c'.repeat(64),
      signature: 'd'.repeat(128),
    };
    const decoders: Array<[string, unknown, (v: unknown) => unknown, boolean?]> = [
      ['decodeCommand', valid, decodeCommand],
      ['decodeEvent', { type: 'TaskAccepted', data: { taskId: 'F-1', at: valid.at } }, decodeEvent],
      ['CommandMeta', { actor: valid.actor, at: valid.at, commandId: 'x' }, (v) => CommandMeta.decode(v)],
      ['decodeSeal', seal, (v) => decodeSeal(v, 'seal'), true],
      [
        'decodeSealIndex',
        { format: 'duban-seal-index/1', size: 3, root: seal.root, blockSize: 1, blocks: [], heads: [] },
        (v) => decodeSealIndex(v, seal, 'index'),
        true,
      ],
      ['verifyInclusionProof', { format: 'duban-proof/1', seal }, (v) => verifyInclusionProof(v, []), true],
    ];
    // Seals, indexes and proofs are read from JSON files: their input is a parsed JSON value.
    for (const [name, sample, decode, fromFile] of decoders) {
      const answers = (v: unknown) => {
        expect(decode(v)).toBeDefined();
      };
      const hostile = fromFile ? fc.jsonValue() : fc.anything({ withBigInt: true });
      await check(`decoder ${name}: anything`, fc.property(hostile, answers), 500);
      await check(`decoder ${name}: one field hostile`, fc.property(mutated(sample, hostile), answers), 500);
    }
  }, 120_000);

  it("import's reading of a history line: nothing throws, and a changed line never reads as intact", async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    await engine.execute(
      { type: t.assign().type, data: t.assign().data },
      { actor: t.assign().actor, at: t.assign().at, commandId: 'a' },
    );
    const [recorded] = await (async () => {
      const out = [];
      for await (const e of store.readAll()) out.push({ type: e.type, data: e.data, metadata: e.metadata });
      return out;
    })();
    const original = JSON.stringify(recorded);
    await check(
      'import: a history line with one field hostile',
      // A line is JSON: what import reads is a parsed JSON value.
      fc.property(mutated(recorded, fc.jsonValue()), (value) => {
        const json = JSON.stringify(value);
        const checker = createHistoryChecker();
        const result = checker.check({ line: 1, value: JSON.parse(json) });
        const { breaks } = checker.finish();
        if (json !== original) expect(result.problems.length + breaks.length).toBeGreaterThan(0);
      }),
      1000,
    );
  }, 120_000);
});
