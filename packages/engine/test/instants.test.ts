import { isLeft, isRight } from 'fp-ts/Either';
import { canonicalInstant, compareInstants, sameInstant } from '@duban/domain';
import { createChainVerifier, createEngine, createInMemoryEventStore, type Envelope } from '@duban/engine';
import { taskFixture } from '@duban/testing';

/** One canonical form for instants: kept as written (under the hash), compared as instants. */
describe('instants in events and read models', () => {
  const f = taskFixture({ taskId: 'T-INST' });
  const assign = f.assign({ deadline: '2022-03-29T09:00:00Z' }); // UTC, no milliseconds
  const at = '2022-03-01T09:00:00+08:00'; // the office's local time, no milliseconds

  const assigned = async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    const r = await engine.execute(
      { type: assign.type, data: assign.data },
      { actor: assign.actor, at, commandId: 'assign-1' },
    );
    if (isLeft(r)) throw new Error(r.left.message);
    return { engine, event: r.right.events[0]! };
  };

  it('keeps every instant exactly as the caller wrote it, in the event and in the state', async () => {
    const { engine, event } = await assigned();
    expect(event.metadata.at).toBe(at);
    expect((event.data as { deadline: string }).deadline).toBe('2022-03-29T09:00:00Z');
    const state = await engine.taskState('T-INST');
    expect(isRight(state) && state.right.deadline).toBe('2022-03-29T09:00:00Z');
  });

  it('hashes the notation: the same instant rewritten in UTC no longer verifies', async () => {
    const { event } = await assigned();
    const rewritten: Envelope = { ...event, metadata: { ...event.metadata, at: canonicalInstant(at) } };
    expect(sameInstant(rewritten.metadata.at, at)).toBe(true);
    const verifier = createChainVerifier();
    expect(verifier.push(rewritten)).toMatchObject({ problem: 'changed', revision: 0 });
  });

  it('refuses a retry that writes the same instant another way: keep the string taken when it happened', async () => {
    const { engine } = await assigned();
    const retry = await engine.execute(
      { type: assign.type, data: assign.data },
      { actor: assign.actor, at: '2022-03-01T01:00:00.000Z', commandId: 'assign-1' },
    );
    expect(isLeft(retry) && retry.left).toMatchObject({ code: 'IdempotencyKeyReused', differs: ['at'] });
  });

  it('compares instants by when they are, not as strings', () => {
    const local = '2022-03-01T09:00:00+08:00'; // 01:00 UTC
    const utc = '2022-03-01T02:00:00Z';
    expect(local > utc).toBe(true); // as strings: wrong
    expect(compareInstants(local, utc)).toBe(-1);
    expect([utc, local].sort(compareInstants)).toEqual([local, utc]);
    expect(sameInstant(local, '2022-03-01T01:00:00.000Z')).toBe(true);
    expect(sameInstant(local, utc)).toBe(false);
    expect(canonicalInstant(local)).toBe('2022-03-01T01:00:00.000Z');
    expect(canonicalInstant('2022-03-01T01:00:00.000Z')).toBe('2022-03-01T01:00:00.000Z');
  });
});
