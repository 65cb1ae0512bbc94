import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import {
  documentBytes,
  FIRESTORE_MAX_DOCUMENT_BYTES,
  NUMBER_BYTES,
  stringBytes,
} from '../../src/modules/legacy-mirror/documents/firestore-document-size.js';
import { LEGACY_HEADROOM_BYTES } from '../../src/modules/legacy-mirror/documents/legacy-fields.js';
import { startFirestoreTarget, type FirestoreTarget } from '../support/firestore/index.js';
import { eventually } from '../support/test-timing.js';
import { appendOutcomes, freshProject, startMirrorApp, type MirrorApp } from './mirror-app.js';
import {
  alertsOfKind,
  batchView,
  createBatch,
  MIRROR,
  mirrored,
  readBatch,
  rebuildMirror,
  snapshotMirror,
} from './mirror-fixtures.js';

const BATCH = 'batch_2026-01-22_large';
const PLAYER_COUNT = 2800;
const MINUTE_MS = 60_000;
/** 190-character ids: each completed player takes 390 bytes of the legacy fields. */
const player = (n: number) => `player-${String(n).padStart(5, '0')}-${'x'.repeat(177)}`;
const predictions = (n: number) => (n % 9) + 1;

describe('legacy mirror: a batch past 1 MiB in the legacy layout, and a rebuild (real app, Firestore)', () => {
  let target: FirestoreTarget;
  let mirror: MirrorApp | undefined;
  beforeAll(async () => {
    target = await startFirestoreTarget();
  });
  afterEach(async () => {
    await mirror?.close();
    mirror = undefined;
  });
  afterAll(() => target.stop());

  it('stops the legacy fields before 1 MiB with an alert, keeps the subcollection whole, and rebuilds the same documents', async () => {
    const clock = new ManualClock('2026-01-22T15:00:00.000Z');
    mirror = await startMirrorApp(
      target,
      {
        ENABLE_SUBCOLLECTION_COMPLETIONS: 'true',
        DUAL_WRITE_MODE: 'true',
        USE_SUBCOLLECTION_READS: 'true',
      },
      { clock },
    );
    const { server, storage, db } = mirror;
    await createBatch(server, {
      batch_id: BATCH,
      game_date: '2026-01-22',
      expected_count: PLAYER_COUNT,
    });
    clock.advanceMs(MINUTE_MS);
    const players = Array.from({ length: PLAYER_COUNT }, (_, n) => player(n));
    await appendOutcomes(
      storage,
      clock,
      BATCH,
      players.map((id, n) => ({ player: id, predictions: predictions(n) })),
    );
    await eventually(
      async () => (await batchView(server, BATCH)).is_complete === true,
      'complete',
      60_000,
    );
    // After the stop: player 0 (listed in the legacy fields) succeeds again with another count.
    clock.advanceMs(MINUTE_MS);
    await appendOutcomes(storage, clock, BATCH, [{ player: players[0]!, predictions: 50 }]);
    await mirrored(server, 120_000);

    const total = players.reduce((sum, _, n) => sum + predictions(n), 0) - predictions(0) + 50;
    const { data, completions } = await readBatch(db, BATCH);
    // The subcollection holds every player, its counters and the batch total agree with the log.
    expect(completions.size).toBe(PLAYER_COUNT);
    expect(completions.get(players[0]!)?.predictions_count).toBe(50);
    expect(data).toMatchObject({
      completed_count: PLAYER_COUNT,
      total_predictions_subcoll: total,
      total_predictions: total,
      is_complete: true,
      legacy_write_stopped: true,
    });
    // The legacy fields hold the first players, frozen (player 0 keeps its first count) ...
    const listed = (data!.completed_players as string[]).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(PLAYER_COUNT);
    expect(data!.completed_players).toEqual(players.slice(0, listed));
    expect(data!.predictions_by_player).toEqual(
      Object.fromEntries(players.slice(0, listed).map((id, n) => [id, predictions(n)])),
    );
    expect(data!.legacy_write_stopped_reason).toBe(
      `legacy fields stopped at ${listed} completed players: the document would pass ${FIRESTORE_MAX_DOCUMENT_BYTES} bytes (1 MiB); the completions subcollection holds every player`,
    );
    // ... and stopped only when the next player would have crossed the limit (less the headroom).
    const bytes = documentBytes(`prediction_batches/${BATCH}`, data!);
    const nextEntry = 2 * stringBytes(players[listed]!) + NUMBER_BYTES;
    expect(bytes).toBeLessThanOrEqual(FIRESTORE_MAX_DOCUMENT_BYTES);
    expect(bytes + nextEntry + LEGACY_HEADROOM_BYTES).toBeGreaterThan(FIRESTORE_MAX_DOCUMENT_BYTES);

    const alerts = await alertsOfKind(server, 'legacy_mirror_document_too_large');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      alert_id: `legacy-mirror-document-too-large:${BATCH}`,
      severity: 'warning',
      details: { batch_id: BATCH, legacy_players: listed },
    });

    // The completion check reads both layouts: the legacy one lacks the players past the stop.
    await eventually(
      async () => (await batchView(server, BATCH)).legacy_mirror != null,
      'check',
      30_000,
    );
    expect((await batchView(server, BATCH)).legacy_mirror).toMatchObject({
      layout_read: 'both',
      mismatch_count: 1,
      mismatches: [
        {
          document: `prediction_batches/${BATCH}`,
          field: 'completed_players',
          expected: `${PLAYER_COUNT} completed players (the log)`,
          actual: `${listed} listed: legacy writes stopped before the document would pass 1 MiB`,
        },
      ],
    });

    // Rebuild: a document of the platform's own stays; what was tampered with is written again.
    await db.doc('prediction_batches/batch_written_by_the_platform').set({ batch_id: 'platform' });
    const before = await snapshotMirror(db);
    await db.doc(`prediction_batches/${BATCH}/completions/${players[7]!}`).delete();
    await db
      .doc(`prediction_batches/${BATCH}`)
      .update({ completed_count: 1, total_predictions: 3 });
    await rebuildMirror(server, 120_000);
    expect(await snapshotMirror(db)).toEqual(before);
    // The same stop again raises no second alert.
    expect(await alertsOfKind(server, 'legacy_mirror_document_too_large')).toHaveLength(1);
  }, 300_000);

  it('refuses to build on a checkpoint another event log wrote, until a rebuild', async () => {
    const clock = new ManualClock('2026-01-22T15:00:00.000Z');
    // A database another deployment mirrored: its checkpoint is ahead of this fresh log's start.
    const projectId = await freshProject(target);
    await target.client(projectId).doc(`shotclock_legacy_mirror_checkpoints/${MIRROR}`).set({
      position: '0000000000000001',
      resetting: false,
      log_id: '0000000000000001:some-other-event:2025-11-01T00:00:00.000Z',
    });
    mirror = await startMirrorApp(target, {}, { clock, projectId });
    const { server, db } = mirror;
    await createBatch(server, {
      batch_id: 'batch_foreign',
      game_date: '2026-01-22',
      expected_count: 3,
    });
    let lastError: string | null = null;
    await eventually(
      async () => {
        const { projections } = (await request(server).get('/v1/projections').expect(200)).body as {
          projections: Array<{ name: string; last_error: string | null }>;
        };
        lastError =
          projections.find((projection) => projection.name === MIRROR)?.last_error ?? null;
        return lastError !== null;
      },
      'the mirror to refuse the foreign checkpoint',
      30_000,
    );
    expect(lastError).toContain('its Firestore checkpoint was written from another event log');
    expect(lastError).toContain('POST /v1/projections/legacy-mirror/rebuild');
    expect((await readBatch(db, 'batch_foreign')).data).toBeNull();

    await rebuildMirror(server, 60_000);
    await mirrored(server);
    expect((await readBatch(db, 'batch_foreign')).data).toMatchObject({
      batch_id: 'batch_foreign',
    });
  }, 90_000);
});
