import type { Storage } from '../src/common/event-store/index.js';
import type { RawSqlite } from './raw-sqlite.js';
import { measure, type Measurement } from './timing.js';

const BLOCK = 100;

/**
 * One-event transactions are bound by fsync latency, which drifts on a shared disk. Alternating
 * blocks of 100 between the two sides gives both the same disk conditions, so the ratio holds.
 */
export async function pairedSingleAppends(
  raw: RawSqlite,
  store: Storage,
  total: number,
): Promise<{ ours: Measurement; raw: Measurement }> {
  const ours: Measurement = { operations: 0, seconds: 0 };
  const bare: Measurement = { operations: 0, seconds: 0 };
  const add = (sum: Measurement, m: Measurement) => {
    sum.operations += m.operations;
    sum.seconds += m.seconds;
  };
  for (let block = 0; block * BLOCK < total; block++) {
    const runOurs = async () =>
      add(
        ours,
        await measure(BLOCK, async () => {
          for (let i = 0; i < BLOCK; i++) {
            const n = block * BLOCK + i;
            await store.events.append(
              `s-${n % 50}`,
              [{ type: 'BenchEvent', data: { n, player: 'lebron-james' } }],
              { expectedVersion: 'any', idempotencyKey: `single-${n}` },
            );
          }
        }),
      );
    const runRaw = async () => add(bare, await raw.singleTransactions(BLOCK));
    if (block % 2 === 0) {
      await runOurs();
      await runRaw();
    } else {
      await runRaw();
      await runOurs();
    }
  }
  return { ours, raw: bare };
}
