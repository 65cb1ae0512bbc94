import { addDays } from '../../../common/clock/calendar-days.js';
import { ANALYTICS_TABLES, TABLE_LAYOUTS, type AnalyticsTable } from '../analytics-rows.js';
import { columnNames } from '../analytics-columns.js';
import { ALL_PARTITIONS, type PartitionRange } from './bigquery-bytes.estimator.js';

/** A query the embedded sink cannot run (unknown table, unbound parameter, ...). */
export class UnsupportedAnalyticsQueryError extends Error {}

export interface TableReference {
  table: AnalyticsTable;
  columns: string[];
  range: PartitionRange;
}

export interface TranslatedQuery {
  /** SQLite SQL: `{dataset}.<table>` replaced by the embedded table name. */
  sql: string;
  /** Only the parameters the SQL uses (SQLite rejects unknown named parameters). */
  params: Record<string, string | number>;
  tables: TableReference[];
}

/** Name of a table of the embedded sink: `<dataset>__<table>`. */
export const embeddedTableName = (dataset: string, table: AnalyticsTable) => `${dataset}__${table}`;

const TABLE_REFERENCE = /`?\{dataset\}\.([A-Za-z_][A-Za-z0-9_]*)`?/g;
const DAY = /^\d{4}-\d{2}-\d{2}/;
const MIDNIGHT = /^\d{4}-\d{2}-\d{2}(T00:00:00(\.0+)?(Z|\+00:00)?)?$/;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function dayOf(name: string, value: string | number | undefined): string {
  if (typeof value !== 'string' || !DAY.test(value)) {
    throw new UnsupportedAnalyticsQueryError(
      `parameter @${name} bounds a partition column but is ${JSON.stringify(value)}, not an ISO date or timestamp`,
    );
  }
  return value.slice(0, 10);
}

const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);

/**
 * The partition days a query reads, from comparisons of the partition column (or DATE() of it)
 * with bound parameters: `>=`/`>` @p -> from day(p); `<=` @p -> to day(p); `<` @p -> to day(p),
 * or the day before when p is a midnight; `=` both; `BETWEEN @a AND @b` both. Several bounds
 * intersect. A query with OR, or with no such comparison, reads every partition.
 */
export function partitionRange(
  sql: string,
  partitionColumn: string,
  params: Readonly<Record<string, string | number>>,
): PartitionRange {
  if (/\bOR\b/i.test(sql)) return ALL_PARTITIONS;
  const column = `(?:DATE\\(\\s*)?(?:\\w+\\.)?${escapeRegExp(partitionColumn)}(?:\\s*\\))?`;
  const param = `(?:(?:DATE|TIMESTAMP)\\(\\s*)?@(\\w+)`;
  let from: string | null = null;
  let to: string | null = null;
  for (const match of sql.matchAll(
    new RegExp(`${column}\\s+BETWEEN\\s+${param}\\s*\\)?\\s+AND\\s+${param}`, 'gi'),
  )) {
    from = later(from, dayOf(match[1]!, params[match[1]!]));
    to = earlier(to, dayOf(match[2]!, params[match[2]!]));
  }
  for (const match of sql.matchAll(new RegExp(`${column}\\s*(>=|<=|<|>|=)\\s*${param}`, 'gi'))) {
    const [, operator, name] = match as unknown as [string, string, string];
    const value = params[name];
    const day = dayOf(name, value);
    if (operator === '>=' || operator === '>' || operator === '=') from = later(from, day);
    if (operator === '<=' || operator === '=') to = earlier(to, day);
    if (operator === '<') to = earlier(to, MIDNIGHT.test(String(value)) ? addDays(day, -1) : day);
  }
  return { from, to };
}

/** `SELECT * FROM {dataset}.<table>` as a derived table: only what the outer query names is read. */
const DERIVED_TABLE_STAR = /\(\s*SELECT\s+\*\s+FROM\s+`?\{dataset\}\./gi;

/**
 * Columns of `table` the query names (every column for a `*` of the outer query). A `SELECT *`
 * derived table directly over an analytics table does not count: BigQuery prunes the columns
 * the outer query does not use, as it does for views.
 */
export function referencedColumns(sql: string, table: AnalyticsTable): string[] {
  const all = columnNames(table);
  const outer = sql
    .replace(DERIVED_TABLE_STAR, '(SELECT FROM {dataset}.')
    .replace(/COUNT\s*\(\s*\*\s*\)/gi, 'COUNT(1)');
  if (/(\bSELECT\s+(DISTINCT\s+)?|,\s*|\.)\*(?=\s*(,|FROM\b|$))/i.test(outer)) {
    return all;
  }
  const named = all.filter((column) => new RegExp(`\\b${column}\\b`, 'i').test(sql));
  // COUNT(*) alone reads no column; BigQuery then bills the minimum, as here.
  return named;
}

/**
 * Maps the supported BigQuery-style subset to SQLite: `{dataset}.<table>` (optionally in
 * backticks) becomes the embedded table; `@name` parameters are SQLite named parameters. The
 * rest of the SQL is passed as is: plain SELECT with WHERE, GROUP BY, ORDER BY, LIMIT, COUNT,
 * SUM, AVG, MIN, MAX and DATE(col) (ISO strings) behave the same in both.
 */
export function translateQuery(
  sql: string,
  params: Readonly<Record<string, string | number>>,
  dataset: string,
): TranslatedQuery {
  const tables = new Map<AnalyticsTable, TableReference>();
  const translated = sql.replace(TABLE_REFERENCE, (_whole, name: string) => {
    const table = ANALYTICS_TABLES.find((known) => known === name);
    if (!table) {
      throw new UnsupportedAnalyticsQueryError(
        `query names table {dataset}.${name}; the analytics tables are ${ANALYTICS_TABLES.join(', ')}`,
      );
    }
    if (!tables.has(table)) {
      tables.set(table, {
        table,
        columns: referencedColumns(sql, table),
        range: partitionRange(sql, TABLE_LAYOUTS[table].partitionColumn, params),
      });
    }
    return `"${embeddedTableName(dataset, table)}"`;
  });
  if (tables.size === 0) {
    throw new UnsupportedAnalyticsQueryError(
      'query names no analytics table: write {dataset}.workflow_decisions or {dataset}.workflow_executions',
    );
  }
  const used: Record<string, string | number> = {};
  for (const match of translated.matchAll(/@(\w+)/g)) {
    const name = match[1]!;
    const value = params[name];
    if (value === undefined) {
      throw new UnsupportedAnalyticsQueryError(
        `query uses @${name} but no such parameter is bound`,
      );
    }
    used[name] = value;
  }
  return { sql: translated, params: used, tables: [...tables.values()] };
}
