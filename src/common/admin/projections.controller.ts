import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionRunner } from '../projections/projection-runner.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/projections')
export class ProjectionsController {
  constructor(private readonly runner: ProjectionRunner) {}

  @Get()
  @ApiOperation({
    summary: 'Every projection: state, checkpoint, lag, last error, rebuild progress',
  })
  async list() {
    return { projections: await this.runner.statuses() };
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Reset the read model and replay the log in the background (progress in GET)',
  })
  rebuild(@Param('name') name: string) {
    this.runner.startRebuild(name);
    return { name, state: 'rebuilding', progress: `/v1/projections` };
  }
}
