import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FeatureFlags } from '../config/index.js';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/flags')
export class FlagsController {
  constructor(private readonly flags: FeatureFlags) {}

  @Get()
  @ApiOperation({ summary: 'Every feature flag: value, source, rollout percentage, unit' })
  list() {
    return { flags: this.flags.list() };
  }
}
