import { join } from 'node:path';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../support/firestore/index.js';
import { FirestoreInspector } from '../support/multi-instance-firestore.js';
import { startInstance, stopInstance, type Instance } from '../support/multi-instance-process.js';
import { proveThreeInstances } from '../support/multi-instance-proof.js';
import { collectionSizes } from '../support/multi-instance-read-models.js';
import { buildWorkload } from '../support/multi-instance-workload.js';
import { makeTempDir } from '../support/temp-dir.js';

/**
 * The phase-2 deadline: 2 minutes after a date's first report (PostgreSQL's proof uses 15 s). A
 * complete date's reports span 200 pushes, which on the emulator can take longer than 15 s; and
 * after the kill, a lease whose document the dead instance's transaction locked moves only when
 * Firestore expires that transaction (about a minute): until then the reaction that cancels a
 * triggered date's timer may not run, and a shorter deadline would fire (harmlessly: the date is
 * triggered already) where the proof expects it cancelled.
 */
const DEADLINE_MINUTES = 2;
/**
 * 500 players in each of 4 batches: 2,000 prediction completions (the PostgreSQL proof pushes
 * 10,000), as each Firestore append costs a few round trips to a single-threaded emulator.
 */
const PLAYERS_PER_BATCH = 500;
const SETTLE_TIMEOUT_MS = 120_000;
/** Rebuilding batch-progress reads every player's document in its commits: slow on the emulator. */
const REBUILD_TIMEOUT_MS = 300_000;

/**
 * Issue #15: the three-instance SIGKILL proof of issue #6 on one Firestore database (Google's
 * emulator, or the in-process fake where it is missing): the same workload shape, the same checks
 * (multi-instance-proof.ts), read straight from the store's documents.
 */
describe('three instances on one Firestore database, one SIGKILLed halfway', () => {
  const workload = buildWorkload(PLAYERS_PER_BATCH);
  const projectId = uniqueFirestoreProjectId('multi-instance');
  const dir = makeTempDir('shotclock-multi-instance-firestore-');
  const started: Instance[] = [];
  let target: FirestoreTarget | null = null;
  let inspector: FirestoreInspector | null = null;
  const summary: string[] = [];

  beforeAll(async () => {
    target = await startFirestoreTarget();
  }, 90_000);
  afterAll(async () => {
    try {
      await Promise.all(started.map((instance) => stopInstance(instance, 'SIGKILL')));
      await inspector?.close();
      // The killed instance's open transactions keep their locks for about a minute, which can
      // make the reset time out; an emulator this spec started goes with its documents anyway.
      await target?.reset(projectId).catch((error: unknown) => {
        console.warn(`left the documents of ${projectId} on the emulator: ${String(error)}`);
      });
      await target?.stop();
    } finally {
      dir.cleanup();
      if (summary.length > 0) console.log(`multi-instance proof: ${summary.join('; ')}`);
    }
  }, 60_000);

  it('loses no effect, doubles none, triggers each phase once and fires each timer once', async () => {
    const firestore = target!;
    const env = {
      ...firestore.env(projectId),
      EVENT_STORE: 'firestore',
      FIRESTORE_COLLECTION_PREFIX: 'shotclock_',
      // Short leases so the survivors take over within seconds of the kill.
      TIMEOUT_LEASE_TTL_MS: '3000',
      TIMEOUT_LEASE_RENEW_MS: '500',
      PHASE2_COMPLETION_TIMEOUT_MINUTES: String(DEADLINE_MINUTES),
    };
    inspector = new FirestoreInspector(firestore, projectId, 'shotclock_');
    const { live, summary: lines } = await proveThreeInstances({
      name: 'firestore',
      workload,
      start: async (id) => {
        // SQLITE_PATH holds only the embedded analytics sink, one per instance.
        const instance = await startInstance(id, {
          ...env,
          SQLITE_PATH: join(dir.path, `${id}-analytics.sqlite`),
        });
        started.push(instance);
        return instance;
      },
      db: inspector,
      deadlineMinutes: DEADLINE_MINUTES,
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
      rebuildTimeoutMs: REBUILD_TIMEOUT_MS,
    });
    expect(collectionSizes(live)).toMatchObject({ batch_players: 4 * PLAYERS_PER_BATCH });
    summary.push(...lines);
  }, 900_000);
});
