import { firestoreStorageFactory } from './firestore-storage.factory.js';
import { postgresStorageFactory } from './postgres-storage.factory.js';
import { sqliteStorageFactory } from './sqlite-storage.factory.js';
import type { StorageFactory } from './storage.contract.js';

/** Every adapter, for specs that must hold on each: `describe.each(STORAGE_FACTORIES)('... on %s', ...)`. */
export const STORAGE_FACTORIES: ReadonlyArray<[name: string, makeFactory: () => StorageFactory]> = [
  ['sqlite', sqliteStorageFactory],
  ['postgres', postgresStorageFactory],
  ['firestore', firestoreStorageFactory],
];
