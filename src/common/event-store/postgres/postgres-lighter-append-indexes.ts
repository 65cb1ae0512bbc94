/**
 * Migration 9: fewer index entries written per append, on new and existing databases.
 *
 * - `events_pkey` (global_position) goes: the sequence already makes positions unique, and no
 *   query looks events up or orders them by position alone. Reads use `events_log_order`
 *   (transaction_id, global_position), stream reads and the version check use
 *   `events_stream_version`, and duplicate ids are detected by `events_event_id_key`, whose name
 *   postgres-append.ts matches. Each append wrote one btree entry per event into it for nothing.
 * - `idempotency_keys_expiry` becomes a BRIN index: keys are written in nearly increasing expiry
 *   order (now + a fixed TTL), so a block range summary serves the purge (`expires_at_ms <= now`)
 *   as well, while a keyed append no longer adds a btree entry. Counting live keys
 *   (GET /v1/dedup/stats, on demand) now reads the table instead of the index.
 *
 * EXPLAIN of every query on a filled log, and the append cost before and after, are in
 * docs/benchmarks.md. The migration runs in the migration transaction: dropping the key is
 * instant; building the BRIN index reads idempotency_keys once while appends wait.
 */
export const LIGHTER_APPEND_INDEXES = `
  ALTER TABLE events DROP CONSTRAINT events_pkey;
  DROP INDEX idempotency_keys_expiry;
  CREATE INDEX idempotency_keys_expiry ON idempotency_keys USING brin (expires_at_ms);
`;
