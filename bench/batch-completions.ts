import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EventLog, StreamWrite } from '../src/common/event-store/index.js';
import {
  BATCH_EVENTS,
  playerStream,
  type PredictionCompleted,
} from '../src/modules/batches/batch.events.js';
import { player } from './completion-envelopes.js';
import { measure, type Measurement } from './timing.js';

export interface CompletionRun {
  batchId: string;
  gameDate: string;
  /** Player ids are `player(prefix, 0..players-1)`, the same as the batch's expected list. */
  prefix: string;
  players: number;
  /** Completions per appendMulti (one transaction, one idempotency key). */
  chunk: number;
}

function completion(run: CompletionRun, n: number, completedAt: string): PredictionCompleted {
  return {
    batch_id: run.batchId,
    player_lookup: player(run.prefix, n),
    game_date: run.gameDate,
    predictions_generated: 5,
    worker_instance: 'prediction-worker-bench',
    completed_at: completedAt,
    message_id: `bench-${run.prefix}-${n}`,
  };
}

/**
 * Completes every player through the storage port: PredictionCompleted on each player's stream
 * (as the push handler writes it), `chunk` players per appendMulti under one idempotency key.
 */
export function completeThroughPort(events: EventLog, run: CompletionRun): Promise<Measurement> {
  return measure(run.players, async () => {
    for (let start = 0; start < run.players; start += run.chunk) {
      const completedAt = new Date().toISOString();
      const writes: StreamWrite[] = [];
      for (let n = start; n < Math.min(run.players, start + run.chunk); n++) {
        writes.push({
          streamId: playerStream(run.batchId, player(run.prefix, n)),
          events: [
            {
              type: BATCH_EVENTS.predictionCompleted,
              data: completion(run, n, completedAt),
              metadata: { source: 'bench', messageId: `bench-${run.prefix}-${n}` },
            },
          ],
          expectedVersion: 'any',
        });
      }
      await events.appendMulti(writes, { idempotencyKey: `bench:${run.batchId}:${start}` });
    }
  });
}

/**
 * The baseline: bare node:sqlite writing the same rows (same events table, same JSON, one stream
 * per player, `chunk` rows per transaction, one key row per transaction), no port.
 */
export function completeWithRawSqlite(
  dir: string,
  run: CompletionRun,
  synchronous: string,
): Promise<Measurement> {
  const db = new DatabaseSync(join(dir, 'raw-completions.sqlite'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL, UNIQUE (stream_id, stream_version))`);
  db.exec('CREATE TABLE keys (key TEXT PRIMARY KEY, result TEXT NOT NULL) WITHOUT ROWID');
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const key = db.prepare('INSERT INTO keys (key, result) VALUES (?, ?)');
  return measure(run.players, () => {
    for (let start = 0; start < run.players; start += run.chunk) {
      const completedAt = new Date().toISOString();
      db.exec('BEGIN IMMEDIATE');
      for (let n = start; n < Math.min(run.players, start + run.chunk); n++) {
        insert.run(
          randomUUID(),
          playerStream(run.batchId, player(run.prefix, n)),
          1,
          BATCH_EVENTS.predictionCompleted,
          JSON.stringify(completion(run, n, completedAt)),
          JSON.stringify({ source: 'bench', messageId: `bench-${run.prefix}-${n}` }),
          completedAt,
        );
      }
      key.run(`bench:${run.batchId}:${start}`, '{}');
      db.exec('COMMIT');
    }
  }).finally(() => db.close());
}
