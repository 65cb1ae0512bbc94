import type { Storage } from '../src/common/event-store/index.js';
import { measure, type Measurement } from './timing.js';

const BLOCK = 100;

/** One side of a paired run: appends `count` single events (`first`, `first + 1`, ...) and times them. */
export type SingleAppendBlock = (first: number, count: number) => Promise<Measurement>;

/** Keyed single appends through the port: one event, one transaction, one idempotency key each. */
export function portSingleAppends(store: Storage): SingleAppendBlock {
  return (first, count) =>
    measure(count, async () => {
      for (let n = first; n < first + count; n++) {
        await store.events.append(
          `s-${n % 50}`,
          [{ type: 'BenchEvent', data: { n, player: 'lebron-james' } }],
          { expectedVersion: 'any', idempotencyKey: `single-${n}` },
        );
      }
    });
}

/**
 * One-event transactions are bound by fsync latency, which drifts on a shared disk. Running the
 * sides in blocks of 100, each block starting with the next side in turn (A B, B A for two sides;
 * A B C, B C A, C A B for three), gives every side the same disk conditions, so the ratios hold.
 * Returns one summed measurement per side, in the order given.
 */
export async function pairedSingleAppends(
  sides: readonly SingleAppendBlock[],
  total: number,
): Promise<Measurement[]> {
  const sums: Measurement[] = sides.map(() => ({ operations: 0, seconds: 0 }));
  for (let block = 0; block * BLOCK < total; block++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const side = (block + turn) % sides.length;
      const m = await sides[side]!(block * BLOCK, BLOCK);
      sums[side]!.operations += m.operations;
      sums[side]!.seconds += m.seconds;
    }
  }
  return sums;
}
