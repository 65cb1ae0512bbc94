import { BadRequestException, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseInput } from '../../common/http/query-validation.js';
import { CostLedgerService } from './ledger/cost-ledger.service.js';
import { AnalyticsQueryService } from './queries/analytics-query.service.js';
import { checkRange, InvalidQueryRangeError } from './queries/query-range.js';
import { QueryParams } from '../../common/http/query-params.decorator.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a UTC day YYYY-MM-DD');
const ledgerRangeSchema = z.object({ from: day, to: day }).strict();
const optionalRangeSchema = z.object({ from: day.optional(), to: day.optional() }).strict();

@ApiTags('cost')
@ApiBearerAuth()
@Controller('v1')
export class CostController {
  constructor(
    private readonly ledger: CostLedgerService,
    private readonly queries: AnalyticsQueryService,
  ) {}

  @Get('cost')
  @ApiOperation({
    summary:
      'Cost ledger per UTC day from..to: per named query runs, cache hits, bytes, USD; export loads, rows, bytes',
  })
  @QueryParams(ledgerRangeSchema)
  cost(@Query() query: unknown) {
    const range = parseInput(ledgerRangeSchema, query);
    try {
      checkRange(range, 'cost ledger');
    } catch (error) {
      if (error instanceof InvalidQueryRangeError) throw new BadRequestException(error.message);
      throw error;
    }
    return this.ledger.report(range);
  }

  @Post('cost/dry-run/:query')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A named query's estimated bytes and USD: BigQuery dry run (free), or the embedded estimate",
  })
  @QueryParams(optionalRangeSchema)
  dryRun(@Param('query') name: string, @Query() query: unknown) {
    return this.queries.dryRun(name, parseInput(optionalRangeSchema, query));
  }

  @Get('analytics/queries')
  @ApiOperation({ summary: 'The named analytics queries, default ranges, cache hits and misses' })
  catalogue() {
    return this.queries.catalogue();
  }

  @Get('analytics/queries/:query')
  @ApiOperation({
    summary: 'Run a named query over from..to (UTC days; default: the query’s own range)',
  })
  @QueryParams(optionalRangeSchema)
  run(@Param('query') name: string, @Query() query: unknown) {
    return this.queries.run(name, parseInput(optionalRangeSchema, query));
  }
}
