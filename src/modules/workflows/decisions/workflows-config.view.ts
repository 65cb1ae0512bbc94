import type { TimeoutConfig } from '../../../common/config/index.js';
import { scraperCallBounds } from '../execution/scraper-call-bounds.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { configSummary } from './workflow-config.summary.js';
import { CONFIG_KEYS } from './workflows-config.keys.js';

/**
 * GET /v1/workflows/config: the loaded file as Shotclock understood it. Settings as validated
 * (defaults filled), scrapers with the bounds their calls get, workflows normalised (schedule
 * with defaults, steps in dependency order, alert levels), what each production key is used
 * for, and the warnings of the boot.
 */
export function workflowsConfigView(
  definition: WorkflowsDefinition,
  timeouts: Pick<TimeoutConfig, 'scraperHttpMs' | 'scraperFutureMs'>,
) {
  const bounds = scraperCallBounds(definition.scraperTimeouts, timeouts);
  return {
    source: definition.source,
    version: definition.version,
    environment: definition.environment,
    settings: definition.shown.settings,
    scrapers: [...definition.scrapers.values()].map((scraper) => {
      const bound = bounds(scraper.name);
      return {
        name: scraper.name,
        critical: scraper.critical,
        processor_name: scraper.processorName,
        estimated_duration_seconds: scraper.estimatedDurationSeconds,
        treat_no_data_as_success: scraper.treatNoDataAsSuccess,
        depends_on: scraper.dependsOn,
        ...definition.shown.scrapers.get(scraper.name),
        call_bounds: {
          answer_ms: bound.answerMs,
          answer_setting: bound.answerSetting,
          call_ms: bound.callMs,
          call_setting: bound.callSetting,
        },
      };
    }),
    workflows: definition.workflows.map((workflow) => ({
      ...configSummary(workflow),
      ...definition.shown.workflows.get(workflow.name),
      alerts_raised: {
        failure: workflow.alerts.failure,
        timing_drift: workflow.alerts.timingDrift,
        max_attempts_reached: workflow.alerts.maxAttemptsReached,
      },
    })),
    keys: CONFIG_KEYS,
    warnings: definition.warnings,
  };
}
