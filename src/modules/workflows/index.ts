// Public entry of the workflows module: what other modules may import.
export { WorkflowsModule, type WorkflowsModuleOptions } from './workflows.module.js';
export { WorkflowsConfigModule } from './workflows-config.module.js';
export * from './workflow.events.js';
export type {
  ScraperDefinition,
  WorkflowDefinition,
  WorkflowsDefinition,
} from './workflow-config.types.js';
export { WORKFLOWS_DEFINITION } from './decisions/workflows-definition.token.js';
export {
  DEFAULT_ENVIRONMENT,
  WORKFLOWS_SETTINGS,
  type WorkflowsSettings,
} from './workflows-settings.token.js';
export {
  GAME_SCHEDULE_ROWS,
  GAME_SCHEDULE_TIME_ZONE,
  type GameDates,
  type GameScheduleRows,
  type ScheduleRow,
} from './decisions/game-schedule-rows.port.js';
export { localTime, type LocalTime } from './local-time.js';
