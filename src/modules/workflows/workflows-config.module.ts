import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { DEPLOYMENT_ENVIRONMENT } from '../../common/health/deployment-environment.js';
import type { WorkflowsDefinition } from './workflow-config.types.js';
import { loadWorkflowsDefinition } from './decisions/workflows-config.loader.js';
import { WORKFLOWS_DEFINITION } from './decisions/workflows-definition.token.js';
import {
  WORKFLOWS_SETTINGS,
  workflowsSettingsOf,
  type WorkflowsSettings,
} from './workflows-settings.token.js';

/**
 * The loaded, validated config/workflows.yaml and what other modules read from it: the workflows
 * module itself, the cost module (rows, labels, the schedule refresh interval) and health (the
 * deployment environment). It imports nothing but the global config, so any module may import it.
 */
@Module({
  providers: [
    {
      provide: WORKFLOWS_DEFINITION,
      // Throws (and so fails the boot) listing every problem of the file; warns once otherwise.
      useFactory: (config: AppConfig) =>
        logWarnings(loadWorkflowsDefinition(config.workflows.workflowsConfigPath)),
      inject: [APP_CONFIG],
    },
    {
      provide: WORKFLOWS_SETTINGS,
      useFactory: (definition: WorkflowsDefinition) => workflowsSettingsOf(definition),
      inject: [WORKFLOWS_DEFINITION],
    },
    {
      provide: DEPLOYMENT_ENVIRONMENT,
      useFactory: (settings: WorkflowsSettings) => settings.environment,
      inject: [WORKFLOWS_SETTINGS],
    },
  ],
  exports: [WORKFLOWS_DEFINITION, WORKFLOWS_SETTINGS, DEPLOYMENT_ENVIRONMENT],
})
export class WorkflowsConfigModule {}

/** Each warning of the file, once, at boot (also listed at GET /v1/workflows/config). */
function logWarnings(definition: WorkflowsDefinition): WorkflowsDefinition {
  const logger = new Logger('WorkflowsConfig');
  for (const warning of definition.warnings) {
    logger.warn(`${definition.source}: ${warning.path}: ${warning.message}`);
  }
  return definition;
}
