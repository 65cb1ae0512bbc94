import { streamEvents, type EventLog } from '../../../common/event-store/index.js';
import { ANALYTICS_TABLES, type AnalyticsTable } from '../analytics-rows.js';
import type { LoadResult } from '../analytics-sink.port.js';
import {
  ANALYTICS_EVENTS,
  analyticsLoadsStream,
  type AnalyticsEvent,
  type AnalyticsLoadCompleted,
} from '../analytics-load.events.js';

export type LoadCounts = Record<AnalyticsTable, number>;

const zeroCounts = (): LoadCounts =>
  Object.fromEntries(ANALYTICS_TABLES.map((table) => [table, 0])) as LoadCounts;

/**
 * Records each load as AnalyticsLoadCompleted on `analytics-loads-<day>` and counts the loads of
 * a day per table (read back from that stream once, so the count survives a restart).
 */
export class AnalyticsLoadRecorder {
  private day: string | null = null;
  private counts: LoadCounts = zeroCounts();
  last: AnalyticsLoadCompleted | null = null;

  constructor(private readonly events: EventLog) {}

  async countsOn(day: string): Promise<LoadCounts> {
    if (this.day !== day) {
      const counts = zeroCounts();
      const stream = analyticsLoadsStream(day);
      for await (const event of streamEvents<AnalyticsEvent>({ events: this.events }, stream)) {
        if (event.type === ANALYTICS_EVENTS.loadCompleted && event.data.table in counts) {
          counts[event.data.table] += 1;
        }
      }
      this.day = day;
      this.counts = counts;
    }
    return { ...this.counts };
  }

  async record(
    table: AnalyticsTable,
    result: LoadResult,
    at: Date,
    partitions: Record<string, number>,
  ): Promise<void> {
    const day = at.toISOString().slice(0, 10);
    await this.countsOn(day);
    const data: AnalyticsLoadCompleted = {
      table,
      rows: result.rows,
      bytes: result.bytes,
      job_id: result.statistics.jobId,
      estimated: result.statistics.estimated,
      duration_ms: result.statistics.durationMs,
      at: at.toISOString(),
      partitions,
    };
    await this.events.append(
      analyticsLoadsStream(day),
      [{ type: ANALYTICS_EVENTS.loadCompleted, data }],
      { expectedVersion: 'any' },
    );
    this.counts[table] += 1;
    this.last = data;
  }
}
