import { join } from 'node:path';
import { FieldPath, Timestamp } from '@google-cloud/firestore';
import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import { startFirestoreTarget, type FirestoreTarget } from '../support/firestore/index.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';
import { appendOutcomes, startMirrorApp, type MirrorApp, type Outcome } from './mirror-app.js';
import {
  batchView,
  createBatch,
  mirrored,
  pushAll,
  readBatch,
  success,
} from './mirror-fixtures.js';

const BATCH = 'batch_2026-01-22_layouts';
const CREATED_AT = '2026-01-22T15:00:00.000Z';
const FIRST_ROUND_AT = '2026-01-22T15:01:00.000Z';
const SECOND_ROUND_AT = '2026-01-22T15:02:00.000Z';
const MINUTE_MS = 60_000;
const at = (iso: string) => Timestamp.fromDate(new Date(iso));

// 998 generated players and two whose ids would break a dotted field path.
const PLAYERS = [
  ...Array.from({ length: 998 }, (_, n) => `player-${String(n).padStart(4, '0')}`),
  'karl-anthony-towns',
  'p.j.-washington',
];
const FAILS_ONLY = PLAYERS[5]!;
const FAILS_THEN_SUCCEEDS = 'karl-anthony-towns';
const RERUN = PLAYERS.slice(100, 200);
/** Re-sent over HTTP twice under one message id: the second is a redelivery the dedup drops. */
const REDELIVERED = PLAYERS[300]!;
const firstPredictions = (index: number) => (index % 7) + 1;
const rerunPredictions = (index: number) => firstPredictions(index) + 10;

/** What the log says each player ends with: latest predictions and when that success arrived. */
function expectedPlayers(): Map<string, { predictions: number; at: string }> {
  const players = new Map<string, { predictions: number; at: string }>();
  PLAYERS.forEach((player, index) => {
    if (player === FAILS_ONLY) return;
    const rerun = RERUN.includes(player) || player === REDELIVERED;
    players.set(player, {
      predictions: rerun ? rerunPredictions(index) : firstPredictions(index),
      at: rerun ? SECOND_ROUND_AT : FIRST_ROUND_AT,
    });
  });
  return players;
}

const COMBINATIONS = [
  { name: 'subcollection only', subcollection: true, dual: false, reads: true },
  { name: 'subcollection and legacy (dual write)', subcollection: true, dual: true, reads: true },
  { name: 'legacy only', subcollection: false, dual: false, reads: false },
  {
    name: 'legacy only (DUAL_WRITE_MODE without the subcollection)',
    subcollection: false,
    dual: true,
    reads: false,
  },
] as const;

describe('legacy mirror: a 1,000-player batch in each completion layout (real app, Firestore)', () => {
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

  it.each(COMBINATIONS)(
    '$name: every player once, duplicates not double counted, names with - and . intact',
    async (combination) => {
      const clock = new ManualClock(CREATED_AT);
      mirror = await startMirrorApp(
        target,
        {
          ENABLE_SUBCOLLECTION_COMPLETIONS: String(combination.subcollection),
          DUAL_WRITE_MODE: String(combination.dual),
          USE_SUBCOLLECTION_READS: String(combination.reads),
        },
        { clock },
      );
      const { server, storage, db } = mirror;
      await createBatch(server, {
        batch_id: BATCH,
        game_date: '2026-01-22',
        expected_players: PLAYERS,
        correlation_id: 'corr-layouts',
      });

      // Round 1: Karl fails, then every player but one succeeds (Karl too); one only fails.
      clock.advanceMs(MINUTE_MS);
      const firstRound: Outcome[] = [
        { player: FAILS_THEN_SUCCEEDS, failed: true },
        ...PLAYERS.map((player, index): Outcome =>
          player === FAILS_ONLY
            ? { player, failed: true }
            : { player, predictions: firstPredictions(index) },
        ),
      ];
      await appendOutcomes(storage, clock, BATCH, firstRound);
      await eventually(
        async () => (await batchView(server, BATCH)).is_complete === true,
        'complete',
        30_000,
      );

      // Round 2: 100 players succeed again with other counts; a success is followed by a failure
      // (the success stands); the failed player fails again; one rerun comes over HTTP, redelivered.
      clock.advanceMs(MINUTE_MS);
      await appendOutcomes(storage, clock, BATCH, [
        ...RERUN.map((player) => ({
          player,
          predictions: rerunPredictions(PLAYERS.indexOf(player)),
        })),
        { player: PLAYERS[10]!, failed: true },
        { player: FAILS_ONLY, failed: true },
      ]);
      const redelivered = success(
        BATCH,
        REDELIVERED,
        rerunPredictions(PLAYERS.indexOf(REDELIVERED)),
      );
      await pushAll(server, [
        { data: redelivered, messageId: 'rerun-300' },
        { data: redelivered, messageId: 'rerun-300' },
      ]);
      await mirrored(server);

      const players = expectedPlayers();
      const total = [...players.values()].reduce((sum, player) => sum + player.predictions, 0);
      const { parent, data, completions } = await readBatch(db, BATCH);
      expect(data).not.toBeNull();
      expect(Object.keys(data!).sort()).toEqual(
        [
          'batch_id',
          'game_date',
          'expected_players',
          'total_predictions',
          'is_complete',
          'start_time',
          'completion_time',
          'correlation_id',
          'stall_completed',
          'stall_reason',
          'created_at',
          'updated_at',
          ...(combination.subcollection ? ['completed_count', 'total_predictions_subcoll'] : []),
          ...(combination.subcollection && !combination.dual
            ? []
            : [
                'completed_players',
                'failed_players',
                'predictions_by_player',
                'legacy_write_stopped',
                'legacy_write_stopped_reason',
              ]),
        ].sort(),
      );
      expect(data).toMatchObject({
        batch_id: BATCH,
        game_date: '2026-01-22',
        expected_players: 1000,
        total_predictions: total,
        is_complete: true,
        correlation_id: 'corr-layouts',
        stall_completed: false,
        stall_reason: null,
      });
      expect(data!.start_time).toEqual(at(CREATED_AT));
      expect(data!.created_at).toEqual(at(CREATED_AT));
      expect(data!.completion_time).toEqual(at(FIRST_ROUND_AT));
      expect(data!.updated_at).toEqual(at(SECOND_ROUND_AT));

      if (combination.subcollection) {
        expect(data!.completed_count).toBe(999);
        expect(data!.total_predictions_subcoll).toBe(total);
        expect(completions.size).toBe(999);
        for (const [player, expected] of players) {
          expect([player, completions.get(player)]).toEqual([
            player,
            {
              player_lookup: player,
              predictions_count: expected.predictions,
              completed_at: at(expected.at),
            },
          ]);
        }
      } else {
        expect(completions.size).toBe(0);
      }

      if (!combination.subcollection || combination.dual) {
        // In the order each player first succeeded: the log's order.
        const firstSuccesses = firstRound
          .filter((outcome) => !('failed' in outcome))
          .map((outcome) => outcome.player);
        expect(data!.completed_players).toEqual(firstSuccesses);
        expect(data!.failed_players).toEqual([FAILS_ONLY]);
        expect(data!.predictions_by_player).toEqual(
          Object.fromEntries(
            [...players].map(([player, { predictions }]) => [player, predictions]),
          ),
        );
        expect(data!.legacy_write_stopped).toBe(false);
        expect(data!.legacy_write_stopped_reason).toBeNull();
        // One field each, not a path through maps named "p" and "j".
        expect(parent.get(new FieldPath('predictions_by_player', 'p.j.-washington'))).toBe(
          players.get('p.j.-washington')!.predictions,
        );
        expect(parent.get(new FieldPath('predictions_by_player', 'karl-anthony-towns'))).toBe(
          players.get('karl-anthony-towns')!.predictions,
        );
        expect(parent.get(new FieldPath('predictions_by_player', 'p'))).toBeUndefined();
      }
      if (combination.subcollection) {
        expect(completions.get('p.j.-washington')?.player_lookup).toBe('p.j.-washington');
        expect(completions.get('karl-anthony-towns')?.player_lookup).toBe('karl-anthony-towns');
      }

      // Every batch is checked (LEGACY_MIRROR_CHECK_PERCENT=100) once it completes, whenever the
      // mirror has written that; a check now reads the final documents. Both find them right.
      const layoutRead =
        combination.subcollection && combination.dual
          ? 'both'
          : combination.reads
            ? 'subcollection'
            : 'legacy';
      await eventually(
        async () => (await batchView(server, BATCH)).legacy_mirror !== null,
        'the completion check',
        30_000,
      );
      const atCompletion = (await batchView(server, BATCH)).legacy_mirror;
      expect(atCompletion).toMatchObject({
        layout_read: layoutRead,
        mismatch_count: 0,
        mismatches: [],
      });
      const now = await request(server)
        .post(`/v1/legacy-mirror/batches/${BATCH}/check`)
        .expect(200);
      expect(now.body).toEqual({
        checked_at: SECOND_ROUND_AT,
        layout_read: layoutRead,
        mirror_position: expect.any(String),
        mismatch_count: 0,
        mismatches: [],
      });
      await eventually(
        async () => (await batchView(server, BATCH)).legacy_mirror?.checked_at === SECOND_ROUND_AT,
        'the latest check in the batch view',
      );
    },
    180_000,
  );

  it('restart: stopped mid-batch and started again on the same log and database, every message counts once', async () => {
    const dir = makeTempDir('shotclock-mirror-restart-');
    const sqlitePath = join(dir.path, 'shotclock.sqlite');
    const flags = {
      ENABLE_SUBCOLLECTION_COMPLETIONS: 'true',
      DUAL_WRITE_MODE: 'true',
      USE_SUBCOLLECTION_READS: 'true',
    };
    const batchId = 'batch_2026-01-22_restart';
    const players = PLAYERS.slice(0, 300);
    const clock = new ManualClock(CREATED_AT);
    try {
      mirror = await startMirrorApp(target, flags, { clock, sqlitePath });
      const { projectId } = mirror;
      await createBatch(mirror.server, {
        batch_id: batchId,
        game_date: '2026-01-22',
        expected_players: players,
      });
      clock.advanceMs(MINUTE_MS);
      const first = players.slice(0, 200).map((player) => ({ player, predictions: 1 }));
      await appendOutcomes(mirror.storage, clock, batchId, first);
      // Stops the mirror wherever its catch-up stands; the next start resumes from its checkpoint.
      await mirror.close();
      mirror = await startMirrorApp(target, flags, { clock, sqlitePath, projectId });
      clock.advanceMs(MINUTE_MS);
      await appendOutcomes(mirror.storage, clock, batchId, [
        ...players.slice(200).map((player) => ({ player, predictions: 1 })),
        // 50 players succeed again: counted once, with their latest count.
        ...players.slice(0, 50).map((player) => ({ player, predictions: 2 })),
      ]);
      await mirrored(mirror.server);

      const { data, completions } = await readBatch(mirror.db, batchId);
      expect(completions.size).toBe(300);
      expect(data).toMatchObject({
        completed_count: 300,
        total_predictions: 350,
        total_predictions_subcoll: 350,
      });
      expect(data!.completed_players).toEqual(players);
      expect(
        Object.values(data!.predictions_by_player as Record<string, number>).reduce(
          (a, b) => a + b,
          0,
        ),
      ).toBe(350);
    } finally {
      await mirror?.close();
      mirror = undefined;
      dir.cleanup();
    }
  }, 120_000);
});
