import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import {
  BATCH_EVENTS,
  playerStream,
  type PredictionCompleted,
  type PredictionFailed,
} from '../../src/modules/batches/index.js';
import type { FirestoreTarget } from '../support/firestore/index.js';
import { uniqueFirestoreProjectId } from '../support/firestore/index.js';
import { startTestApp } from '../support/test-app.js';
import { mirrorEnv } from './mirror-fixtures.js';

export interface MirrorApp {
  app: NestExpressApplication;
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  storage: Storage;
  /** A client on the app's Firestore project (terminated with the target). */
  db: Firestore;
  projectId: string;
  sqlitePath: string;
  close(): Promise<void>;
}

export interface MirrorAppOptions {
  clock: ManualClock;
  /** Reopens a store (a restart); default a fresh file. */
  sqlitePath?: string;
  /** Mirrors into this project (a restart); default a fresh one. */
  projectId?: string;
}

/** The real app with the legacy mirror on, writing into its own project of `target`. */
export async function startMirrorApp(
  target: FirestoreTarget,
  flags: Record<string, string>,
  options: MirrorAppOptions,
): Promise<MirrorApp> {
  const projectId = options.projectId ?? (await freshProject(target));
  const test = await startTestApp(
    {
      // Durability of each append is not what these tests measure.
      LOG_LEVEL: 'error',
      SQLITE_SYNCHRONOUS: 'NORMAL',
      // Nor lease failover: a test process starved of CPU for a second must not lose the mirror's
      // lease (and have it stopped under a rebuild), as it would with the test default of 1 s.
      TIMEOUT_LEASE_TTL_MS: '15000',
      TIMEOUT_LEASE_RENEW_MS: '1000',
      ...mirrorEnv(target, projectId, flags),
    },
    { clock: options.clock, ...(options.sqlitePath ? { sqlitePath: options.sqlitePath } : {}) },
  );
  return {
    app: test.app,
    server: test.app.getHttpServer(),
    storage: test.app.get<Storage>(STORAGE),
    db: target.client(projectId),
    projectId,
    sqlitePath: test.sqlitePath,
    close: () => test.close(),
  };
}

/**
 * A project no earlier run wrote into. The emulator outlives test runs and the mirror keeps its
 * checkpoint there: a project named after a reused process id would hand a fresh log a checkpoint
 * ahead of it (lag 0, its events skipped), so the name gets a random part and is emptied first.
 */
export async function freshProject(target: FirestoreTarget): Promise<string> {
  const projectId = `${uniqueFirestoreProjectId('h4-mirror')}-${randomBytes(3).toString('hex')}`;
  await target.reset(projectId);
  return projectId;
}

export type Outcome = { player: string; predictions: number } | { player: string; failed: true };

/**
 * Appends each outcome as the push endpoint records it (one player stream each), in order, at the
 * clock's now: the log a thousand pushes leave, without a thousand HTTP round trips.
 */
export async function appendOutcomes(
  storage: Storage,
  clock: ManualClock,
  batchId: string,
  outcomes: readonly Outcome[],
): Promise<void> {
  const at = clock.now().toISOString();
  for (const [index, outcome] of outcomes.entries()) {
    const messageId = `direct-${at}-${index}`;
    const event =
      'failed' in outcome
        ? {
            type: BATCH_EVENTS.predictionFailed,
            data: {
              batch_id: batchId,
              player_lookup: outcome.player,
              error_message: 'feature store timeout',
              failed_at: at,
              message_id: messageId,
            } satisfies PredictionFailed,
          }
        : {
            type: BATCH_EVENTS.predictionCompleted,
            data: {
              batch_id: batchId,
              player_lookup: outcome.player,
              game_date: '2026-01-22',
              predictions_generated: outcome.predictions,
              worker_instance: 'prediction-worker-00042-xyz',
              completed_at: at,
              message_id: messageId,
            } satisfies PredictionCompleted,
          };
    await storage.events.append(playerStream(batchId, outcome.player), [event], {
      expectedVersion: 'any',
    });
  }
}
