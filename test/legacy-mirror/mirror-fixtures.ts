import type { Firestore } from '@google-cloud/firestore';
import request from 'supertest';
import type { LegacyMirrorReport } from '../../src/modules/batches/index.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { eventually } from '../support/test-timing.js';
import type { FirestoreTarget } from '../support/firestore/index.js';

type Server = Parameters<typeof request>[0];

export const PREDICTIONS_PUSH = '/v1/push/prediction-completions';
export const MIRROR = 'legacy-mirror';
/** How many pushes are in flight at once (the service handles them concurrently, as Pub/Sub would). */
const IN_FLIGHT = 24;

/** The env of an app mirroring into `projectId` on `target`, every batch checked. */
export function mirrorEnv(
  target: FirestoreTarget,
  projectId: string,
  flags: Record<string, string> = {},
): Record<string, string> {
  return {
    FIRESTORE_LEGACY_MIRROR: 'true',
    GOOGLE_CLOUD_PROJECT: projectId,
    FIRESTORE_EMULATOR_HOST: target.host,
    LEGACY_MIRROR_CHECK_PERCENT: '100',
    ...flags,
  };
}

export const success = (batchId: string, player: string, predictions: number) => ({
  player_lookup: player,
  batch_id: batchId,
  game_date: '2026-01-22',
  predictions_generated: predictions,
  timestamp: '2026-01-22T15:02:11Z',
  worker_instance: 'prediction-worker-00042-xyz',
});

export const failure = (batchId: string, player: string) => ({
  player_lookup: player,
  batch_id: batchId,
  status: 'failed',
  error_message: 'feature store timeout',
});

/** A push body for each message (with its own message id unless `messageId` is given). */
export interface Push {
  data: unknown;
  messageId?: string;
}

/** Pushes every message, IN_FLIGHT at a time, each answered 204. */
export async function pushAll(server: Server, pushes: readonly Push[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < pushes.length) {
      const push = pushes[next++]!;
      await request(server)
        .post(PREDICTIONS_PUSH)
        .send(
          pushEnvelope(
            push.data,
            push.messageId === undefined ? {} : { messageId: push.messageId },
          ),
        )
        .expect(204);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

export async function createBatch(server: Server, body: Record<string, unknown>): Promise<void> {
  await request(server).post('/v1/batches').send(body).expect(201);
}

export type BatchViewWithMirror = Record<string, unknown> & {
  legacy_mirror?: LegacyMirrorReport | null;
};

export async function batchView(server: Server, batchId: string): Promise<BatchViewWithMirror> {
  return (await request(server).get(`/v1/batches/${batchId}`).expect(200))
    .body as BatchViewWithMirror;
}

/** Waits until every projection and reaction (the mirror included) has applied the whole log. */
export async function mirrored(server: Server, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
        projections: Array<{ name: string; lag: number; state: string; last_error: string | null }>;
      };
      const failed = projections.find((projection) => projection.last_error !== null);
      if (failed) throw new Error(`${failed.name} failed: ${failed.last_error}`);
      return projections.every((projection) => projection.lag === 0);
    },
    'every projection (the mirror included) caught up',
    timeoutMs,
  );
}

interface ProjectionStatusBody {
  name: string;
  state: string;
  lag: number;
  last_error: string | null;
  rebuild: { passed: number; total: number } | null;
}

/**
 * Rebuilds the mirror through the admin API and waits until that rebuild has run and the
 * projection is back, caught up. The request only starts it: right after it the projection still
 * shows its previous `running`, lag 0, so the wait first has to see the rebuild itself.
 */
export async function rebuildMirror(server: Server, timeoutMs: number): Promise<void> {
  await request(server).post(`/v1/projections/${MIRROR}/rebuild`).expect(202);
  let seen = false;
  await eventually(
    async () => {
      const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
        projections: ProjectionStatusBody[];
      };
      const status = projections.find((projection) => projection.name === MIRROR);
      if (!status) throw new Error(`no projection ${MIRROR} in GET /v1/projections`);
      if (status.last_error?.startsWith('rebuild failed')) {
        throw new Error(`the rebuild of ${MIRROR} failed: ${status.last_error}`);
      }
      seen ||= status.state === 'rebuilding' || status.rebuild !== null;
      return seen && status.state === 'running' && status.lag === 0 && status.last_error === null;
    },
    `the rebuild of ${MIRROR} to run and catch up`,
    timeoutMs,
  );
}

export async function alertsOfKind(server: Server, kind: string) {
  const body = (await request(server).get(`/v1/alerts?kind=${kind}&limit=100`).expect(200))
    .body as { items: Array<Record<string, unknown>> };
  return body.items;
}

/** A batch's documents as Firestore holds them. */
export async function readBatch(db: Firestore, batchId: string) {
  const parent = await db.doc(`prediction_batches/${batchId}`).get();
  const completions = await db.collection(`prediction_batches/${batchId}/completions`).get();
  return {
    parent,
    data: parent.data() ?? null,
    completions: new Map(completions.docs.map((doc) => [doc.id, doc.data()])),
  };
}

/** Every document under the mirror's collections, by path (completions included). */
export async function snapshotMirror(db: Firestore): Promise<Record<string, unknown>> {
  const documents: Record<string, unknown> = {};
  for (const collection of [
    'prediction_batches',
    'phase2_completion',
    'shotclock_legacy_mirror_state',
  ]) {
    for (const doc of (await db.collection(collection).get()).docs) {
      documents[doc.ref.path] = doc.data();
      for (const sub of await doc.ref.listCollections()) {
        for (const inner of (await sub.get()).docs) documents[inner.ref.path] = inner.data();
      }
    }
  }
  return documents;
}
