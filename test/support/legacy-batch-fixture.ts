import { SystemClock } from '../../src/common/clock/clock.js';
import { SqliteStorage } from '../../src/common/event-store/sqlite/sqlite-storage.js';

/** ../shared/fixtures/legacy-batch-document.json's document, verbatim (tests must not need that folder). */
export const LEGACY_BATCH_FIXTURE = {
  batch_id: 'batch_2026-01-20_1768910400',
  game_date: '2026-01-20',
  expected_players: 4,
  completed_players: ['lebron-james', 'stephen-curry', 'nikola-jokic'],
  failed_players: ['joel-embiid'],
  predictions_by_player: { 'lebron-james': 5, 'stephen-curry': 5, 'nikola-jokic': 4 },
  total_predictions: 14,
  is_complete: true,
  start_time: '2026-01-20T15:00:00Z',
  completion_time: '2026-01-20T15:09:12Z',
  correlation_id: 'corr-2026-01-20',
  created_at: '2026-01-20T15:00:00Z',
  updated_at: '2026-01-20T15:09:12Z',
};

/** The fixture file as it is: the document in a `{description, document}` wrapper. */
export const LEGACY_BATCH_FIXTURE_FILE = {
  description:
    'Legacy prediction batch document as stored in Firestore collection prediction_batches before the migration (completed_players grew with ArrayUnion). Used for importing history.',
  document: LEGACY_BATCH_FIXTURE,
};

/** Runs `work` on the SQLite store an import wrote (opened after the CLI exited), then closes it. */
export async function withImportedStore<T>(
  path: string,
  work: (storage: SqliteStorage) => Promise<T>,
): Promise<T> {
  const storage = new SqliteStorage(
    { path, synchronous: 'NORMAL', busyTimeoutMs: 5000, idempotencyTtlDays: () => 7 },
    new SystemClock(),
  );
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

/** Events in the log of the SQLite store at `path`. */
export const countLogEvents = (path: string) =>
  withImportedStore(path, async (storage) => {
    let count = 0;
    for await (const _ of storage.events.readAll()) count += 1;
    return count;
  });
