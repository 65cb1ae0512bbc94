import type { Firestore } from '@google-cloud/firestore';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../../../../test/support/firestore/index.js';
import type { AlertPort, AlertRequest } from '../../../common/alerts/alert.port.js';
import {
  CheckpointConflictError,
  type EventLog,
  type ReadModelTransaction,
  type RecordedEvent,
} from '../../../common/event-store/index.js';
import { asMirrorTransaction } from '../mirror-transaction.js';
import { FirestoreProjectionStore } from './firestore-projection-store.js';

const NAME = 'mirror-under-test';
const CHECKPOINTS = 'checkpoints';
const INDEX = 'index';
const FIRST_EVENT = {
  position: '0000000000000001',
  eventId: 'first-event',
  recordedAt: '2026-01-22T15:00:00.000Z',
} as RecordedEvent; // only what LogIdentity reads of it

/** An event log whose first event is FIRST_EVENT: all the store asks of it. */
const log = {
  async *readAll() {
    yield FIRST_EVENT;
  },
} as unknown as EventLog; // a stub: the store reads nothing else of the log

class CollectedAlerts implements AlertPort {
  readonly raised: AlertRequest[] = [];
  async raise(request: AlertRequest): Promise<boolean> {
    this.raised.push(request);
    return true;
  }
}

/** One step of a counter projection: reads its document, writes it one higher, indexes it. */
async function increment(tx: ReadModelTransaction) {
  const counter = await tx.get<{ n: number }>('counters', 'c');
  await tx.put('counters', 'c', { n: (counter?.n ?? 0) + 1 });
  await tx.put(INDEX, 'c', { document_path: 'counters/c' });
}

describe('FirestoreProjectionStore (real client, Firestore target)', () => {
  let target: FirestoreTarget;
  let db: Firestore;
  let alerts: CollectedAlerts;
  let store: FirestoreProjectionStore;

  beforeAll(async () => {
    target = await startFirestoreTarget();
  });
  beforeEach(async () => {
    // The emulator outlives test runs: a project named after a reused process id starts emptied.
    const projectId = uniqueFirestoreProjectId('mirror-store');
    await target.reset(projectId);
    db = target.client(projectId);
    alerts = new CollectedAlerts();
    store = new FirestoreProjectionStore(db, log, alerts, {
      checkpoints: CHECKPOINTS,
      readWriteMs: 10_000,
      transactionMs: 30_000,
    });
  });
  afterAll(() => target.stop());

  const counter = async () => (await db.doc('counters/c').get()).get('n') as number | undefined;

  it('applies a step once when it is committed twice from the same checkpoint (retry, second runner)', async () => {
    await store.commit(NAME, null, '0000000000000001', increment);
    const results = await Promise.allSettled([
      store.commit(NAME, '0000000000000001', '0000000000000002', increment),
      store.commit(NAME, '0000000000000001', '0000000000000002', increment),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(CheckpointConflictError);
    expect(await counter()).toBe(2);
    expect(await store.checkpoint(NAME)).toBe('0000000000000002');
  });

  it('writes nothing of a step whose apply fails, and keeps the checkpoint', async () => {
    await store.commit(NAME, null, '0000000000000001', increment);
    await expect(
      store.commit(NAME, '0000000000000001', '0000000000000002', async (tx) => {
        await increment(tx);
        throw new Error('apply failed half way');
      }),
    ).rejects.toThrow('apply failed half way');
    expect(await counter()).toBe(1);
    expect(await store.checkpoint(NAME)).toBe('0000000000000001');
  });

  it('raises the alerts a step deferred before it commits', async () => {
    await store.commit(NAME, null, '0000000000000001', async (tx) => {
      await increment(tx);
      asMirrorTransaction(tx).deferAlert({
        key: 'k',
        kind: 'test',
        severity: 'info',
        summary: 'deferred',
        details: {},
      });
    });
    expect(alerts.raised.map((alert) => alert.key)).toEqual(['k']);
  });

  it('refuses a checkpoint written from another event log', async () => {
    await db.doc(`${CHECKPOINTS}/${NAME}`).set({
      position: '0000000000000001',
      resetting: false,
      log_id: '0000000000000001:another-log:2025-01-01T00:00:00.000Z',
    });
    await expect(
      store.commit(NAME, '0000000000000001', '0000000000000002', increment),
    ).rejects.toThrow(/written from another event log .* rebuild \(POST \/v1\/projections/);
    expect(await counter()).toBeUndefined();
  });

  it('resets only what its index names, subcollections past one commit of deletes included', async () => {
    const completions = 1_203;
    await db.doc('batches/mirrored').set({ mirrored: true });
    for (let first = 0; first < completions; first += 500) {
      const batch = db.batch();
      for (let n = first; n < Math.min(completions, first + 500); n++) {
        batch.set(db.doc(`batches/mirrored/completions/player-${n}`), { n });
      }
      await batch.commit();
    }
    await db.doc(`${INDEX}/mirrored`).set({ document_path: 'batches/mirrored' });
    await db.doc('batches/the-platforms-own').set({ mirrored: false });
    await db.doc('batches/the-platforms-own/completions/p').set({ n: 1 });
    await store.commit(NAME, null, '0000000000000001', increment);

    await store.reset(NAME, [INDEX]);

    expect((await db.doc('batches/mirrored').get()).exists).toBe(false);
    expect((await db.collection('batches/mirrored/completions').count().get()).data().count).toBe(
      0,
    );
    expect((await db.collection(INDEX).get()).size).toBe(0);
    expect(await counter()).toBeUndefined();
    expect((await db.doc('batches/the-platforms-own').get()).exists).toBe(true);
    expect((await db.doc('batches/the-platforms-own/completions/p').get()).exists).toBe(true);
    expect(await store.checkpoint(NAME)).toBeNull();
    // The next step builds from nothing.
    await store.commit(NAME, null, '0000000000000001', increment);
    expect(await counter()).toBe(1);
  });

  it('refuses a commit after a reset that did not finish, with what to do', async () => {
    await db.doc(`${CHECKPOINTS}/${NAME}`).set({ position: null, resetting: true, log_id: null });
    await expect(store.commit(NAME, null, '0000000000000001', increment)).rejects.toThrow(
      `projection ${NAME}: a reset of its Firestore documents did not finish; rebuild it (POST /v1/projections/${NAME}/rebuild)`,
    );
  });

  it('refuses commits and resets once closed (shutdown)', async () => {
    await store.close(1_000);
    await expect(store.commit(NAME, null, '0000000000000001', increment)).rejects.toThrow(
      /cannot commit projection mirror-under-test .*: the service is shutting down/,
    );
    await expect(store.reset(NAME, [INDEX])).rejects.toThrow(/the service is shutting down/);
  });
});
