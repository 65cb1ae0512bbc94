import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import { STORAGE, type Storage } from '../../../common/event-store/index.js';
import { WORKFLOWS_DEFINITION } from '../decisions/workflows-definition.token.js';
import type { WorkflowsDefinition } from '../workflow-config.types.js';
import type { WorkflowsPart } from '../workflows-part.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { InterruptedExecutionsRecovery } from './interrupted-executions.recovery.js';
import { runningExecutionsProjection } from './running-executions.projection.js';
import { scraperCallBounds } from './scraper-call-bounds.js';
import { ScraperClient } from './scraper-client.js';
import { WorkflowExecutionController } from './workflow-execution.controller.js';
import { WorkflowExecutionService } from './workflow-execution.service.js';
import { WorkflowRunner } from './workflow-runner.js';

/** Running workflows: scraper calls with retries, breakers and worker limits, all recorded. */
export const workflowExecutionPart: WorkflowsPart = {
  controllers: [WorkflowExecutionController],
  providers: [
    {
      provide: CircuitBreakers,
      useFactory: (clock: Clock, config: AppConfig) => new CircuitBreakers(clock, config.timeouts),
      inject: [CLOCK, APP_CONFIG],
    },
    {
      provide: WorkflowRunner,
      useFactory: (
        storage: Storage,
        clock: Clock,
        config: AppConfig,
        definition: WorkflowsDefinition,
        breakers: CircuitBreakers,
      ) =>
        new WorkflowRunner(
          {
            events: storage.events,
            clock,
            scrapers: new ScraperClient(
              config.workflows.scraperServiceUrl,
              scraperCallBounds(definition.scraperTimeouts, config.timeouts),
            ),
            breakers,
            timeouts: config.timeouts,
            parallelConfigEnabled: (workflow) =>
              config.flags.isEnabled('ENABLE_PARALLEL_CONFIG', workflow),
            random: Math.random,
            instanceId: config.server.instanceId,
          },
          definition,
        ),
      inject: [STORAGE, CLOCK, APP_CONFIG, WORKFLOWS_DEFINITION, CircuitBreakers],
    },
    WorkflowExecutionService,
    InterruptedExecutionsRecovery,
  ],
  projections: [runningExecutionsProjection],
};
