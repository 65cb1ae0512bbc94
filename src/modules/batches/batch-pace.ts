import { lastActivityMsOf } from './batch-completion.decider.js';
import type { BatchView } from './batch-progress.view.js';

const MS_PER_MINUTE = 60_000;

/** How fast a batch goes and whether it stalled, computed when read (never stored). */
export interface BatchPace {
  /**
   * Counted outcomes (completed + failed players) per minute from started_at to
   * last_completion_at; null with fewer than 2 outcomes or no time between them.
   */
  rate_per_minute: number | null;
  /** While running with a rate: now + missing_count / rate_per_minute (ISO 8601 UTC); else null. */
  estimated_completion_at: string | null;
  /**
   * Completed by stall, or running (created through the API) with no counted outcome for
   * STALL_DETECTION_MS: the batch-completion decider's idle rule. A running batch stays stalled
   * while below min_completion_pct; above it the next stall check completes it as `stalled`.
   */
  stalled: boolean;
}

/** A batch as the API answers it (GET, list items, the 201 of POST): its progress and its pace now. */
export type BatchReadView = BatchView & BatchPace;

export interface PaceContext {
  nowMs: number;
  stallMs: number;
}

export function batchPace(view: BatchView, { nowMs, stallMs }: PaceContext): BatchPace {
  const rate = ratePerMinute(view);
  const running = view.status === 'running';
  return {
    rate_per_minute: rate,
    estimated_completion_at:
      running && rate !== null
        ? new Date(nowMs + (view.missing_count / rate) * MS_PER_MINUTE).toISOString()
        : null,
    stalled:
      view.completion_reason === 'stalled' ||
      (running && view.source === 'api' && nowMs - lastActivityMsOf(view) >= stallMs),
  };
}

export function withPace(view: BatchView, context: PaceContext): BatchReadView {
  return { ...view, ...batchPace(view, context) };
}

function ratePerMinute(view: BatchView): number | null {
  const outcomes = view.completed_count + view.failed_count;
  if (outcomes < 2 || view.last_completion_at === null) return null;
  const elapsedMs = Date.parse(view.last_completion_at) - Date.parse(view.started_at);
  if (elapsedMs <= 0) return null;
  return outcomes / (elapsedMs / MS_PER_MINUTE);
}
