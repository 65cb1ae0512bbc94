import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PublicRoute } from '../../common/http/route-access.decorator.js';
import type { ConsoleCatalog } from './console-files.js';
import { CONSOLE_CATALOG } from './console.tokens.js';

/**
 * The operator console's static files. Public (the page holds no data; every API call it makes
 * is an admin route with its own token check). A path is looked up in the catalog built at boot,
 * never joined to a directory, so `..` or an encoded slash can only miss (404).
 */
@ApiExcludeController()
@PublicRoute()
@Controller('console')
export class ConsoleController {
  constructor(@Inject(CONSOLE_CATALOG) private readonly catalog: ConsoleCatalog) {}

  @Get()
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':file')
  topLevel(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  @Get('app/:file')
  appModule(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `app/${file}`);
  }

  @Get('vendor/:file')
  vendor(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `vendor/${file}`);
  }

  private send(res: Response, key: string): void {
    const file = this.catalog.files.get(key);
    if (!file) throw new NotFoundException(`no console file ${key}`);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Cache-Control': file.cacheControl,
        'Content-Security-Policy': this.catalog.contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
      })
      .send(file.body);
  }
}
