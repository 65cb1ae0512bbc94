import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../support/firestore/index.js';
import {
  FIXTURE_COMPLETIONS,
  legacyBatch,
  subcollectionCounters,
  writeLegacyBatches,
} from '../support/legacy-batches-in-firestore.js';
import {
  countLogEvents,
  LEGACY_BATCH_FIXTURE,
  withImportedStore,
} from '../support/legacy-batch-fixture.js';
import { makeTempDir } from '../support/temp-dir.js';
import { TEST_ENV } from '../support/test-app.js';

const CLI_ENTRY = join(process.cwd(), '.build/src/cli/import-legacy-batches.js');

/** More single-player batches than FIRESTORE_PAGE_SIZE (100) holds: the import crosses pages. */
const HISTORY_BATCHES = 230;

/** What every run over the dated batches says on stderr, in document id order. */
const STDERR_OF_THE_DATED_BATCHES =
  'warning: prediction_batches/batch_2026-01-22_mixed: unknown field(s) ignored: stall_reason ' +
  '(later documents with them are only counted)\n' +
  'prediction_batches/batch_2026-01-23_bad: invalid legacy batch document: ' +
  'expected_players: Invalid input: expected number, received string\n';

describe('npm run import:legacy-batches -- --from-firestore (compiled CLI, Firestore target)', () => {
  const dir = makeTempDir('shotclock-legacy-firestore-');
  let target: FirestoreTarget;
  let projectId: string;
  let db: Firestore;

  beforeAll(async () => {
    target = await startFirestoreTarget();
    projectId = uniqueFirestoreProjectId('legacy-e2e');
    db = target.client(projectId);
    await writeLegacyBatches(db, 'prediction_batches', [
      { doc: LEGACY_BATCH_FIXTURE },
      {
        doc: legacyBatch('batch_2026-01-21_subcollection', '2026-01-21', {
          completed_players: [],
          predictions_by_player: {},
          total_predictions: 0,
          ...subcollectionCounters(FIXTURE_COMPLETIONS),
        }),
        completions: FIXTURE_COMPLETIONS,
      },
      {
        // Dual-written, not atomically: stephen-curry's subcollection write was lost.
        doc: legacyBatch('batch_2026-01-22_mixed', '2026-01-22', {
          ...subcollectionCounters(FIXTURE_COMPLETIONS),
          stall_reason: null,
        }),
        completions: FIXTURE_COMPLETIONS.filter((c) => c.player !== 'stephen-curry'),
      },
      { doc: { ...legacyBatch('batch_2026-01-23_bad', '2026-01-23'), expected_players: 'many' } },
      ...Array.from({ length: HISTORY_BATCHES }, (_, i) => ({
        doc: legacyBatch(`batch_2025-12-01_hist_${String(i).padStart(3, '0')}`, '2025-12-01', {
          expected_players: 1,
          completed_players: ['lebron-james'],
          failed_players: [],
          predictions_by_player: { 'lebron-james': 5 },
          total_predictions: 5,
        }),
      })),
    ]);
  });

  afterAll(async () => {
    await target.stop();
    dir.cleanup();
  });

  const run = (sqlitePath: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI_ENTRY, ...args], {
      env: {
        PATH: process.env.PATH,
        ...TEST_ENV,
        ...target.env(projectId),
        SQLITE_PATH: sqlitePath,
        SQLITE_SYNCHRONOUS: 'NORMAL',
        ...env,
      },
      encoding: 'utf8',
    });

  it('imports both layouts across pages, reports the bad document and the layouts disagreeing (exit 3), then imports nothing new', async () => {
    const sqlitePath = join(dir.path, 'all.sqlite');
    const total = HISTORY_BATCHES + 4;

    const first = run(sqlitePath, ['--from-firestore']);
    expect(first.stderr).toBe(STDERR_OF_THE_DATED_BATCHES);
    expect(first.status).toBe(3);
    expect(first.stdout).toContain(
      `importing Firestore prediction_batches of project ${projectId}, database (default)\n`,
    );
    expect(first.stdout).toContain(`imported ${total}/${total}\n`);
    expect(first.stdout).toContain(
      'warning: unknown fields ignored: stall_reason in 1 document(s) (first prediction_batches/batch_2026-01-22_mixed)',
    );
    expect(first.stdout).toMatch(
      /batch_2026-01-20_1768910400 \(prediction_batches\/batch_2026-01-20_1768910400\) imported: consistent \(completed 3\/3\/3, predictions 14\/14\/14, failed 1\/1\)/,
    );
    expect(first.stdout).toContain(
      'batch_2026-01-21_subcollection (prediction_batches/batch_2026-01-21_subcollection) imported: consistent (completed 3/3/3, predictions 14/14/14, failed 1/1)',
    );
    expect(first.stdout).toContain(
      'batch_2026-01-22_mixed (prediction_batches/batch_2026-01-22_mixed) imported: 3 mismatch(es)',
    );
    expect(first.stdout).toContain(
      '  MISMATCH subcollection completions: completed_count 3 vs completion documents 2\n' +
        '  MISMATCH subcollection predictions: total_predictions_subcoll 14 vs sum of predictions_count 9\n' +
        '  MISMATCH layouts disagree on completed players: only in the completions subcollection none; only in completed_players 1 (stephen-curry)\n',
    );
    expect(first.stdout).toContain(
      `summary: ${total} document(s) read: ${total - 1} imported, 0 skipped (already imported), 1 rejected (invalid or conflicting); ` +
        `${total - 2} batch(es) consistent, 1 with mismatches`,
    );
    const eventsAfterFirst = await countLogEvents(sqlitePath);
    // Three four-player batches (BatchCreated + 4 players + BatchCompleted), the history
    // (BatchCreated + 1 player + BatchCompleted each).
    expect(eventsAfterFirst).toBe(3 * 6 + HISTORY_BATCHES * 3);
    const subcollectionView = await withImportedStore(sqlitePath, (storage) =>
      storage.readModels.get<Record<string, unknown>>('batches', 'batch_2026-01-21_subcollection'),
    );
    expect(subcollectionView).toMatchObject({
      completed_count: 3,
      failed_count: 1,
      total_predictions: 14,
      is_complete: true,
    });

    const second = run(sqlitePath, ['--from-firestore']);
    expect(second.status).toBe(3);
    expect(second.stdout).toContain(
      'batch_2026-01-21_subcollection (prediction_batches/batch_2026-01-21_subcollection) skipped (already imported): consistent',
    );
    expect(second.stdout).toContain(
      `summary: ${total} document(s) read: 0 imported, ${total - 1} skipped (already imported), 1 rejected`,
    );
    expect(await countLogEvents(sqlitePath)).toBe(eventsAfterFirst);
  });

  it('imports only game dates from --since on', () => {
    const result = run(join(dir.path, 'since.sqlite'), [
      '--from-firestore',
      '--since',
      '2026-01-21',
    ]);
    expect(result.stderr).toBe(STDERR_OF_THE_DATED_BATCHES);
    expect(result.stdout).toContain(
      `importing Firestore prediction_batches of project ${projectId}, database (default), game_date >= 2026-01-21\n`,
    );
    expect(result.stdout).toContain('imported 3/3\n');
    expect(result.stdout).toContain('batch_2026-01-21_subcollection (');
    expect(result.stdout).not.toContain('batch_2026-01-20_1768910400 (');
    expect(result.stdout).not.toContain('hist_');
    expect(result.stdout).toContain(
      'summary: 3 document(s) read: 2 imported, 0 skipped (already imported), 1 rejected',
    );
    expect(result.status).toBe(3);
  });

  it('reads another --collection; all consistent is exit 0', async () => {
    await writeLegacyBatches(db, 'consistent_batches', [
      { doc: LEGACY_BATCH_FIXTURE, completions: FIXTURE_COMPLETIONS },
      {
        doc: legacyBatch('batch_2026-01-21_subcollection', '2026-01-21', {
          completed_players: [],
          predictions_by_player: {},
          total_predictions: 0,
          ...subcollectionCounters(FIXTURE_COMPLETIONS),
        }),
        completions: FIXTURE_COMPLETIONS,
      },
    ]);
    const result = run(join(dir.path, 'consistent.sqlite'), [
      '--from-firestore',
      '--collection',
      'consistent_batches',
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(
      'summary: 2 document(s) read: 2 imported, 0 skipped (already imported), 0 rejected (invalid or conflicting); 2 batch(es) consistent, 0 with mismatches',
    );
    expect(result.status).toBe(0);
  });

  it('answers --help (exit 0), usage errors (exit 2) and a bad Firestore setting (exit 1)', () => {
    const sqlitePath = join(dir.path, 'usage.sqlite');
    const help = run(sqlitePath, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--from-firestore');
    expect(help.stdout).toContain('--since DATE');

    const usage = run(sqlitePath, ['--from-firestore', 'export.ndjson']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--from-firestore takes no FILE (got export.ndjson)');
    expect(usage.stderr).toContain('usage: npm run import:legacy-batches -- FILE');

    const badSince = run(sqlitePath, ['--from-firestore', '--since', 'yesterday']);
    expect(badSince.status).toBe(2);
    expect(badSince.stderr).toContain('--since yesterday: expected a game date YYYY-MM-DD');

    const badDatabase = run(sqlitePath, ['--from-firestore'], {
      FIRESTORE_DATABASE_ID: 'Not_A_Db',
    });
    expect(badDatabase.status).toBe(1);
    expect(badDatabase.stderr).toContain(
      'FIRESTORE_DATABASE_ID=Not_A_Db: expected a Firestore database id',
    );
  });
});
