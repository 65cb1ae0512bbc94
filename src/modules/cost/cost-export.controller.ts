import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnalyticsExportService } from './export/analytics-export.service.js';

@ApiTags('cost')
@ApiBearerAuth()
@Controller('v1/cost/export')
export class CostExportController {
  constructor(private readonly exporter: AnalyticsExportService) {}

  @Get()
  @ApiOperation({
    summary:
      'Analytics export: sink kind, table reports, checkpoint and lag, pending rows, last load, loads per table today',
  })
  status() {
    return this.exporter.status();
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Reset the export checkpoint: re-export the whole log (natural ids: no duplicates)',
  })
  async rebuild() {
    await this.exporter.rebuild();
    return { rebuild: 'started' };
  }
}
