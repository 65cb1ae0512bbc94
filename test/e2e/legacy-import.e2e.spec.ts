import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  countLogEvents,
  LEGACY_BATCH_FIXTURE_FILE,
  withImportedStore,
} from '../support/legacy-batch-fixture.js';
import { TEST_ENV } from '../support/test-app.js';
import { makeTempDir } from '../support/temp-dir.js';

const CLI_ENTRY = join(process.cwd(), '.build/src/cli/import-legacy-batches.js');

const FIXTURE = LEGACY_BATCH_FIXTURE_FILE;

/** A legacy document for `batchId`; `overrides` plant inconsistencies. */
function legacyDoc(batchId: string, gameDate: string, overrides: Record<string, unknown> = {}) {
  return {
    ...FIXTURE.document,
    batch_id: batchId,
    game_date: gameDate,
    correlation_id: `corr-${batchId}`,
    ...overrides,
  };
}

const ndjson = (lines: unknown[]) =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';

describe('npm run import:legacy-batches (compiled CLI, real SQLite file)', () => {
  const dir = makeTempDir('shotclock-legacy-');
  afterAll(() => dir.cleanup());

  const run = (sqlitePath: string, file: string) =>
    spawnSync(process.execPath, [CLI_ENTRY, file], {
      env: {
        PATH: process.env.PATH,
        ...TEST_ENV,
        SQLITE_PATH: sqlitePath,
        SQLITE_SYNCHRONOUS: 'NORMAL',
      },
      encoding: 'utf8',
    });

  it('imports NDJSON idempotently, reports bad lines and a planted mismatch (exit 3)', async () => {
    const sqlitePath = join(dir.path, 'ndjson.sqlite');
    const file = join(dir.path, 'export.ndjson');
    writeFileSync(
      file,
      ndjson([
        FIXTURE, // the fixture's {description, document} wrapper
        legacyDoc('batch_2026-01-21_1768996800', '2026-01-21', { is_complete: false }),
        'this line is not json',
        '',
        { game_date: '2026-01-23', expected_players: 'many' },
        // Planted: the counter says 14 but the players' predictions add up to 13.
        legacyDoc('batch_2026-01-22_1769083200', '2026-01-22', {
          predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 4, 'nikola-jokic': 4 },
        }),
      ]),
    );

    const first = run(sqlitePath, file);
    expect(first.status).toBe(3);
    expect(first.stderr).toContain('line 3: invalid legacy batch document: not JSON');
    expect(first.stderr).toMatch(/line 5: invalid legacy batch document: .*batch_id/);
    expect(first.stdout).toContain('imported 5/unknown');
    expect(first.stdout).toMatch(
      /batch_2026-01-20_1768910400 \(line 1\) imported: consistent \(completed 3\/3\/3, predictions 14\/14\/14, failed 1\/1\)/,
    );
    expect(first.stdout).toContain('batch_2026-01-21_1768996800 (line 2) imported: consistent');
    expect(first.stdout).toContain('batch_2026-01-22_1769083200 (line 6) imported: 1 mismatch(es)');
    expect(first.stdout).toContain(
      'MISMATCH predictions: total_predictions 14 vs sum of predictions_by_player 13 vs derived total_predictions 13',
    );
    expect(first.stdout).toContain(
      'summary: 5 document(s) read: 3 imported, 0 skipped (already imported), 2 rejected',
    );
    const eventsAfterFirst = await countLogEvents(sqlitePath);
    // 3 batches x (BatchCreated + 4 players); BatchCompleted for the two complete ones.
    expect(eventsAfterFirst).toBe(3 * 5 + 2);

    const read = await withImportedStore(sqlitePath, (storage) =>
      storage.readModels.get<Record<string, unknown>>('batches', 'batch_2026-01-20_1768910400'),
    );
    expect(read).toMatchObject({
      batch_id: 'batch_2026-01-20_1768910400',
      expected_players: 4,
      completed_count: 3,
      failed_count: 1,
      total_predictions: 14,
      is_complete: true,
      completion_reason: 'legacy_import',
    });

    const second = run(sqlitePath, file);
    expect(second.status).toBe(3);
    expect(second.stdout).toContain(
      'batch_2026-01-20_1768910400 (line 1) skipped (already imported): consistent',
    );
    expect(second.stdout).toContain(
      'batch_2026-01-22_1769083200 (line 6) skipped (already imported): 1 mismatch(es)',
    );
    expect(second.stdout).toContain('0 imported, 3 skipped (already imported), 2 rejected');
    expect(await countLogEvents(sqlitePath)).toBe(eventsAfterFirst);
  });

  it('imports a JSON array with progress every 1,000 documents, all consistent (exit 0)', async () => {
    const sqlitePath = join(dir.path, 'array.sqlite');
    const file = join(dir.path, 'export.json');
    const docs = Array.from({ length: 2500 }, (_, i) =>
      legacyDoc(`batch_hist_${String(i).padStart(5, '0')}`, '2025-12-01', {
        expected_players: 1,
        completed_players: ['lebron-james'],
        failed_players: [],
        predictions_by_player: { 'lebron-james': 5 },
        total_predictions: 5,
      }),
    );
    writeFileSync(file, JSON.stringify(docs));

    const result = run(sqlitePath, file);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('imported 1000/2500\n');
    expect(result.stdout).toContain('imported 2000/2500\n');
    expect(result.stdout).toContain('imported 2500/2500\n');
    expect(result.stdout).toContain(
      'summary: 2500 document(s) read: 2500 imported, 0 skipped (already imported), 0 rejected (invalid or conflicting); 2500 batch(es) consistent, 0 with mismatches',
    );
  });

  it('refuses a different document under an imported batch id (exit 4) and writes nothing', async () => {
    const sqlitePath = join(dir.path, 'conflict.sqlite');
    const original = join(dir.path, 'original.json');
    const changed = join(dir.path, 'changed.json');
    writeFileSync(original, JSON.stringify(FIXTURE, null, 2));
    writeFileSync(
      changed,
      JSON.stringify({ ...FIXTURE.document, completed_players: ['lebron-james'] }, null, 2),
    );

    expect(run(sqlitePath, original).status).toBe(0);
    const before = await countLogEvents(sqlitePath);
    const result = run(sqlitePath, changed);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain(
      'document: batch batch_2026-01-20_1768910400 was already imported from a different document',
    );
    expect(await countLogEvents(sqlitePath)).toBe(before);
  });

  it('still changes nothing on re-import after the idempotency keys expired (streams exist)', async () => {
    const sqlitePath = join(dir.path, 'expired.sqlite');
    const file = join(dir.path, 'expired.ndjson');
    writeFileSync(file, ndjson([FIXTURE]));
    expect(run(sqlitePath, file).status).toBe(0);
    const before = await countLogEvents(sqlitePath);
    // As after DEDUP_TTL_DAYS and the purge: the keys are gone, the events stay.
    const db = new DatabaseSync(sqlitePath);
    db.exec("DELETE FROM idempotency_keys WHERE key LIKE 'legacy-import:%'");
    db.close();

    const again = run(sqlitePath, file);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(
      'batch_2026-01-20_1768910400 (line 1) skipped (already imported): consistent',
    );
    expect(await countLogEvents(sqlitePath)).toBe(before);
  });

  it('accepts timestamps as Python writes them (naive means UTC) and rejects a malformed one', async () => {
    const sqlitePath = join(dir.path, 'python-times.sqlite');
    const file = join(dir.path, 'python-times.ndjson');
    writeFileSync(
      file,
      ndjson([
        // str(datetime): naive, with a space.
        legacyDoc('batch_py_naive', '2026-11-28', {
          start_time: '2026-11-28 00:00:00',
          completion_time: '2026-11-28 00:09:12',
          created_at: '2026-11-28 00:00:00',
          updated_at: '2026-11-28 00:09:12',
        }),
        // str() of an aware datetime with microseconds.
        legacyDoc('batch_py_aware', '2026-11-29', {
          start_time: '2026-11-29 00:00:00.123456+00:00',
          completion_time: '2026-11-29 01:09:12.654321+01:00',
          created_at: '2026-11-29 00:00:00.123456+00:00',
          updated_at: '2026-11-29 01:09:12.654321+01:00',
        }),
        legacyDoc('batch_py_bad', '2026-11-30', { start_time: '2026-11-30 25:00:00' }),
      ]),
    );

    const result = run(sqlitePath, file);
    expect(result.stderr).toMatch(/^line 3: invalid legacy batch document: start_time: .*\n$/);
    expect(result.status).toBe(4);
    expect(result.stdout).toContain(
      'summary: 3 document(s) read: 2 imported, 0 skipped (already imported), 1 rejected',
    );
    const views = await withImportedStore(sqlitePath, async (storage) => ({
      naive: await storage.readModels.get<Record<string, unknown>>('batches', 'batch_py_naive'),
      aware: await storage.readModels.get<Record<string, unknown>>('batches', 'batch_py_aware'),
      bad: await storage.readModels.get<Record<string, unknown>>('batches', 'batch_py_bad'),
    }));
    expect(views.naive).toMatchObject({
      started_at: '2026-11-28T00:00:00Z',
      completed_at: '2026-11-28T00:09:12Z',
      is_complete: true,
    });
    expect(views.aware).toMatchObject({
      started_at: '2026-11-29T00:00:00.123456+00:00',
      completed_at: '2026-11-29T01:09:12.654321+01:00',
      is_complete: true,
    });
    expect(views.bad).toBeNull();
  });

  it('answers usage errors with exit 2 and an unreadable file with exit 1', () => {
    const sqlitePath = join(dir.path, 'usage.sqlite');
    const usage = spawnSync(process.execPath, [CLI_ENTRY], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run import:legacy-batches -- FILE');
    const missing = run(sqlitePath, join(dir.path, 'nope.ndjson'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });
});
