import type { StepOutcome } from '../workflow.events.js';
import type { ScraperDefinition } from '../workflow-config.types.js';

export interface FinishedCall {
  scraper: string;
  outcome: StepOutcome;
  error: string | null;
}

export interface ExecutionVerdict {
  status: 'completed' | 'failed';
  counts: Record<StepOutcome, number>;
  errors: string[];
}

export function emptyCounts(): Record<StepOutcome, number> {
  return { success: 0, no_data: 0, failed: 0, timed_out: 0, circuit_open: 0 };
}

/** A call that counts as a success for the workflow: rows, or no rows where that is fine. */
export function isSuccessful(call: FinishedCall, scraper: ScraperDefinition | undefined): boolean {
  return (
    call.outcome === 'success' ||
    (call.outcome === 'no_data' && (scraper?.treatNoDataAsSuccess ?? false))
  );
}

/**
 * `completed` when at least one scraper succeeded; with requireAllCritical, when every critical
 * scraper of the plan succeeded (a plan without critical scrapers falls back to "at least one").
 */
export function decideExecutionStatus(
  calls: readonly FinishedCall[],
  scrapers: ReadonlyMap<string, ScraperDefinition>,
  requireAllCritical: boolean,
): ExecutionVerdict {
  const counts = emptyCounts();
  for (const call of calls) counts[call.outcome] += 1;
  const succeeded = new Set(
    calls.filter((call) => isSuccessful(call, scrapers.get(call.scraper))).map((c) => c.scraper),
  );
  const critical = [...new Set(calls.map((call) => call.scraper))].filter(
    (name) => scrapers.get(name)?.critical ?? false,
  );
  const completed =
    requireAllCritical && critical.length > 0
      ? critical.every((name) => succeeded.has(name))
      : succeeded.size > 0;
  return {
    status: completed ? 'completed' : 'failed',
    counts,
    errors: calls.flatMap((call) => (call.error === null ? [] : [call.error])),
  };
}
