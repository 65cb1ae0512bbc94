import { Firestore } from '@google-cloud/firestore';
import { difference } from '../../bench/firestore/billed-operations.js';
import { CountingFirestoreProxy } from '../../bench/firestore/counting-proxy.js';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../support/firestore/index.js';

const EMULATOR_START_MS = 90_000;

describe('the benchmark counts Firestore billed operations through a pass-through proxy', () => {
  let target: FirestoreTarget;
  let proxy: CountingFirestoreProxy;
  let db: Firestore;
  beforeAll(async () => {
    target = await startFirestoreTarget();
    proxy = await CountingFirestoreProxy.start(target.host);
    db = new Firestore({ projectId: uniqueFirestoreProjectId(), host: proxy.host, ssl: false });
  }, EMULATOR_START_MS);
  afterAll(async () => {
    await db?.terminate();
    await proxy?.stop();
    await target?.stop();
  });

  it('counts writes, deletes, lookups (found or missing), query results and empty queries', async () => {
    const before = proxy.snapshot();
    const batch = db.batch();
    for (const id of ['a', 'b', 'c']) batch.set(db.doc(`things/${id}`), { n: id });
    batch.delete(db.doc('things/gone'));
    await batch.commit();
    await db.getAll(db.doc('things/a'), db.doc('things/missing'));
    expect((await db.collection('things').where('n', '>=', 'b').get()).size).toBe(2);
    expect((await db.collection('things').where('n', '==', 'z').get()).size).toBe(0);
    const counted = difference(proxy.snapshot(), before);
    expect(counted).toMatchObject({ writes: 3, deletes: 1, reads: 2 + 2 + 1 });
    expect(counted.calls).toMatchObject({ Commit: 1, BatchGetDocuments: 1, RunQuery: 2 });
    expect(counted.byCollection).toEqual({ things: { writes: 3, deletes: 1, reads: 5, rpcs: 4 } });
  });

  it('names the collection of nested documents and of empty queries', async () => {
    const before = proxy.snapshot();
    await db.doc('models/summary/docs/x').set({ n: 1 });
    await db.doc('models/summary/docs/x').get();
    await db.collection('nothing_here').get();
    expect(difference(proxy.snapshot(), before).byCollection).toEqual({
      'models/summary/docs': { reads: 1, writes: 1, deletes: 0, rpcs: 2 },
      nothing_here: { reads: 1, writes: 0, deletes: 0, rpcs: 1 },
    });
  });

  it('bills an aggregation one read per 1,000 index entries it counts, at least one', async () => {
    const batch = db.batch();
    for (let n = 0; n < 1001; n++) batch.set(db.doc(`counted/${n}`), { n });
    await batch.commit();
    const before = proxy.snapshot();
    expect((await db.collection('counted').count().get()).data().count).toBe(1001);
    expect((await db.collection('counted').where('n', '<', 0).count().get()).data().count).toBe(0);
    const counted = difference(proxy.snapshot(), before);
    expect(counted).toMatchObject({ reads: 2 + 1, writes: 0 });
    expect(counted.calls).toEqual({ RunAggregationQuery: 2 });
  });

  it('bills only the writes a BatchWrite (BulkWriter) applied', async () => {
    await db.doc('bulk/taken').create({ n: 1 });
    const before = proxy.snapshot();
    const writer = db.bulkWriter();
    writer.onWriteError(() => false);
    const results = [
      writer.create(db.doc('bulk/new'), { n: 2 }),
      writer.create(db.doc('bulk/taken'), { n: 3 }),
      writer.delete(db.doc('bulk/other')),
    ];
    await writer.close();
    const outcomes = await Promise.allSettled(results);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const counted = difference(proxy.snapshot(), before);
    expect(counted).toMatchObject({ writes: 1, deletes: 1, reads: 0 });
    expect(counted.calls).toEqual({ BatchWrite: 1 });
  });

  it('forwards errors with their status, and bills a failed commit nothing', async () => {
    await db.doc('things/taken').create({ n: 1 });
    const before = proxy.snapshot();
    await expect(db.doc('things/taken').create({ n: 2 })).rejects.toMatchObject({ code: 6 });
    const counted = difference(proxy.snapshot(), before);
    expect(counted).toMatchObject({ writes: 0, reads: 0 });
    expect((await db.doc('things/taken').get()).get('n')).toBe(1);
  });

  it('passes transactions through (read, then a guarded write)', async () => {
    await db.doc('counters/x').set({ n: 0 });
    await Promise.all(
      Array.from({ length: 4 }, () =>
        db.runTransaction(async (tx) => {
          const snapshot = await tx.get(db.doc('counters/x'));
          tx.update(db.doc('counters/x'), { n: (snapshot.get('n') as number) + 1 });
        }),
      ),
    );
    expect((await db.doc('counters/x').get()).get('n')).toBe(4);
  });
});
