import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkflowExecutionService } from './workflow-execution.service.js';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('v1/workflows')
export class WorkflowExecutionController {
  constructor(private readonly executions: WorkflowExecutionService) {}

  @Post('execute')
  @HttpCode(202)
  @ApiOperation({
    summary:
      "Start every RUN decision of this hour's evaluation that has no execution yet; they run in the background. 404 before POST /v1/workflows/evaluate",
  })
  executeDue() {
    return this.executions.executeDue();
  }

  @Post(':name/execute')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Run one workflow now (trigger manual), in the background; 404 unknown workflow, 409 disabled',
  })
  executeNow(@Param('name') name: string) {
    return this.executions.executeNow(name);
  }
}
