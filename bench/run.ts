// `npm run bench [-- --suite store|batches|ingestion|pubsub|firestore-billing|wakeup|all] [-- --synchronous FULL|NORMAL] [-- --quick]`
//   store (default): the event store beside the bare driver: `--store sqlite` (default) beside
//     node:sqlite; `--store postgres [--database-url URL]` beside bare `pg` and Emmett's store;
//     `--store firestore` on the Firestore emulator beside a bare @google-cloud/firestore client.
//   ingestion: Pub/Sub push throughput over real HTTP beside a bare node:http server.
//   batches: a 1,000,000-player batch created, completed and read, beside a 1,000-player one.
//   pubsub: the same completions through Pub/Sub pull (a worker) and through push (HTTP), on the
//     Pub/Sub test target (the emulator when installed); `--messages N`, `--connections C`,
//     `--streams S`, `--max-messages M` (the worker's PUBSUB_PULL_STREAMS, PUBSUB_PULL_MAX_MESSAGES).
//   wakeup: on PostgreSQL, an append on one instance until a projection applied it on another,
//     with LISTEN/NOTIFY and with the idle poll alone (also at the end of `--store postgres`).
//   firestore-billing: Firestore reads, writes and deletes per kind of message and idle, counted
//     by a proxy in front of the emulator, and the monthly bill at the platform's volume;
//     `--idle-minutes M`, `--players N` (the batch completed at the peak pace).
// The Firestore suites start an emulator, or attach to SHOTCLOCK_FIRESTORE_EMULATOR_HOST.
// Every figure stands beside a baseline measured in the same run; nothing here is asserted.
import { BenchOptions } from './bench-options.js';
import { batchesSuite } from './batches-suite.js';
import { firestoreBillingSuite } from './firestore/billing-suite.js';
import { ingestionSuite } from './ingestion-suite.js';
import { pubsubSuite } from './pubsub-suite.js';
import { postgresWakeUpSuite } from './postgres-wakeup-suite.js';
import { describeMachine } from './machine.js';
import { storeSuite } from './store-suite.js';

const SUITES = {
  store: storeSuite,
  ingestion: ingestionSuite,
  batches: batchesSuite,
  pubsub: pubsubSuite,
  'firestore-billing': firestoreBillingSuite,
  wakeup: postgresWakeUpSuite,
} as const;
type SuiteName = keyof typeof SUITES;

const options = new BenchOptions(process.argv.slice(2));
const suite = options.value('suite', 'store');
const chosen: SuiteName[] =
  suite === 'all'
    ? (Object.keys(SUITES) as SuiteName[])
    : suite in SUITES
      ? [suite as SuiteName]
      : [];
if (chosen.length === 0) {
  console.error(`unknown --suite ${suite}: expected ${Object.keys(SUITES).join(', ')} or all`);
  process.exit(2);
}

console.error(`machine: ${JSON.stringify(describeMachine())}`);
for (const name of chosen) {
  console.error(`--- suite ${name}`);
  await SUITES[name](options);
}
