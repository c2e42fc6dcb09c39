import { createGate, type Gate } from '../src/gate';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `work` in its turn, as the store does. */
const run = async <T>(gate: Gate, work: () => Promise<T>): Promise<T> => {
  const turn = await gate.enter();
  if (turn.refused !== undefined) throw new Error(turn.refused);
  try {
    return await work();
  } finally {
    turn.leave();
  }
};

describe('the gate that bounds calls in flight', () => {
  it('lets at most `limit` calls run at once, the others wait, in arrival order', async () => {
    const gate = createGate(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        run(gate, async () => {
          started.push(i);
          most = Math.max(most, ++running);
          for (let k = 0; k < 1 + (i % 4); k++) await later(); // calls settle out of order
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(gate.inFlight()).toBe(0);
    expect(gate.waiting()).toBe(0);
  });

  it('refuses the calls waiting when closed, and every later one, without running them', async () => {
    const gate = createGate(1);
    const first = await gate.enter();
    const waiting = [gate.enter(), gate.enter()];
    expect(gate.waiting()).toBe(2);
    gate.close('the event store is closed');
    expect(await Promise.all(waiting)).toEqual([
      { refused: 'the event store is closed' },
      { refused: 'the event store is closed' },
    ]);
    expect(await gate.enter()).toEqual({ refused: 'the event store is closed' });
    await expect(run(gate, async () => 'ran')).rejects.toThrow('the event store is closed');
    if (first.refused !== undefined) throw new Error('the first call was refused');
    first.leave();
    first.leave(); // a second leave frees nothing more
    expect(gate.inFlight()).toBe(0);
  });

  it('takes Infinity as no bound', async () => {
    const gate = createGate(Infinity);
    const turns = await Promise.all(Array.from({ length: 1000 }, () => gate.enter()));
    expect(gate.inFlight()).toBe(1000);
    for (const t of turns) if (t.refused === undefined) t.leave();
    expect(gate.inFlight()).toBe(0);
  });
});
