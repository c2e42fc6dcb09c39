import fc from 'fast-check';
import { isRight } from 'fp-ts/Either';
import { taskFixture } from '@duban/testing';
import type { CommandMeta } from '@duban/engine';
import { receive, receiveChecked, receiveFast, type CommandInput } from '../src/receive';

/**
 * `receive` copies only the command when the meta's keys are strings, and skips building objects when
 * the decoder returns its copy unchanged. It must answer exactly what the general path answers on one
 * JSON copy of all eight values (the definition): the same command, meta and digest, the same problems.
 */
const f = taskFixture();
const commands = [
  f.assign(),
  f.assign({ key: true, complexity: 'major' }),
  f.accept(),
  f.submitPlan(),
  f.report(),
  f.reportDifficulty(),
  f.urge(),
  f.warn('red'),
  f.notice(),
  f.requestExtension(),
  f.approveExtension(),
  f.requestClosure(),
  f.checkDeadlines(f.day(3)),
  f.openRectification(),
];

const definition = (input: CommandInput, meta: CommandMeta) =>
  receiveChecked(
    JSON.parse(
      JSON.stringify({
        type: input.type,
        data: input.data,
        actor: meta.actor,
        at: meta.at,
        commandId: meta.commandId,
        correlationId: meta.correlationId,
        causationId: meta.causationId,
        signature: meta.signature,
      }),
    ) as Record<string, unknown>,
  );

const key = fc.oneof(
  fc.constant(undefined),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('', ' ', 'a\u0007b', '\ud800', 'x'.repeat(257), 'c-1'),
  fc.constantFrom(null, 7, { id: 'c-1' }, ['c-1'], { toJSON: () => 'c-1' }),
);
const signature = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('ab'.repeat(64), 'AB'.repeat(64), 'ab'.repeat(63), 42, { toJSON: () => 'ab'.repeat(64) }),
);
/** A change to one spot of the command: a value of another kind, an extra key, one taken away. */
const change = fc.record({
  where: fc.constantFrom('data', 'actor', 'type', 'at', 'none'),
  what: fc.oneof(
    fc.constant<'drop'>('drop'),
    fc.record({ extra: fc.string({ maxLength: 6 }), value: fc.jsonValue({ maxDepth: 2 }) }),
    fc.record({
      set: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom(
          undefined,
          new Date(0),
          { toJSON: () => 'T-1' },
          'AcceptTask',
          '2022-03-01T09:00:00Z',
        ),
      ),
    }),
  ),
  field: fc.nat(),
});

type Change = typeof change extends fc.Arbitrary<infer C> ? C : never;

const apply = (value: unknown, c: Change): unknown => {
  if (typeof value !== 'object' || value === null)
    return typeof c.what === 'object' && 'set' in c.what ? c.what.set : value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const k = keys[c.field % Math.max(1, keys.length)];
  if (c.what === 'drop') {
    if (k !== undefined) delete copy[k];
  } else if ('extra' in c.what) copy[`x-${c.what.extra}`] = c.what.value;
  else if (k !== undefined) copy[k] = c.what.set;
  return copy;
};

describe('receiving a command', () => {
  it('answers what the general path answers on a copy of all eight values (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        change,
        fc.record({ commandId: key, correlationId: key, causationId: key, signature }),
        (c, ch, keys) => {
          let input: { type: unknown; data: unknown } = { type: c.type, data: c.data };
          let actor: unknown = c.actor;
          let at: unknown = c.at;
          if (ch.where === 'data') input = { ...input, data: apply(c.data, ch) };
          if (ch.where === 'actor') actor = apply(c.actor, ch);
          if (ch.where === 'type') input = { ...input, type: apply(c.type, ch) };
          if (ch.where === 'at') at = apply(c.at, ch);
          const meta = { actor, at, ...keys } as unknown as CommandMeta;
          expect(receive(input as CommandInput, meta)).toStrictEqual(definition(input as CommandInput, meta));
        },
      ),
      { numRuns: 4000 },
    );
  });

  it('takes the fast path for valid commands, with the digest the general path gives', () => {
    for (const c of commands) {
      const meta = { actor: c.actor, at: c.at, commandId: 'c-1', correlationId: 'corr' };
      const expected = definition(c, meta);
      expect(isRight(expected)).toBe(true);
      const copy = JSON.parse(
        JSON.stringify({ type: c.type, data: c.data, actor: c.actor, at: c.at }),
      ) as unknown;
      const fast = receiveFast(copy, { commandId: 'c-1', correlationId: 'corr' });
      expect(fast).toBeDefined();
      expect(isRight(expected) && fast).toStrictEqual(isRight(expected) && expected.right);
    }
  });
});
