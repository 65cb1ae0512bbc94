import {
  AggregateField,
  DocumentReference,
  FieldPath,
  FieldValue,
  Filter,
  GeoPoint,
  Timestamp,
  type Firestore,
  type Query,
} from '@google-cloud/firestore';
import { status } from '@grpc/grpc-js';
import {
  findEmulatorBinary,
  FIRESTORE_EMULATOR,
  type EmulatorTargetKind,
} from '../emulators/emulator-kind.js';
import { startFirestoreTarget, uniqueFirestoreProjectId, type FirestoreTarget } from './index.js';
import { FIRESTORE_ATTACH_ENV } from './target.js';

// One table of scenarios run through the real client on the in-process fake (always) and on
// Google's emulator (when its binary is on this machine, or one is attached): each outcome must
// equal the expected one on every target, so the fake cannot drift from the emulator. Outcomes
// hold results only, never timings (the fake resolves lock conflicts faster than the emulator).

const kinds: EmulatorTargetKind[] =
  findEmulatorBinary(FIRESTORE_EMULATOR) || process.env[FIRESTORE_ATTACH_ENV]
    ? ['fake', 'emulator']
    : ['fake'];
const targets = new Map<EmulatorTargetKind, FirestoreTarget>();

beforeAll(async () => {
  for (const kind of kinds) targets.set(kind, await startFirestoreTarget(kind));
  process.stderr.write(`firestore-target contract ran on: ${kinds.join(', ')}\n`);
}, 90_000);

afterAll(async () => {
  await Promise.all([...targets.values()].map((target) => target.stop()));
});

interface ScenarioContext {
  target: FirestoreTarget;
  projectId: string;
}

interface Scenario {
  run: (db: Firestore, context: ScenarioContext) => Promise<unknown>;
  expected: unknown;
}

/** 'ok' or the gRPC code the call failed with. */
async function outcome(call: Promise<unknown>): Promise<string | number> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'number') throw error;
    return code;
  }
}

async function ids(query: Query): Promise<string> {
  return (await query.get()).docs.map((document) => document.id).join(',');
}

/** Client values as plain comparable data (references, timestamps and bytes by content). */
function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return `timestamp ${value.seconds}.${value.nanoseconds}`;
  if (value instanceof GeoPoint) return `geo ${value.latitude},${value.longitude}`;
  if (value instanceof DocumentReference) return `ref ${value.path}`;
  if (value instanceof Uint8Array) return `bytes ${Buffer.from(value).toString('hex')}`;
  if (typeof value === 'number' && (Object.is(value, -0) || Number.isNaN(value))) {
    return String(value === 0 ? '-0' : value);
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

/** Values of every type class, for filters and orderings (`nox` has no `x`). */
async function writeMixedValues(db: Firestore): Promise<void> {
  const values: Record<string, unknown> = {
    nul: null,
    f: false,
    t: true,
    nan: Number.NaN,
    ninf: Number.NEGATIVE_INFINITY,
    neg: -1,
    zero: 0,
    one: 1,
    half: 1.5,
    big: 2 ** 40,
    inf: Number.POSITIVE_INFINITY,
    ts: Timestamp.fromMillis(1000),
    s: 'a',
    s2: 'b',
    bytes: Buffer.from([1]),
    ref: db.doc('mixed/x'),
    geo: new GeoPoint(1, 2),
    emptyarr: [],
    arr: [1, 'a'],
    arr2: [2],
    emptymap: {},
    map: { a: 1 },
    nested: { a: { b: 1 } },
  };
  const batch = db.batch();
  for (const [id, x] of Object.entries(values)) batch.set(db.doc(`mixed/${id}`), { x, k: id });
  batch.set(db.doc('mixed/nox'), { k: 'nox' });
  await batch.commit();
}

/** n = 1..6 in groups a (odd) and b (even). */
async function writeNumbered(db: Firestore): Promise<void> {
  const batch = db.batch();
  for (let n = 1; n <= 6; n++) {
    batch.set(db.doc(`numbered/d${n}`), { n, g: n % 2 ? 'a' : 'b', extra: `e${n}` });
  }
  await batch.commit();
}

const scenarios: Record<string, Scenario> = {
  'documents: create, merge, nested update with delete, delete': {
    async run(db) {
      const ref = db.doc('crud/a');
      await ref.create({ n: 1, nested: { keep: true, drop: 1 } });
      const created = await ref.get();
      await ref.set({ added: 'x' }, { merge: true });
      await ref.update({ 'nested.drop': FieldValue.delete(), 'nested.new': 2, n: 2 });
      const updated = await ref.get();
      await ref.delete();
      return {
        data: updated.data(),
        createTimeKept: updated.createTime!.isEqual(created.createTime!),
        updateTimeMoved: updated.updateTime!.toMillis() >= created.updateTime!.toMillis(),
        existsAfterDelete: (await ref.get()).exists,
      };
    },
    expected: {
      data: { n: 2, added: 'x', nested: { keep: true, new: 2 } },
      createTimeKept: true,
      updateTimeMoved: true,
      existsAfterDelete: false,
    },
  },

  'preconditions fail with the emulator codes and a failed batch writes nothing': {
    async run(db) {
      const ref = db.doc('pre/a');
      const missing = db.doc('pre/missing');
      await ref.create({ n: 1 });
      const before = await ref.get();
      const rewrite = await ref.set({ n: 1 });
      return {
        createExisting: await outcome(ref.create({ n: 2 })),
        updateMissing: await outcome(missing.update({ n: 1 })),
        deleteMissingMustExist: await outcome(missing.delete({ exists: true })),
        deleteMissing: await outcome(missing.delete()),
        staleUpdateTime: await outcome(
          ref.update({ n: 3 }, { lastUpdateTime: Timestamp.fromMillis(1000) }),
        ),
        currentUpdateTime: await outcome(
          ref.update({ n: 4 }, { lastUpdateTime: before.updateTime! }),
        ),
        batch: await outcome(db.batch().set(db.doc('pre/b'), { n: 1 }).create(ref, {}).commit()),
        batchPartWritten: (await db.doc('pre/b').get()).exists,
        unchangedRewriteKeepsUpdateTime: rewrite.writeTime.isEqual(before.updateTime!),
        final: (await ref.get()).data(),
      };
    },
    expected: {
      createExisting: status.ALREADY_EXISTS,
      updateMissing: status.NOT_FOUND,
      deleteMissingMustExist: status.NOT_FOUND,
      deleteMissing: 'ok',
      staleUpdateTime: status.FAILED_PRECONDITION,
      currentUpdateTime: 'ok',
      batch: status.ALREADY_EXISTS,
      batchPartWritten: false,
      unchangedRewriteKeepsUpdateTime: true,
      final: { n: 4 },
    },
  },

  'values of every kind round-trip': {
    async run(db) {
      const ref = db.doc('values/all');
      await ref.set({
        null: null,
        bool: true,
        int: Number.MAX_SAFE_INTEGER,
        negativeInt: -42,
        double: 0.1,
        negativeZero: -0,
        nan: Number.NaN,
        infinity: Number.NEGATIVE_INFINITY,
        timestamp: new Timestamp(1_700_000_000, 123_456_000),
        string: 'héllo 🌍',
        bytes: Buffer.from([0, 255, 7]),
        reference: db.doc('values/other'),
        geo: new GeoPoint(-33.5, 151.25),
        array: [1, 'two', { four: [4] }, null],
        map: { inner: { deep: 'yes' }, empty: {}, list: [] },
      });
      return {
        data: plain((await ref.get()).data()),
        nestedArray: await outcome(db.doc('values/nested').set({ array: [[1]] })),
      };
    },
    expected: {
      nestedArray: status.INVALID_ARGUMENT,
      data: {
        null: null,
        bool: true,
        int: Number.MAX_SAFE_INTEGER,
        negativeInt: -42,
        double: 0.1,
        negativeZero: '-0',
        nan: 'NaN',
        infinity: Number.NEGATIVE_INFINITY,
        timestamp: 'timestamp 1700000000.123456000',
        string: 'héllo 🌍',
        bytes: 'bytes 00ff07',
        reference: 'ref values/other',
        geo: 'geo -33.5,151.25',
        array: [1, 'two', { four: [4] }, null],
        map: { inner: { deep: 'yes' }, empty: {}, list: [] },
      },
    },
  },

  'filters: equality, ranges, in / not-in, arrays, null, NaN, OR, document ids': {
    async run(db) {
      await writeMixedValues(db);
      const c = db.collection('mixed');
      const queries: Record<string, Query> = {
        eqOne: c.where('x', '==', 1),
        neOne: c.where('x', '!=', 1),
        eqNull: c.where('x', '==', null),
        neNull: c.where('x', '!=', null),
        eqNaN: c.where('x', '==', Number.NaN),
        neNaN: c.where('x', '!=', Number.NaN),
        gtZero: c.where('x', '>', 0),
        ltZero: c.where('x', '<', 0),
        geFalse: c.where('x', '>=', false),
        ltB: c.where('x', '<', 'b'),
        beforeTimestamp: c.where('x', '<', Timestamp.fromMillis(2000)),
        in: c.where('x', 'in', [1, 'a', null]),
        notIn: c.where('x', 'not-in', [1, 'a']),
        arrayContains: c.where('x', 'array-contains', 1),
        arrayContainsAny: c.where('x', 'array-contains-any', [2, 'a']),
        eqArray: c.where('x', '==', [1, 'a']),
        gtEmptyArray: c.where('x', '>', []),
        eqMap: c.where('x', '==', { a: 1 }),
        nestedField: c.where('x.a.b', '==', 1),
        or: c.where(
          Filter.or(
            Filter.where('x', '==', 1),
            Filter.where('x', '==', 'a'),
            Filter.where('k', '==', 'nox'),
          ),
        ),
        andOfOr: c.where(
          Filter.and(
            Filter.where('x', '>=', -1),
            Filter.or(Filter.where('k', '==', 'zero'), Filter.where('k', '==', 'inf')),
          ),
        ),
        twoInequalities: c.where('x', '>', 0).where('k', '<', 'z'),
        idIn: c.where(FieldPath.documentId(), 'in', [c.doc('s'), c.doc('nul')]),
        idAfter: c.where(FieldPath.documentId(), '>', c.doc('s')),
      };
      const results: Record<string, string> = {};
      for (const [name, query] of Object.entries(queries)) results[name] = await ids(query);
      return results;
    },
    expected: {
      eqOne: 'one',
      neOne:
        'f,t,nan,ninf,neg,zero,half,big,inf,ts,s,s2,bytes,ref,geo,emptyarr,arr,arr2,emptymap,map,nested',
      eqNull: 'nul',
      neNull:
        'f,t,nan,ninf,neg,zero,one,half,big,inf,ts,s,s2,bytes,ref,geo,emptyarr,arr,arr2,emptymap,map,nested',
      eqNaN: 'nan',
      neNaN:
        'f,t,ninf,neg,zero,one,half,big,inf,ts,s,s2,bytes,ref,geo,emptyarr,arr,arr2,emptymap,map,nested',
      gtZero: 'one,half,big,inf',
      ltZero: 'ninf,neg',
      geFalse: 'f,t',
      ltB: 's',
      beforeTimestamp: 'ts',
      in: 'one,s',
      notIn:
        'f,t,nan,ninf,neg,zero,half,big,inf,ts,s2,bytes,ref,geo,emptyarr,arr,arr2,emptymap,map,nested',
      arrayContains: 'arr',
      arrayContainsAny: 'arr,arr2',
      eqArray: 'arr',
      gtEmptyArray: 'arr,arr2',
      eqMap: 'map',
      nestedField: 'nested',
      or: 'nox,one,s',
      andOfOr: 'zero,inf',
      twoInequalities: 'big,half,inf,one',
      idIn: 'nul,s',
      idAfter: 's2,t,ts,zero',
    },
  },

  'orderings: across types, descending, several fields, nested fields': {
    async run(db) {
      await writeMixedValues(db);
      await writeNumbered(db);
      const mixed = db.collection('mixed');
      const numbered = db.collection('numbered');
      return {
        ascending: await ids(mixed.orderBy('x')),
        descending: await ids(mixed.orderBy('x', 'desc')),
        byName: await ids(mixed.limit(4)),
        nested: await ids(mixed.orderBy('x.a')),
        groupThenDescending: await ids(numbered.orderBy('g').orderBy('n', 'desc')),
        descendingThenName: await ids(
          numbered.orderBy('g', 'desc').orderBy(FieldPath.documentId()),
        ),
      };
    },
    expected: {
      ascending:
        'nul,f,t,nan,ninf,neg,zero,one,half,big,inf,ts,s,s2,bytes,ref,geo,emptyarr,arr,arr2,emptymap,map,nested',
      descending:
        'nested,map,emptymap,arr2,arr,emptyarr,geo,ref,bytes,s2,s,ts,inf,big,half,one,zero,neg,ninf,nan,t,f,nul',
      byName: 'arr,arr2,big,bytes',
      nested: 'map,nested',
      groupThenDescending: 'd5,d3,d1,d6,d4,d2',
      descendingThenName: 'd2,d4,d6,d1,d3,d5',
    },
  },

  'cursors, offset, limit, limitToLast and projections': {
    async run(db) {
      await writeNumbered(db);
      const byN = db.collection('numbered').orderBy('n');
      const third = await db.doc('numbered/d3').get();
      const projected = await byN.select('n').limit(2).get();
      const nameOnly = await byN.select().limit(1).get();
      return {
        startAtEndAt: await ids(byN.startAt(2).endAt(4)),
        startAfterEndBefore: await ids(byN.startAfter(2).endBefore(5)),
        afterSnapshot: await ids(byN.startAfter(third)),
        twoFieldCursor: await ids(
          db.collection('numbered').orderBy('g').orderBy('n', 'desc').startAfter('a', 3),
        ),
        idCursor: await ids(
          db.collection('numbered').orderBy(FieldPath.documentId()).startAt('d4'),
        ),
        offsetLimit: await ids(byN.offset(2).limit(2)),
        limitToLast: await ids(byN.limitToLast(2)),
        filteredDescendingLimit: await ids(
          db.collection('numbered').where('g', '==', 'a').orderBy('n', 'desc').limit(2),
        ),
        projected: projected.docs.map((document) => document.data()),
        nameOnly: nameOnly.docs.map((document) => [document.id, document.data()]),
        fieldMask: (await db.getAll(db.doc('numbered/d1'), { fieldMask: ['g'] }))[0]!.data(),
      };
    },
    expected: {
      startAtEndAt: 'd2,d3,d4',
      startAfterEndBefore: 'd3,d4',
      afterSnapshot: 'd4,d5,d6',
      twoFieldCursor: 'd1,d6,d4,d2',
      idCursor: 'd4,d5,d6',
      offsetLimit: 'd3,d4',
      limitToLast: 'd5,d6',
      filteredDescendingLimit: 'd5,d3',
      projected: [{ n: 1 }, { n: 2 }],
      nameOnly: [['d1', {}]],
      fieldMask: { g: 'a' },
    },
  },

  'collection groups and subcollections': {
    async run(db) {
      const batch = db.batch();
      batch.set(db.doc('users/u1'), { name: 'one' });
      batch.set(db.doc('users/u1/orders/o1'), { total: 5 });
      batch.set(db.doc('users/u2/orders/o2'), { total: 7 });
      batch.set(db.doc('orders/o3'), { total: 1 });
      batch.set(db.doc('users/u3/other/x/orders/o4'), { total: 2.5 });
      batch.set(db.doc('users/u1/notorders/o5'), { total: 9 });
      await batch.commit();
      const paths = async (query: Query) =>
        (await query.get()).docs.map((document) => document.ref.path);
      return {
        group: await paths(db.collectionGroup('orders')),
        groupFiltered: await paths(
          db.collectionGroup('orders').where('total', '>', 2).orderBy('total', 'desc'),
        ),
        subcollection: await paths(db.doc('users/u1').collection('orders')),
        topLevel: await paths(db.collection('orders')),
      };
    },
    expected: {
      group: [
        'orders/o3',
        'users/u1/orders/o1',
        'users/u2/orders/o2',
        'users/u3/other/x/orders/o4',
      ],
      groupFiltered: ['users/u2/orders/o2', 'users/u1/orders/o1', 'users/u3/other/x/orders/o4'],
      subcollection: ['users/u1/orders/o1'],
      topLevel: ['orders/o3'],
    },
  },

  'transforms: server timestamp, increment, array union and remove': {
    async run(db) {
      const ref = db.doc('transforms/a');
      const startedMs = Date.now();
      await ref.set({
        list: [1, 2],
        count: 1,
        ratio: 1.5,
        label: 'x',
        at: FieldValue.serverTimestamp(),
      });
      await ref.update({
        list: FieldValue.arrayUnion(2, 3),
        removed: FieldValue.arrayRemove(1),
        count: FieldValue.increment(2),
        ratio: FieldValue.increment(1),
        label: FieldValue.increment(1),
        'fresh.total': FieldValue.increment(1.5),
        union: FieldValue.arrayUnion('a', 'a'),
      });
      const snapshot = await ref.get();
      const at = snapshot.get('at') as unknown;
      const { at: _at, ...rest } = snapshot.data()!;
      return {
        rest,
        atIsTimestamp: at instanceof Timestamp,
        atInWriteWindow:
          at instanceof Timestamp &&
          at.toMillis() >= startedMs - 1 &&
          at.toMillis() <= snapshot.updateTime!.toMillis(),
      };
    },
    expected: {
      rest: {
        list: [1, 2, 3],
        removed: [],
        count: 3,
        ratio: 2.5,
        label: 1,
        fresh: { total: 1.5 },
        union: ['a'],
      },
      atIsTimestamp: true,
      atInWriteWindow: true,
    },
  },

  'aggregations: count, sum, average': {
    async run(db) {
      await writeNumbered(db);
      const numbered = db.collection('numbered');
      const all = await numbered
        .aggregate({
          count: AggregateField.count(),
          sum: AggregateField.sum('n'),
          avg: AggregateField.average('n'),
        })
        .get();
      return {
        all: all.data(),
        groupA: (await numbered.where('g', '==', 'a').count().get()).data().count,
        limited: (await numbered.limit(4).count().get()).data().count,
        empty: (
          await db
            .collection('none')
            .aggregate({ count: AggregateField.count(), avg: AggregateField.average('n') })
            .get()
        ).data(),
      };
    },
    expected: {
      all: { count: 6, sum: 21, avg: 3.5 },
      groupA: 3,
      limited: 4,
      empty: { count: 0, avg: null },
    },
  },

  'listDocuments, listCollections and recursiveDelete': {
    async run(db) {
      const batch = db.batch();
      batch.set(db.doc('tree/a'), { n: 1 });
      batch.set(db.doc('tree/a/leaves/l1'), { n: 2 });
      batch.set(db.doc('tree/b/leaves/l2'), { n: 3 });
      batch.set(db.doc('other/c'), { n: 4 });
      await batch.commit();
      const listed = (await db.collection('tree').listDocuments()).map((ref) => ref.path);
      const rootCollections = (await db.listCollections()).map((collection) => collection.id);
      const underA = (await db.doc('tree/a').listCollections()).map((collection) => collection.id);
      await db.recursiveDelete(db.collection('tree'));
      return {
        listed,
        rootCollections,
        underA,
        leavesAfterDelete: (await db.collectionGroup('leaves').get()).size,
        rootAfterDelete: (await db.listCollections()).map((collection) => collection.id),
      };
    },
    expected: {
      listed: ['tree/a', 'tree/b'],
      rootCollections: ['other', 'tree'],
      underA: ['leaves'],
      leavesAfterDelete: 0,
      rootAfterDelete: ['other'],
    },
  },

  'transactions: 8 concurrent read-modify-write increments end exact': {
    async run(db) {
      const ref = db.doc('counters/c');
      await ref.set({ n: 0 });
      const seen = await Promise.all(
        Array.from({ length: 8 }, () =>
          db.runTransaction(async (transaction) => {
            const n = (await transaction.get(ref)).get('n') as number;
            transaction.update(ref, { n: n + 1 });
            return n;
          }),
        ),
      );
      return { final: (await ref.get()).get('n'), seen: seen.sort((a, b) => a - b) };
    },
    expected: { final: 8, seen: [0, 1, 2, 3, 4, 5, 6, 7] },
  },

  'transactions reading two documents in opposite orders all commit (no deadlock)': {
    async run(db) {
      const [a, b] = [db.doc('pair/a'), db.doc('pair/b')];
      await db.batch().set(a, { n: 0 }).set(b, { n: 0 }).commit();
      const incrementBoth = (first: DocumentReference, second: DocumentReference) =>
        db.runTransaction(async (transaction) => {
          const x = (await transaction.get(first)).get('n') as number;
          const y = (await transaction.get(second)).get('n') as number;
          transaction.update(first, { n: x + 1 }).update(second, { n: y + 1 });
        });
      await Promise.all([incrementBoth(a, b), incrementBoth(b, a), incrementBoth(a, b)]);
      return { a: (await a.get()).get('n'), b: (await b.get()).get('n') };
    },
    expected: { a: 3, b: 3 },
  },

  'a plain write to a document read in an open transaction waits until it commits': {
    async run(db) {
      const ref = db.doc('locks/x');
      await ref.set({ n: 0 });
      let attempts = 0;
      let writeDone = false;
      let write: Promise<unknown> | undefined;
      let doneWhileOpen: boolean | undefined;
      await db.runTransaction(async (transaction) => {
        attempts++;
        const n = (await transaction.get(ref)).get('n') as number;
        write ??= ref.set({ n: 100 }, { merge: true }).then(() => (writeDone = true));
        // Round trips sent after the write: it reached the server before them.
        await db.doc('locks/unrelated').get();
        await db.doc('locks/unrelated').get();
        doneWhileOpen ??= writeDone;
        // Not locked: a document the transaction did not read can be written meanwhile.
        await db.doc('locks/unrelated').set({ free: true });
        transaction.update(ref, { n: n + 1 });
      });
      await write;
      // Had the write not waited, the transaction would have seen n change, retried and ended at 101.
      return { attempts, doneWhileOpen, final: (await ref.get()).get('n') };
    },
    expected: { attempts: 1, doneWhileOpen: false, final: 100 },
  },

  'a create of a missing document read in an open transaction waits, then fails': {
    async run(db) {
      const ref = db.doc('locks/new');
      let outside: Promise<string | number> | undefined;
      await db.runTransaction(async (transaction) => {
        const snapshot = await transaction.get(ref);
        outside ??= outcome(ref.create({ by: 'outside' }));
        await db.doc('locks/unrelated').get();
        await db.doc('locks/unrelated').get();
        if (!snapshot.exists) transaction.create(ref, { by: 'transaction' });
      });
      return { outside: await outside, by: (await ref.get()).get('by') };
    },
    expected: { outside: status.ALREADY_EXISTS, by: 'transaction' },
  },

  'a failing transaction function writes nothing and releases its locks': {
    async run(db) {
      const ref = db.doc('rollback/a');
      await ref.set({ n: 1 });
      const failed = db.runTransaction(async (transaction) => {
        await transaction.get(ref);
        transaction.update(ref, { n: 2 });
        throw new Error('the function gives up');
      });
      const error = await failed.then(
        () => 'resolved',
        (reason: Error) => reason.message,
      );
      await ref.update({ n: 3 });
      // A lock left behind would hold this plain write until its bounded wait ran out.
      return { error, final: (await ref.get()).get('n') };
    },
    expected: { error: 'the function gives up', final: 3 },
  },

  'a read-only transaction at a readTime sees the database as it was': {
    async run(db) {
      const first = await db.doc('history/a').set({ v: 1 });
      await db.doc('history/a').set({ v: 2 });
      await db.doc('history/b').set({ v: 3 });
      const past = await db.runTransaction(
        async (transaction) => {
          const a = await transaction.get(db.doc('history/a'));
          const all = await transaction.get(db.collection('history'));
          return { a: a.get('v') as number, all: all.docs.map((d) => `${d.id}=${d.get('v')}`) };
        },
        { readOnly: true, readTime: first.writeTime },
      );
      const now = await db.runTransaction(
        async (transaction) => (await transaction.get(db.doc('history/a'))).get('v') as number,
        { readOnly: true },
      );
      return { past, now };
    },
    expected: { past: { a: 1, all: ['a=1'] }, now: 2 },
  },

  'reset clears one project and leaves the others': {
    async run(db, { target, projectId }) {
      const otherProject = `${projectId}-other`;
      const other = target.client(otherProject);
      await db.doc('reset/a').set({ n: 1 });
      await other.doc('reset/a').set({ n: 2 });
      const isolated = (await other.doc('reset/a').get()).get('n') as number;
      await target.reset(projectId);
      return {
        isolated,
        resetProject: (await db.collection('reset').get()).size,
        otherProject: (await other.doc('reset/a').get()).get('n'),
      };
    },
    expected: { isolated: 2, resetProject: 0, otherProject: 2 },
  },
};

describe('Firestore target contract (fake and emulator)', () => {
  it.each(Object.keys(scenarios))('%s', async (name) => {
    const scenario = scenarios[name]!;
    const outcomes = await Promise.all(
      kinds.map(async (kind) => {
        const target = targets.get(kind)!;
        const projectId = uniqueFirestoreProjectId('contract');
        const outcome = await scenario.run(target.client(projectId), { target, projectId });
        return [kind, outcome] as const;
      }),
    );
    // One comparison for all targets, so that a failure shows every target's outcome.
    expect(Object.fromEntries(outcomes)).toEqual(
      Object.fromEntries(kinds.map((kind) => [kind, scenario.expected])),
    );
  });
});
