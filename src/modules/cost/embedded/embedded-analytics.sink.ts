import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANALYTICS_TABLES,
  TABLE_LAYOUTS,
  type AnalyticsRows,
  type AnalyticsTable,
} from '../analytics-rows.js';
import { TABLE_COLUMNS, type ColumnSpec } from '../analytics-columns.js';
import {
  describeStorageFault,
  isStorageFault,
} from '../../../common/event-store/sqlite/sqlite-errors.js';
import type {
  AnalyticsSink,
  LoadResult,
  QueryRequest,
  QueryResult,
  TableReport,
} from '../analytics-sink.port.js';
import {
  billedTableBytes,
  estimateScanBytes,
  valueBytes,
  type PartitionRange,
} from './bigquery-bytes.estimator.js';
import {
  addColumnSql,
  createTableSql,
  partitionIndexName,
  partitionIndexSql,
} from './embedded-table.ddl.js';
import {
  embeddedTableName,
  translateQuery,
  UnsupportedAnalyticsQueryError,
  type TableReference,
} from './embedded-query.translator.js';

export interface EmbeddedSinkOptions {
  /** The service's SQLite file (config.store.sqlitePath). */
  path: string;
  busyTimeoutMs: number;
  dataset: string;
  /** BIGQUERY_MIN_BILLED_BYTES_PER_TABLE (10 MiB unless configured). */
  minBilledBytesPerTable?: number;
}

/** How many times (a count, not a duration) the write lock is tried within TIMEOUT_STORE_BUSY_MS. */
const WRITE_LOCK_TRIES = 50;
const SQLITE_BUSY = 5;
/** SQLITE_BUSY (duck-typed: node:sqlite errors may come from another realm under test runners). */
const isBusy = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { errcode?: unknown }).errcode === SQLITE_BUSY ||
    /database is locked/i.test(String((error as { message?: unknown }).message)));

/** A query whose estimated billed bytes exceed its maximumBytesBilled (BigQuery fails it too). */
export class BytesBilledLimitExceededError extends Error {}

type Specs = Record<string, ColumnSpec>;
const specsOf = (table: AnalyticsTable) => TABLE_COLUMNS[table] as Specs;
const normalizeSql = (sql: string) =>
  sql.replace(/\s+/g, ' ').replace(/"/g, '').trim().toLowerCase();

/**
 * The default analytics sink: the tables live in the service's SQLite file, as
 * `<dataset>__workflow_decisions` and `<dataset>__workflow_executions`, written through a
 * connection of its own (the event store's connection is not shared). Query statistics are
 * estimates of what BigQuery would bill (`estimated: true`).
 */
export class EmbeddedAnalyticsSink implements AnalyticsSink {
  readonly kind = 'embedded' as const;
  private readonly db: DatabaseSync;
  private readonly mismatched = new Map<AnalyticsTable, string>();
  private ensured: Promise<TableReport[]> | null = null;

  constructor(private readonly options: EmbeddedSinkOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path);
    // No blocking busy wait: the event store in this process may hold the write lock across an
    // await (async projection batches), which a synchronous wait here would never let finish.
    // beginWrite() retries asynchronously for up to busyTimeoutMs instead.
    this.db.exec('PRAGMA busy_timeout = 0');
    this.db.exec('PRAGMA journal_mode = WAL');
  }

  ensureTables(): Promise<TableReport[]> {
    const run = async () => {
      await this.beginWrite('creating or altering the embedded analytics tables');
      try {
        const reports = ANALYTICS_TABLES.map((table) => this.ensureTable(table));
        this.db.exec('COMMIT');
        return reports;
      } catch (error) {
        this.rollback();
        throw error;
      }
    };
    this.ensured = run();
    this.ensured.catch(() => {
      this.ensured = null; // a failed check is retried by the next call
    });
    return this.ensured;
  }

  async load<T extends AnalyticsTable>(
    table: T,
    rows: ReadonlyArray<AnalyticsRows[T]>,
  ): Promise<LoadResult> {
    await this.ready();
    this.assertUsable(table);
    const started = performance.now();
    const specs = specsOf(table);
    const columns = Object.keys(specs);
    const naturalId = TABLE_LAYOUTS[table].naturalId;
    const statement = this.db.prepare(
      `INSERT INTO "${embeddedTableName(this.options.dataset, table)}" (${columns.join(', ')}) ` +
        `VALUES (${columns.map((column) => `@${column}`).join(', ')}) ` +
        `ON CONFLICT(${naturalId}) DO UPDATE SET ` +
        columns
          .filter((column) => column !== naturalId)
          .map((column) => `${column} = excluded.${column}`)
          .join(', '),
    );
    let bytes = 0;
    const target = embeddedTableName(this.options.dataset, table);
    await this.beginWrite(`loading ${rows.length} rows into embedded table ${target}`);
    try {
      for (const row of rows) {
        const record = row as unknown as Record<string, unknown>;
        const values: Record<string, SQLInputValue> = {};
        for (const column of columns) {
          values[column] = encode(specs[column]!, record[column]);
          bytes += valueBytes(specs[column]!, record[column]);
        }
        statement.run(values);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.rollback();
      const operation = `loading ${rows.length} rows into embedded table ${target}`;
      const detail = isStorageFault(error)
        ? describeStorageFault(this.options.path, operation, error)
        : (error as Error).message;
      throw new Error(`${operation} failed (nothing written; the export retries): ${detail}`, {
        cause: error,
      });
    }
    return {
      rows: rows.length,
      bytes,
      statistics: {
        jobId: `embedded-load-${randomUUID()}`,
        totalBytesProcessed: 0,
        totalBytesBilled: 0,
        cacheHit: false,
        durationMs: Math.round(performance.now() - started),
        estimated: true,
      },
    };
  }

  async query(request: QueryRequest): Promise<QueryResult> {
    await this.ready();
    const started = performance.now();
    const translated = translateQuery(request.sql, request.params, this.options.dataset);
    let processed = 0;
    let billed = 0;
    for (const reference of translated.tables) {
      this.assertUsable(reference.table);
      const bytes = this.scanBytes(reference);
      processed += bytes;
      billed += billedTableBytes(bytes, this.options.minBilledBytesPerTable);
    }
    if (billed > request.maximumBytesBilled) {
      throw new BytesBilledLimitExceededError(
        `query ${request.name} would bill an estimated ${billed} bytes, over its maximumBytesBilled of ${request.maximumBytesBilled}; narrow its date range or raise BIGQUERY_MAX_BYTES_BILLED`,
      );
    }
    let rows: Array<Record<string, unknown>> = [];
    if (!request.dryRun) {
      try {
        rows = this.db.prepare(translated.sql).all(translated.params) as Array<
          Record<string, unknown>
        >;
      } catch (error) {
        throw new UnsupportedAnalyticsQueryError(
          `query ${request.name} failed on the embedded sink (supported: plain SELECT with WHERE, GROUP BY, COUNT/SUM/AVG, DATE(col)): ${(error as Error).message}`,
        );
      }
    }
    return {
      rows,
      statistics: {
        jobId: null,
        totalBytesProcessed: processed,
        totalBytesBilled: billed,
        cacheHit: false,
        durationMs: Math.round(performance.now() - started),
        estimated: true,
      },
    };
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * BEGIN IMMEDIATE, retried without blocking the event loop while another connection writes;
   * gives up after busyTimeoutMs (TIMEOUT_STORE_BUSY_MS) with an error naming the operation.
   */
  private async beginWrite(operation: string): Promise<void> {
    const deadline = performance.now() + this.options.busyTimeoutMs;
    const pauseMs = Math.max(1, this.options.busyTimeoutMs / WRITE_LOCK_TRIES);
    for (;;) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (performance.now() >= deadline) {
          throw new Error(
            `${operation}: the SQLite database stayed locked by another writer for ${this.options.busyTimeoutMs} ms (TIMEOUT_STORE_BUSY_MS); nothing written, the export retries`,
            { cause: error },
          );
        }
        await sleep(pauseMs);
      }
    }
  }

  /** A failed write or COMMIT (full disk, I/O error) may already have rolled the transaction back. */
  private rollback(): void {
    if (this.db.isTransaction) this.db.exec('ROLLBACK');
  }

  private ready(): Promise<TableReport[]> {
    return this.ensured ?? this.ensureTables();
  }

  private assertUsable(table: AnalyticsTable): void {
    const detail = this.mismatched.get(table);
    if (detail) {
      throw new Error(
        `embedded table ${embeddedTableName(this.options.dataset, table)} does not have the production layout (${detail}); rename or drop it and restart`,
      );
    }
  }

  /** Bytes of the referenced columns in the partitions of the range (read back to be measured). */
  private scanBytes(reference: TableReference): number {
    const layout = TABLE_LAYOUTS[reference.table];
    const specs = specsOf(reference.table);
    const columns: Specs = {};
    for (const column of reference.columns) columns[column] = specs[column]!;
    const selected = [...new Set([layout.partitionColumn, ...reference.columns])];
    const { clause, values } = rangeClause(layout.partitionColumn, reference.range);
    const stored = this.db
      .prepare(
        `SELECT ${selected.join(', ')} FROM "${embeddedTableName(this.options.dataset, reference.table)}"${clause}`,
      )
      .all(...values) as Array<Record<string, unknown>>;
    const rows = stored.map((row) => decode(specs, row));
    return estimateScanBytes({
      rows,
      columns,
      partitionColumn: layout.partitionColumn,
      range: reference.range,
    });
  }

  private ensureTable(table: AnalyticsTable): TableReport {
    const dataset = this.options.dataset;
    const name = embeddedTableName(dataset, table);
    const layout = TABLE_LAYOUTS[table];
    const existing = this.db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{
      name: string;
      pk: number;
    }>;
    if (existing.length === 0) {
      this.db.exec(createTableSql(dataset, table));
      this.db.exec(partitionIndexSql(dataset, table));
      this.mismatched.delete(table);
      return { table, outcome: 'created', detail: null };
    }
    const problems = layoutProblems(
      this.db,
      existing,
      layout,
      partitionIndexName(dataset, table),
      partitionIndexSql(dataset, table),
    );
    if (problems.length > 0) {
      const detail = problems.join('; ');
      this.mismatched.set(table, detail);
      return { table, outcome: 'mismatch', detail };
    }
    this.mismatched.delete(table);
    const present = new Set(existing.map((column) => column.name));
    const missing = Object.keys(specsOf(table)).filter((column) => !present.has(column));
    for (const column of missing) this.db.exec(addColumnSql(dataset, table, column));
    const indexCreated = this.ensureIndex(table);
    if (missing.length > 0) {
      return { table, outcome: 'columns_added', detail: `added ${missing.join(', ')}` };
    }
    return {
      table,
      outcome: 'unchanged',
      detail: indexCreated ? 'partition index was missing and was created' : null,
    };
  }

  private ensureIndex(table: AnalyticsTable): boolean {
    const found = this.db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`)
      .get(partitionIndexName(this.options.dataset, table));
    if (found) return false;
    this.db.exec(partitionIndexSql(this.options.dataset, table));
    return true;
  }
}

function layoutProblems(
  db: DatabaseSync,
  existing: ReadonlyArray<{ name: string; pk: number }>,
  layout: (typeof TABLE_LAYOUTS)[AnalyticsTable],
  indexName: string,
  expectedIndexSql: string,
): string[] {
  const problems: string[] = [];
  const primaryKey = existing.filter((column) => column.pk > 0).map((column) => column.name);
  if (primaryKey.join(',') !== layout.naturalId) {
    problems.push(`primary key is (${primaryKey.join(', ')}), expected (${layout.naturalId})`);
  }
  if (!existing.some((column) => column.name === layout.partitionColumn)) {
    problems.push(`partition column ${layout.partitionColumn} is missing`);
  }
  const index = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`)
    .get(indexName) as { sql: string | null } | undefined;
  if (index?.sql && normalizeSql(index.sql) !== normalizeSql(expectedIndexSql)) {
    problems.push(
      `partition/clustering index is "${index.sql}", expected DATE(${layout.partitionColumn}), ${layout.clustering.join(', ')}`,
    );
  }
  return problems;
}

function rangeClause(
  partitionColumn: string,
  range: PartitionRange,
): { clause: string; values: string[] } {
  const conditions: string[] = [];
  const values: string[] = [];
  if (range.from !== null) {
    conditions.push(`DATE(${partitionColumn}) >= ?`);
    values.push(range.from);
  }
  if (range.to !== null) {
    conditions.push(`DATE(${partitionColumn}) <= ?`);
    values.push(range.to);
  }
  return { clause: conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '', values };
}

function encode(spec: ColumnSpec, value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (spec.mode === 'REPEATED') return JSON.stringify(value);
  if (spec.type === 'BOOL') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

function decode(specs: Specs, row: Record<string, unknown>): Record<string, unknown> {
  const decoded: Record<string, unknown> = { ...row };
  for (const [column, value] of Object.entries(row)) {
    if (specs[column]?.mode === 'REPEATED' && typeof value === 'string') {
      decoded[column] = JSON.parse(value) as unknown;
    }
  }
  return decoded;
}
