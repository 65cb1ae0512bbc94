import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseInput } from '../../../common/http/query-validation.js';
import { WorkflowEvaluationService } from './workflow-evaluation.service.js';
import { WorkflowQueriesService } from './workflow-queries.service.js';
import { decisionsQuerySchema, executionsQuerySchema } from './workflow-queries.schema.js';
import { QueryParams } from '../../../common/http/query-params.decorator.js';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowsController {
  constructor(
    private readonly evaluation: WorkflowEvaluationService,
    private readonly queries: WorkflowQueriesService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Each workflow's config with its latest decision and latest execution" })
  list() {
    return this.queries.workflows();
  }

  @Get('config')
  @ApiOperation({
    summary:
      'The loaded workflows file as Shotclock understood it: settings, scrapers (with their call bounds), normalised workflows, what each key is used for, and the boot warnings',
  })
  config() {
    return this.queries.configView();
  }

  @Post('evaluate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Decide RUN/SKIP/ABORT for every workflow (hourly, Cloud Scheduler); once per local hour, a repeat replays the first evaluation',
  })
  evaluate() {
    return this.evaluation.evaluate();
  }

  @Get('decisions')
  @ApiOperation({ summary: 'Evaluations of a local date (default today), in hour order' })
  @QueryParams(decisionsQuerySchema)
  decisions(@Query() query: unknown) {
    return this.queries.decisions(parseInput(decisionsQuerySchema, query));
  }

  @Get('executions')
  @ApiOperation({
    summary: 'Executions of a local date (default today), optionally of one status, with counts',
  })
  @QueryParams(executionsQuerySchema)
  executions(@Query() query: unknown) {
    return this.queries.executions(parseInput(executionsQuerySchema, query));
  }
}
