import { Global, Module } from '@nestjs/common';
import { DEPLOYMENT_ENVIRONMENT } from '../../common/health/deployment-environment.js';
import type { WorkflowsDefinition } from './workflow-config.types.js';
import { WorkflowDecisionsModule } from './decisions/workflow-decisions.module.js';
import { WORKFLOWS_DEFINITION } from './decisions/workflows-definition.token.js';
import {
  WORKFLOWS_SETTINGS,
  workflowsSettingsOf,
  type WorkflowsSettings,
} from './workflows-settings.token.js';

/**
 * WORKFLOWS_SETTINGS (and the environment GET /health shows), from the loaded workflows file, for
 * every module: health (common), the cost module's rows and labels, the game schedule.
 */
@Global()
@Module({
  imports: [WorkflowDecisionsModule],
  providers: [
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
  exports: [WORKFLOWS_SETTINGS, DEPLOYMENT_ENVIRONMENT],
})
export class WorkflowsSettingsModule {}
