import { createWriter } from '../src/writer';

/** Keeps this process busy, as a loaded machine would, for at least `ms`. */
const busy = (ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end;);
};
const nextTimers = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the test server's single writer", () => {
  it('writes in arrival order, one after another', async () => {
    const writer = createWriter(1);
    const written: number[] = [];
    const answered = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => new Promise<number>((resolve) => writer.submit(() => written.push(i), resolve)),
      ),
    );
    expect(written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(answered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    writer.stop();
  });

  it('keeps its pace on the clock: when this process was busy, every append already due is written', async () => {
    const writer = createWriter(5);
    let answered = 0;
    for (let i = 0; i < 20; i++)
      writer.submit(
        () => i,
        () => answered++,
      );
    busy(200); // all twenty were due by 100 ms; a timer per append would write one per turn of the loop
    await nextTimers();
    expect(answered).toBe(20);
    writer.stop();
  });

  it('without a delay, writes and answers at once, in the same turn', () => {
    const writer = createWriter(0);
    let answer: string | undefined;
    writer.submit(
      () => 'written',
      (result) => (answer = result),
    );
    expect(answer).toBe('written');
  });

  it('counts appends in flight and the most at once; an append ends once, whatever the path', () => {
    const writer = createWriter(0);
    const ends = [writer.begin(), writer.begin(), writer.begin()];
    expect(writer.inFlight()).toBe(3);
    ends[0]!();
    ends[0]!();
    expect(writer.inFlight()).toBe(2);
    ends[1]!();
    ends[2]!();
    expect(writer.inFlight()).toBe(0);
    expect(writer.maxInFlight()).toBe(3);
  });

  it('drops what is still waiting when stopped', async () => {
    const writer = createWriter(5);
    let written = 0;
    for (let i = 0; i < 5; i++)
      writer.submit(
        () => written++,
        () => undefined,
      );
    writer.stop();
    busy(50);
    await nextTimers();
    expect(written).toBe(0);
  });
});
