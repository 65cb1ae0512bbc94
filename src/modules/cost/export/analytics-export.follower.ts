import type { Clock } from '../../../common/clock/clock.js';
import {
  narrowToListed,
  type EventLog,
  type Position,
  type ProjectionStore,
} from '../../../common/event-store/index.js';
import type { WorkflowEvent } from '../../workflows/index.js';
import { LogFollower, type FollowerTiming } from '../../../common/event-store/log-follower.js';
import type { AnalyticsSink, TableReport } from '../analytics-sink.port.js';
import type { AnalyticsLoadRecorder } from './analytics-load.recorder.js';
import {
  batchRowCount,
  batchTables,
  dailyLoadBudget,
  emptyBatch,
  flushDecision,
  type ExportBatch,
  type FlushPolicy,
} from './export-batch.js';
import { partitionDays } from './partition-days.js';
import {
  EXPORTED_EVENT_TYPES,
  type ExportedEvent,
  type WorkflowRowsSource,
} from './workflow-rows.source.js';

/** The export's checkpoint name in the projection store. */
export const ANALYTICS_EXPORT_NAME = 'analytics-export';
const PAGE_SIZE = 500;

export interface AnalyticsExportDeps {
  sink: AnalyticsSink;
  events: EventLog;
  checkpoints: ProjectionStore;
  timing: FollowerTiming;
  clock: Clock;
  policy: FlushPolicy;
  source: WorkflowRowsSource;
  recorder: AnalyticsLoadRecorder;
}

/**
 * Follows the log and exports decisions and executions to the analytics sink. Rows are buffered
 * in memory and loaded when the batch reaches ANALYTICS_EXPORT_BATCH_ROWS rows or its oldest row
 * has waited TIMEOUT_ANALYTICS_EXPORT_INTERVAL_MS. The checkpoint moves only after every table of
 * the batch has loaded; a failure drops the batch, and the retry (with backoff) re-reads its events
 * from the checkpoint, so no row is lost and a row loaded twice replaces itself (natural ids).
 */
export class AnalyticsExportFollower extends LogFollower {
  private batch: ExportBatch = emptyBatch(null);
  /** Why the batch waits although it is due (daily load budget spent), else null. */
  held: string | null = null;
  tableReports: TableReport[] | null = null;
  /** The oldest row's wait of a batch whose load failed: its rows are due again at once. */
  private carriedOldestAtMs: number | null = null;
  private readonly narrow = narrowToListed<WorkflowEvent, typeof EXPORTED_EVENT_TYPES>(
    ANALYTICS_EXPORT_NAME,
    EXPORTED_EVENT_TYPES,
  );

  constructor(private readonly deps: AnalyticsExportDeps) {
    super(
      ANALYTICS_EXPORT_NAME,
      `export:${ANALYTICS_EXPORT_NAME}`,
      deps.events,
      deps.checkpoints,
      deps.timing,
    );
  }

  /** Rows read and not yet loaded, per table. */
  pending(): { workflow_decisions: number; workflow_executions: number; oldest_at: string | null } {
    return {
      workflow_decisions: this.batch.decisions.length,
      workflow_executions: this.batch.executions.length,
      oldest_at:
        this.batch.oldestAtMs === null ? null : new Date(this.batch.oldestAtMs).toISOString(),
    };
  }

  /** Forgets the position and the batch (after the stored checkpoint was reset). */
  restartFromCheckpoint(): void {
    this.forgetPosition();
    this.batch = emptyBatch(null);
    this.carriedOldestAtMs = null;
  }

  protected async catchUp(head: Position | null): Promise<void> {
    this.tableReports ??= await this.deps.sink.ensureTables();
    const checkpoint = await this.resumePosition();
    if (this.batch.after !== checkpoint) this.batch = emptyBatch(checkpoint);
    try {
      await this.readAndLoad(head);
    } catch (error) {
      // Re-read from the stored checkpoint on the retry; the rows keep their age, so they load then.
      this.carriedOldestAtMs = this.batch.oldestAtMs ?? this.carriedOldestAtMs;
      this.batch = emptyBatch(null);
      throw error;
    }
  }

  private async readAndLoad(head: Position | null): Promise<void> {
    while (this.shouldContinue && head !== null && !reached(this.batch.readThrough, head)) {
      const page: ExportedEvent[] = [];
      for await (const event of this.events.readAll({
        after: this.batch.readThrough,
        until: head,
        types: EXPORTED_EVENT_TYPES,
        limit: PAGE_SIZE,
      })) {
        page.push(this.narrow(event));
      }
      for (const event of page) await this.add(event);
      this.batch.readThrough = page.length < PAGE_SIZE ? head : page.at(-1)!.position;
      if (batchRowCount(this.batch) >= this.deps.policy.batchRows) await this.flush();
    }
    const decision = flushDecision(this.batch, this.deps.clock.now().getTime(), this.deps.policy);
    if (decision === 'load') await this.flush();
    else if (decision === 'nothing' && this.batch.readThrough !== this.batch.after) {
      await this.skipTo(this.batch.readThrough!);
      this.batch = emptyBatch(this.batch.readThrough);
    }
  }

  private async add(event: ExportedEvent): Promise<void> {
    const rows = await this.deps.source.rowsOf(event);
    if (rows.decisions.length + rows.executions.length === 0) return;
    this.batch.decisions.push(...rows.decisions);
    this.batch.executions.push(...rows.executions);
    this.batch.oldestAtMs ??= this.carriedOldestAtMs ?? this.deps.clock.now().getTime();
  }

  private async flush(): Promise<void> {
    const through = this.batch.readThrough;
    if (through === null) return;
    const now = this.deps.clock.now();
    const counts = await this.deps.recorder.countsOn(now.toISOString().slice(0, 10));
    const budget = dailyLoadBudget(this.deps.policy.intervalMs);
    const tables = batchTables(this.batch);
    const spent = tables.filter(({ table }) => counts[table] >= budget);
    if (spent.length > 0) {
      this.held = `daily load budget of ${budget} jobs spent for ${spent.map((t) => t.table).join(', ')}; loads resume on the next UTC day`;
      return;
    }
    this.held = null;
    for (const { table, rows } of tables) {
      const result = await this.deps.sink.load(table, rows);
      await this.deps.recorder.record(
        table,
        result,
        this.deps.clock.now(),
        partitionDays(table, rows),
      );
    }
    await this.commitThrough(through);
    this.batch = emptyBatch(through);
    this.carriedOldestAtMs = null;
  }
}

const reached = (readThrough: Position | null, head: Position) =>
  readThrough !== null && readThrough >= head;
