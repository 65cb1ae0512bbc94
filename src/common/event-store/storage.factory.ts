import type { AppConfig } from '../config/index.js';
import type { Clock } from '../clock/clock.js';
import { createFirestoreClient } from '../gcp/firestore-client.js';
import type { Storage } from './event-store.port.js';
import { FirestoreStorage } from './firestore/firestore-storage.js';
import { PostgresStorage } from './postgres/postgres-storage.js';
import { SqliteStorage } from './sqlite/sqlite-storage.js';

/**
 * Opens the store that EVENT_STORE names (PostgreSQL: connects and migrates before resolving;
 * Firestore: numbers events a previous process left pending, which proves it answers).
 */
export async function openStorage(config: AppConfig, clock: Clock): Promise<Storage> {
  const idempotencyTtlDays = () => config.flags.number('DEDUP_TTL_DAYS');
  switch (config.store.eventStore) {
    case 'sqlite': {
      const storage = new SqliteStorage(
        {
          path: config.store.sqlitePath,
          synchronous: config.store.sqliteSynchronous,
          busyTimeoutMs: config.timeouts.storeBusyMs,
          busySliceMs: config.timeouts.storeBusySliceMs,
          busyRetryMs: config.timeouts.storeBusyRetryMs,
          idempotencyTtlDays,
        },
        clock,
      );
      await storage.ready();
      return storage;
    }
    case 'postgres': {
      const url = config.store.databaseUrl;
      if (!url) {
        throw new Error(
          'EVENT_STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/database); set it or use EVENT_STORE=sqlite',
        );
      }
      return PostgresStorage.open(
        {
          connectionString: url.reveal(),
          schema: config.store.databaseSchema,
          poolMax: config.store.databasePoolMax,
          statementTimeoutMs: config.timeouts.storeStatementMs,
          busyTimeoutMs: config.timeouts.storeBusyMs,
          applicationName: postgresApplicationName(config.server.instanceId),
          idempotencyTtlDays,
        },
        clock,
      );
    }
    case 'firestore': {
      const projectId = config.pubsubPublisher.googleCloudProject;
      if (!projectId) {
        throw new Error(
          'EVENT_STORE=firestore needs GOOGLE_CLOUD_PROJECT (the project whose Firestore database holds the store); set it or use EVENT_STORE=sqlite',
        );
      }
      const { firestoreDatabaseId: databaseId, firestoreEmulatorHost: emulatorHost } =
        config.firestore;
      return FirestoreStorage.open(
        createFirestoreClient({
          projectId,
          ...(databaseId ? { databaseId } : {}),
          ...(emulatorHost ? { emulatorHost } : {}),
        }),
        { collectionPrefix: config.store.firestoreCollectionPrefix, idempotencyTtlDays },
        clock,
      );
    }
    default:
      throw new Error(
        `EVENT_STORE=${String(config.store.eventStore)} has no adapter in this build; use EVENT_STORE=sqlite, postgres or firestore`,
      );
  }
}

/** `shotclock:<instance id>`: this instance's sessions in pg_stat_activity. */
export function postgresApplicationName(instanceId: string): string {
  return `shotclock:${instanceId}`;
}
