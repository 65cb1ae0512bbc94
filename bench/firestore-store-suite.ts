import type { Firestore } from '@google-cloud/firestore';
import { FirestoreStorage } from '../src/common/event-store/firestore/firestore-storage.js';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../test/support/firestore/index.js';
import type { BenchOptions } from './bench-options.js';
import { printEmulatorQueryCost } from './firestore/emulator-query-cost.js';
import { RawFirestore, rawFirestoreSuite } from './firestore/raw-firestore.js';
import { pairedSingleAppends, portSingleAppends } from './paired-single-appends.js';
import {
  printStoreTable,
  type OurSuite,
  type Suite,
  type SuiteWithoutSingle,
} from './store-table.js';
import type { Measurement } from './timing.js';
import { benchClock, shotclockSuite, type BenchSizes } from './workloads.js';

/** Appends before round 1 on a throwaway database: the emulator (a JVM) is slow at first. */
const WARM_UP_APPENDS = 200;

/**
 * `FirestoreStorage` beside a bare `@google-cloud/firestore` client (RawFirestore) on Google's
 * Firestore emulator: one started for the run, or the one SHOTCLOCK_FIRESTORE_EMULATOR_HOST names.
 * Every store and every raw side gets its own project id (an isolated database), emptied after
 * its round. Single appends alternate in blocks of 100; the other workloads alternate which side
 * goes first from round to round.
 */
export async function firestoreStoreSuite(
  _options: BenchOptions,
  rounds: number,
  sizes: BenchSizes,
): Promise<void> {
  const target = await startFirestoreTarget('emulator');
  const used: string[] = [];
  const database = (label: string): Firestore => {
    const projectId = uniqueFirestoreProjectId(`bench-${label}`);
    used.push(projectId);
    return target.client(projectId);
  };
  const openShotclock = (label: string) =>
    FirestoreStorage.open(
      database(label),
      { collectionPrefix: 'shotclock_', idempotencyTtlDays: () => 7 },
      benchClock,
    );
  try {
    console.error(
      `store firestore (emulator ${target.host}), ${rounds} round(s), sizes ${JSON.stringify(sizes)}`,
    );
    await warmUp(openShotclock, target, used);

    const ours: OurSuite[] = [];
    const raw: Suite[] = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(`round ${round}/${rounds}: single appends (Shotclock, raw in turn) ...`);
      const ourSingle = await openShotclock(`single-${round}`);
      const rawSingle = new RawFirestore(database(`raw-single-${round}`));
      const [ourSingles, rawSingles] = await pairedSingleAppends(
        [
          portSingleAppends(ourSingle),
          (first, count) => rawSingle.singleTransactions(first, count),
        ],
        sizes.singleAppends,
      );
      await ourSingle.close();

      let rawRest: SuiteWithoutSingle;
      let ourRest: SuiteWithoutSingle & { concurrent: Measurement };
      // Alternate which side goes first, so warm-up and the emulator's heap favour neither.
      if (round % 2 === 1) {
        console.error(`round ${round}: raw ...`);
        rawRest = await rawFirestoreSuite(database, round, sizes);
        console.error(`round ${round}: Shotclock ...`);
        ourRest = await shotclockSuite(openShotclock, round, sizes);
      } else {
        console.error(`round ${round}: Shotclock ...`);
        ourRest = await shotclockSuite(openShotclock, round, sizes);
        console.error(`round ${round}: raw ...`);
        rawRest = await rawFirestoreSuite(database, round, sizes);
      }
      raw.push({ ...rawRest, single: rawSingles! });
      ours.push({ ...ourRest, single: ourSingles! });
      await resetAll(target, used);
    }
    printStoreTable(
      `workload (store: firestore, emulator, median of ${rounds})`,
      'raw @google-cloud/firestore',
      sizes.batchSize,
      ours,
      raw,
      ' (group commit)',
    );
    console.log('');
    await printEmulatorQueryCost(database('query-cost'));
  } finally {
    await resetAll(target, used).catch((error: unknown) =>
      console.error(`emptying the bench databases failed: ${String(error)}`),
    );
    await target.stop();
  }
}

async function warmUp(
  open: (label: string) => Promise<FirestoreStorage>,
  target: FirestoreTarget,
  used: string[],
): Promise<void> {
  const store = await open('warm-up');
  await portSingleAppends(store)(0, WARM_UP_APPENDS);
  await store.close();
  await resetAll(target, used);
}

/** Empties the databases used so far (the emulator keeps every document in its heap). */
async function resetAll(target: FirestoreTarget, used: string[]): Promise<void> {
  for (const projectId of used.splice(0)) await target.reset(projectId);
}
