import { runBounded } from './run-bounded.js';

describe('runBounded', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('never has more than the limit in flight and starts items in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      started.push(item);
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      for (let i = 0; i < (item % 3) + 1; i++) await tick();
      inFlight -= 1;
    });
    expect(peak).toBe(3);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('with limit 1, runs strictly one after another', async () => {
    const log: string[] = [];
    await runBounded(['a', 'b'], 1, async (item) => {
      log.push(`start ${item}`);
      await tick();
      log.push(`end ${item}`);
    });
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('waits for every started item, then rethrows the first failure', async () => {
    const finished: number[] = [];
    await expect(
      runBounded([1, 2], 2, async (item) => {
        await tick();
        if (item === 1) throw new Error('one failed');
        await tick();
        finished.push(item);
      }),
    ).rejects.toThrow('one failed');
    expect(finished).toEqual([2]);
  });
});
