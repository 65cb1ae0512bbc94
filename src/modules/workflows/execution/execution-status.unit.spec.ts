import type { StepOutcome } from '../workflow.events.js';
import type { ScraperDefinition } from '../workflow-config.types.js';
import { decideExecutionStatus } from './execution-status.js';

const def = (name: string, critical: boolean, treatNoDataAsSuccess = false): ScraperDefinition => ({
  name,
  critical,
  processorName: null,
  estimatedDurationSeconds: null,
  dependsOn: [],
  treatNoDataAsSuccess,
});
const SCRAPERS = new Map(
  [def('crit1', true), def('crit2', true), def('extra', false), def('inj', false, true)].map(
    (s) => [s.name, s],
  ),
);
const call = (scraper: string, outcome: StepOutcome, error: string | null = null) => ({
  scraper,
  outcome,
  error,
});

describe('decideExecutionStatus', () => {
  it('given one success among failures, then completed, with counts and errors kept', () => {
    const verdict = decideExecutionStatus(
      [call('crit1', 'failed', 'e1'), call('extra', 'success'), call('crit2', 'timed_out', 'e2')],
      SCRAPERS,
      false,
    );
    expect(verdict).toEqual({
      status: 'completed',
      counts: { success: 1, no_data: 0, failed: 1, timed_out: 1, circuit_open: 0 },
      errors: ['e1', 'e2'],
    });
  });

  it('given only no_data where not configured as success, then failed', () => {
    expect(decideExecutionStatus([call('crit1', 'no_data')], SCRAPERS, false).status).toBe(
      'failed',
    );
  });

  it('given no_data of a scraper that treats no data as success, then completed (outcome stays no_data)', () => {
    const verdict = decideExecutionStatus([call('inj', 'no_data')], SCRAPERS, false);
    expect(verdict.status).toBe('completed');
    expect(verdict.counts.no_data).toBe(1);
  });

  it('given requireAllCritical and one critical scraper failed, then failed even with other successes', () => {
    expect(
      decideExecutionStatus(
        [call('crit1', 'success'), call('crit2', 'circuit_open', 'open'), call('extra', 'success')],
        SCRAPERS,
        true,
      ).status,
    ).toBe('failed');
  });

  it('given requireAllCritical and every critical scraper succeeded, then completed', () => {
    expect(
      decideExecutionStatus(
        [call('crit1', 'success'), call('crit2', 'success'), call('extra', 'failed', 'x')],
        SCRAPERS,
        true,
      ).status,
    ).toBe('completed');
  });

  it('given requireAllCritical and no critical scraper in the plan, then at least one success suffices', () => {
    expect(decideExecutionStatus([call('extra', 'success')], SCRAPERS, true).status).toBe(
      'completed',
    );
  });

  it('given no calls at all, then failed', () => {
    expect(decideExecutionStatus([], SCRAPERS, false).status).toBe('failed');
  });
});
