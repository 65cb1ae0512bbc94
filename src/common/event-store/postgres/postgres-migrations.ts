import { errorMessage } from '../../errors/error-message.js';
import { APPEND_EVENTS_FUNCTION } from './postgres-append-function.js';
import { APPEND_EVENTS_FUNCTION_V5 } from './postgres-append-function-v5.js';
import { LIGHTER_APPEND_INDEXES } from './postgres-lighter-append-indexes.js';
import type { PostgresPool } from './postgres-pool.js';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Versioned schema; append new migrations, never edit applied ones. Text that is compared or
 * ordered uses COLLATE "C" (byte order, as SQLite compares), whatever the database's collation.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'event log, idempotency keys, projections, read models',
    sql: `
      CREATE SEQUENCE events_global_position AS bigint;
      CREATE TABLE events (
        global_position bigint NOT NULL DEFAULT nextval('events_global_position') PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_id text COLLATE "C" NOT NULL UNIQUE,
        stream_id text COLLATE "C" NOT NULL,
        stream_version integer NOT NULL,
        type text COLLATE "C" NOT NULL,
        data json NOT NULL,
        metadata json NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT events_stream_version UNIQUE (stream_id, stream_version)
      );
      ALTER SEQUENCE events_global_position OWNED BY events.global_position;
      CREATE INDEX events_log_order ON events (transaction_id, global_position);
      CREATE TABLE idempotency_keys (
        key text COLLATE "C" PRIMARY KEY,
        result json NOT NULL,
        fingerprint text,
        created_at timestamptz NOT NULL,
        expires_at_ms bigint NOT NULL
      );
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at_ms);
      CREATE TABLE projection_checkpoints (
        name text COLLATE "C" PRIMARY KEY,
        position text COLLATE "C",
        updated_at timestamptz NOT NULL
      );
      CREATE TABLE read_models (
        collection text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        doc jsonb NOT NULL,
        PRIMARY KEY (collection, key)
      );
    `,
  },
  {
    version: 2,
    name: 'durable timers',
    sql: `
      CREATE TABLE timers (
        timer_id text COLLATE "C" PRIMARY KEY,
        stream_id text COLLATE "C" NOT NULL,
        due_at_ms bigint NOT NULL,
        event json NOT NULL,
        state text NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled')),
        created_at timestamptz NOT NULL,
        fired_at timestamptz
      );
      CREATE INDEX timers_due ON timers (state, due_at_ms);
    `,
  },
  {
    version: 3,
    name: 'outbox deliveries and embedded publisher',
    sql: `
      CREATE TABLE outbox_deliveries (
        message_id text COLLATE "C" PRIMARY KEY,
        topic text COLLATE "C" NOT NULL,
        event_id text NOT NULL,
        position text COLLATE "C" NOT NULL,
        attempts integer NOT NULL,
        delivered_at timestamptz,
        last_error text
      );
      CREATE INDEX outbox_deliveries_topic ON outbox_deliveries (topic, position);
      CREATE TABLE embedded_messages (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        message_id text NOT NULL,
        topic text COLLATE "C" NOT NULL,
        attributes json NOT NULL,
        body json NOT NULL,
        published_at timestamptz NOT NULL
      );
      CREATE INDEX embedded_messages_order ON embedded_messages (transaction_id, seq);
    `,
  },
  {
    version: 4,
    name: 'leases of singleton jobs',
    sql: `
      CREATE TABLE leases (
        name text COLLATE "C" PRIMARY KEY,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL,
        acquired_at timestamptz NOT NULL,
        renewed_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'append in one statement (append_events)',
    sql: APPEND_EVENTS_FUNCTION_V5,
  },
  {
    version: 6,
    name: 'appends with one idempotency key take turns (append_events)',
    sql: APPEND_EVENTS_FUNCTION,
  },
  {
    version: 7,
    name: 'quarantined raw bodies, bounded by a running total',
    sql: `
      CREATE TABLE quarantine_bodies (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text COLLATE "C" NOT NULL UNIQUE,
        body bytea NOT NULL,
        body_bytes bigint NOT NULL,
        received_at timestamptz NOT NULL
      );
      CREATE TABLE quarantine_body_usage (
        singleton boolean PRIMARY KEY CHECK (singleton),
        bytes bigint NOT NULL,
        bodies bigint NOT NULL
      );
      INSERT INTO quarantine_body_usage (singleton, bytes, bodies) VALUES (true, 0, 0);
    `,
  },
  {
    version: 8,
    name: 'write probe (readiness checks that a server that refused writes takes them again)',
    sql: `
      CREATE TABLE write_probe (
        singleton boolean PRIMARY KEY CHECK (singleton),
        probed_at timestamptz NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'lighter appends: no primary key on events, a BRIN index on key expiry',
    sql: LIGHTER_APPEND_INDEXES,
  },
];

/**
 * Creates the schema and applies missing migrations in one transaction under a transaction-level
 * advisory lock on the schema's name, so instances starting together migrate one after the other
 * (the second finds everything applied). CREATE SCHEMA IF NOT EXISTS itself races without the lock.
 */
export async function migrate(
  pool: PostgresPool,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<void> {
  const { schema, statementTimeoutMs } = pool.options;
  try {
    await pool.transaction(`migrate schema ${schema}`, async (client) => {
      // Waiting for another instance's migration is expected here, not a busy store.
      await client.query(`SET LOCAL lock_timeout = ${Math.round(statementTimeoutMs)}`);
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `shotclock:migrate:${schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`,
      );
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${schema}.schema_migrations`,
      );
      const applied = new Set(rows.map((row) => Number(row.version)));
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, $2, now())`,
          [migration.version, migration.name],
        );
      }
    });
  } catch (error) {
    throw new Error(
      `migrating PostgreSQL schema ${schema} failed: ${errorMessage(error)}; check DATABASE_URL, the role's CREATE rights and the schema_migrations table`,
      { cause: error },
    );
  }
}
