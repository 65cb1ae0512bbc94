import type { Provider } from '@nestjs/common';
import { ALERTS, type AlertPort } from '../../../common/alerts/alert.port.js';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import { BigQueryGameSchedule } from './bigquery-game-schedule.adapter.js';
import { GAME_SCHEDULE_ROWS, type GameScheduleRows } from './game-schedule-rows.port.js';
import { GAME_SCHEDULE, type GameSchedule } from './game-schedule.port.js';
import { WORKFLOWS_DEFINITION } from './workflows-definition.token.js';
import { YamlGameSchedule } from './yaml-game-schedule.adapter.js';

/**
 * GAME_SCHEDULE by GAME_SCHEDULE_SOURCE: `file` (default) reads GAME_SCHEDULE_PATH once at boot;
 * `bigquery` reads GAME_SCHEDULE_TABLE through GAME_SCHEDULE_ROWS (the cost module's named query
 * `game_schedule`), which needs ANALYTICS_SINK=bigquery (the boot fails otherwise, saying so).
 */
export const gameScheduleProvider: Provider<GameSchedule> = {
  provide: GAME_SCHEDULE,
  useFactory: (
    config: AppConfig,
    definition: WorkflowsDefinition,
    queries: GameScheduleRows,
    alerts: AlertPort,
    clock: Clock,
  ): GameSchedule => {
    if (config.workflows.gameScheduleSource === 'file')
      return YamlGameSchedule.fromFile(config.workflows.gameSchedulePath);
    if (config.analytics.analyticsSink !== 'bigquery')
      throw new Error(
        `GAME_SCHEDULE_SOURCE=bigquery reads ${config.workflows.gameScheduleTable} through the BigQuery analytics sink, but ANALYTICS_SINK=${config.analytics.analyticsSink}; set ANALYTICS_SINK=bigquery (with BIGQUERY_PROJECT_ID) or GAME_SCHEDULE_SOURCE=file`,
      );
    return new BigQueryGameSchedule({
      queries,
      alerts,
      clock,
      timezone: definition.timezone,
      table: config.workflows.gameScheduleTable,
    });
  },
  inject: [APP_CONFIG, WORKFLOWS_DEFINITION, GAME_SCHEDULE_ROWS, ALERTS, CLOCK],
};
