import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { json, raw, type Request, type RequestHandler, type Response } from 'express';
import type { RequestBodyPolicy } from './request-body.decorator.js';

/** What express's body parsers (body-parser / http-errors) attach to the errors they raise. */
interface ParserError {
  type?: string;
  status?: number;
  message?: string;
}

export interface BodyLimits {
  /** BODY_LIMIT_BYTES */
  defaultBytes: number;
  /** BATCH_BODY_LIMIT_BYTES */
  batchBytes: number;
}

/**
 * Reads a request's body the way its route asks (see {@link RequestBodyPolicy}), once its caller
 * has been authorized. Parser failures become the HTTP errors they mean (413, 400, 415).
 */
export class RequestBodyReader {
  private readonly parsers = new Map<string, RequestHandler>();

  constructor(private readonly limits: BodyLimits) {}

  async read(request: Request, response: Response, policy: RequestBodyPolicy): Promise<void> {
    const limitName = policy.limit === 'batch' ? 'BATCH_BODY_LIMIT_BYTES' : 'BODY_LIMIT_BYTES';
    const parser = this.parserFor(policy);
    try {
      await new Promise<void>((resolve, reject) => {
        parser(request, response, (error?: unknown) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      throw httpErrorOf(error as ParserError, limitName, this.limitOf(policy));
    }
  }

  private limitOf(policy: RequestBodyPolicy): number {
    return policy.limit === 'batch' ? this.limits.batchBytes : this.limits.defaultBytes;
  }

  private parserFor(policy: RequestBodyPolicy): RequestHandler {
    const key = `${policy.format}:${policy.limit ?? 'default'}`;
    let parser = this.parsers.get(key);
    if (!parser) {
      const limit = this.limitOf(policy);
      parser =
        policy.format === 'raw'
          ? raw({ type: () => true, limit })
          : json({ limit, type: ['application/json', 'application/*+json'] });
      this.parsers.set(key, parser);
    }
    return parser;
  }
}

function httpErrorOf(
  error: ParserError,
  limitName: string,
  limit: number,
): HttpException | unknown {
  switch (error.type) {
    case 'entity.too.large':
      return new PayloadTooLargeException(
        `request body too large: this route accepts at most ${limit} bytes (${limitName})`,
      );
    case 'entity.parse.failed':
      return new BadRequestException(`the request body is not valid JSON: ${error.message ?? ''}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeException(error.message);
    case 'request.aborted':
    case 'request.size.invalid':
      return new BadRequestException(`the request body could not be read: ${error.message ?? ''}`);
    default:
      return error;
  }
}
