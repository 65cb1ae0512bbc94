import type { AnalyticsRows, AnalyticsTable } from '../analytics-rows.js';
import type { Position } from '../../../common/event-store/index.js';

/**
 * Rows read from the log but not yet loaded. `after` is the stored checkpoint the batch starts
 * from; `readThrough` how far the log has been read. Nothing here is durable: after a failure or
 * a restart the batch is rebuilt by reading the log again from the checkpoint.
 */
export interface ExportBatch {
  after: Position | null;
  readThrough: Position | null;
  decisions: Array<AnalyticsRows['workflow_decisions']>;
  executions: Array<AnalyticsRows['workflow_executions']>;
  /** When (clock ms) the oldest pending row was buffered; null while empty. */
  oldestAtMs: number | null;
}

export const emptyBatch = (after: Position | null): ExportBatch => ({
  after,
  readThrough: after,
  decisions: [],
  executions: [],
  oldestAtMs: null,
});

export const batchRowCount = (batch: ExportBatch) =>
  batch.decisions.length + batch.executions.length;

/** The batch's rows per table, tables without rows left out. */
export function batchTables(
  batch: ExportBatch,
): Array<{ table: AnalyticsTable; rows: ReadonlyArray<AnalyticsRows[AnalyticsTable]> }> {
  const tables: Array<{
    table: AnalyticsTable;
    rows: ReadonlyArray<AnalyticsRows[AnalyticsTable]>;
  }> = [];
  if (batch.decisions.length > 0)
    tables.push({ table: 'workflow_decisions', rows: batch.decisions });
  if (batch.executions.length > 0) {
    tables.push({ table: 'workflow_executions', rows: batch.executions });
  }
  return tables;
}

export interface FlushPolicy {
  batchRows: number;
  intervalMs: number;
}

export type FlushDecision = 'load' | 'wait' | 'nothing';

/** Load when the batch holds batchRows rows, or its oldest row has waited intervalMs. */
export function flushDecision(
  batch: ExportBatch,
  nowMs: number,
  policy: FlushPolicy,
): FlushDecision {
  const count = batchRowCount(batch);
  if (count === 0) return 'nothing';
  if (count >= policy.batchRows) return 'load';
  if (batch.oldestAtMs !== null && nowMs - batch.oldestAtMs >= policy.intervalMs) return 'load';
  return 'wait';
}

const DAY_MS = 86_400_000;

/**
 * Load jobs allowed per table per UTC day: one per interval (288 at the default 5 minutes),
 * so size-triggered loads cannot exceed what the time threshold alone would run.
 */
export const dailyLoadBudget = (intervalMs: number) => Math.max(1, Math.floor(DAY_MS / intervalMs));
