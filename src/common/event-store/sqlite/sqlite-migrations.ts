export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Versioned schema; append new migrations, never edit applied ones. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, idempotency keys, projections, read models',
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        UNIQUE (stream_id, stream_version)
      );
      CREATE TABLE idempotency_keys (
        key TEXT PRIMARY KEY,
        result TEXT NOT NULL,
        fingerprint TEXT,
        created_at TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE projection_checkpoints (
        name TEXT PRIMARY KEY,
        position TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE read_models (
        collection TEXT NOT NULL,
        key TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (collection, key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'durable timers',
    sql: `
      CREATE TABLE timers (
        timer_id TEXT PRIMARY KEY,
        stream_id TEXT NOT NULL,
        due_at_ms INTEGER NOT NULL,
        event TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled')),
        created_at TEXT NOT NULL,
        fired_at TEXT
      );
      CREATE INDEX timers_due ON timers (state, due_at_ms);
    `,
  },
  {
    version: 3,
    name: 'outbox deliveries and embedded publisher',
    sql: `
      CREATE TABLE outbox_deliveries (
        message_id TEXT PRIMARY KEY,
        topic TEXT NOT NULL,
        event_id TEXT NOT NULL,
        position TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        delivered_at TEXT,
        last_error TEXT
      );
      CREATE INDEX outbox_deliveries_topic ON outbox_deliveries (topic, position);
      CREATE TABLE embedded_messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        attributes TEXT NOT NULL,
        body TEXT NOT NULL,
        published_at TEXT NOT NULL
      );
      CREATE INDEX embedded_messages_topic ON embedded_messages (topic, seq);
    `,
  },
  {
    version: 4,
    name: 'leases of singleton jobs',
    sql: `
      CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'quarantined raw bodies, bounded by a running total',
    sql: `
      CREATE TABLE quarantine_bodies (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        body BLOB NOT NULL,
        body_bytes INTEGER NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE TABLE quarantine_body_usage (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        bytes INTEGER NOT NULL,
        bodies INTEGER NOT NULL
      );
      INSERT INTO quarantine_body_usage (singleton, bytes, bodies) VALUES (1, 0, 0);
    `,
  },
  {
    version: 6,
    name: 'write probe (readiness checks that a refused disk takes writes again)',
    sql: `
      CREATE TABLE write_probe (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        probed_at TEXT NOT NULL
      );
    `,
  },
];
