import type { Clock } from '../../src/common/clock/clock.js';
import {
  FirestoreStorage,
  type FirestoreStorageOptions,
} from '../../src/common/event-store/firestore/firestore-storage.js';
import type { Storage } from '../../src/common/event-store/index.js';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from './firestore/index.js';
import type { StorageFactory } from './storage.contract.js';

/** Where a store of this factory lives: its own project on the target (an isolated database). */
export interface FirestoreStorePlace {
  target: FirestoreTarget;
  projectId: string;
}

const places = new WeakMap<Storage, FirestoreStorePlace>();

/**
 * Firestore stores on one target (Google's emulator, or the in-process fake), started on the first
 * `create()`: each `create()` gets a project of its own (so stores never see each other's
 * documents and the emulator's queries scan only that store's), `reopen` opens the same project
 * with a new client (a restart or a second instance), `dispose` deletes every project it created
 * and stops the target (an attached emulator keeps running).
 */
export function firestoreStorageFactory(
  overrides: Partial<FirestoreStorageOptions> = {},
): StorageFactory {
  let target: Promise<FirestoreTarget> | null = null;
  const projects: string[] = [];
  return {
    name: 'firestore',
    // About 1 s per 1,000 events written and read on the emulator, whose queries scan the collection.
    bulkEvents: 10_000,
    async create(clock: Clock, options = {}) {
      target ??= startFirestoreTarget();
      const running = await target;
      const projectId = uniqueFirestoreProjectId('shotclock-store');
      projects.push(projectId);
      const open = async () => {
        const storage = await FirestoreStorage.open(
          running.client(projectId),
          {
            collectionPrefix: 'shotclock_',
            idempotencyTtlDays: () => options.idempotencyTtlDays ?? 7,
            ...overrides,
          },
          clock,
        );
        places.set(storage, { target: running, projectId });
        return storage;
      };
      return { storage: await open(), reopen: open };
    },
    async dispose() {
      if (target === null) return;
      const running = await target;
      target = null;
      for (const projectId of projects.splice(0)) await running.reset(projectId);
      await running.stop();
    },
  };
}

/** The target and project of a store this factory created (to reach its documents directly). */
export function firestorePlaceOf(storage: Storage): FirestoreStorePlace {
  const place = places.get(storage);
  if (!place)
    throw new Error(`expected a Firestore store of firestoreStorageFactory, got ${storage.kind}`);
  return place;
}
