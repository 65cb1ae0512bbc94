import {
  BadRequestException,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { findUnsupportedText, unsupportedTextProblem } from '../event-store/index.js';
import { QUERY_PARAMS } from './query-params.decorator.js';
import { REQUEST_BODY, type RequestBodyPolicy } from './request-body.decorator.js';
import { RequestBodyReader } from './request-body.reader.js';

const JSON_BODY: RequestBodyPolicy = { format: 'json' };

/**
 * The input checks every route gets, after its guard and before its handler: query parameters
 * are the route's declared ones, each at most once; path and query parameters and JSON bodies
 * hold only storable text; the body is read as the route's metadata says.
 */
@Injectable()
export class RequestInputInterceptor implements NestInterceptor {
  private readonly bodies: RequestBodyReader;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.bodies = new RequestBodyReader({
      defaultBytes: config.server.bodyLimitBytes,
      batchBytes: config.server.batchBodyLimitBytes,
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return from(this.prepare(context)).pipe(switchMap(() => next.handle()));
  }

  private async prepare(context: ExecutionContext): Promise<void> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const targets = [context.getHandler(), context.getClass()];
    const accepted = this.reflector.getAllAndOverride<readonly string[] | undefined>(
      QUERY_PARAMS,
      targets,
    );
    checkQuery(request.query, accepted ?? []);
    checkText(request.params, 'path');
    const policy =
      this.reflector.getAllAndOverride<RequestBodyPolicy | undefined>(REQUEST_BODY, targets) ??
      JSON_BODY;
    await this.bodies.read(request, http.getResponse<Response>(), policy);
    if (policy.format === 'json') checkText(request.body, 'body');
  }
}

function checkQuery(query: Request['query'], accepted: readonly string[]): void {
  for (const [name, value] of Object.entries(query)) {
    if (!accepted.includes(name)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message:
          accepted.length === 0
            ? `unknown query parameter '${name}': this route takes no query parameters`
            : `unknown query parameter '${name}': this route accepts ${accepted.join(', ')}`,
        issues: [{ field: name, problem: 'unknown query parameter' }],
      });
    }
    if (typeof value !== 'string') {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `query parameter '${name}' is given more than once (or with brackets): give it once`,
        issues: [{ field: name, problem: 'repeated query parameter' }],
      });
    }
  }
  checkText(query, 'query');
}

function checkText(value: unknown, what: string): void {
  if (value === undefined) return;
  const found = findUnsupportedText(value, what);
  if (found === null) return;
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: unsupportedTextProblem(found),
    issues: [{ field: found, problem: 'unsupported character' }],
  });
}
