import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, RequestHandler } from 'express';
import { PUBLIC_ROUTE } from './public-route.decorator.js';

export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/** The admin credential check: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export class AdminAuthorizer {
  private readonly expectedDigest: Buffer | null;

  constructor(token: string | undefined) {
    this.expectedDigest = token ? digest(token) : null;
  }

  /** Throws 401/403 for a caller that may not use admin routes. */
  authorize(request: Pick<Request, 'headers' | 'socket'>): void {
    if (!this.expectedDigest) {
      if (isLoopback(request.socket.remoteAddress)) return;
      throw new ForbiddenException(
        'admin routes answer only loopback callers while ADMIN_TOKEN is not set; set ADMIN_TOKEN to allow remote callers',
      );
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) throw new UnauthorizedException('missing Authorization: Bearer <ADMIN_TOKEN>');
    if (!timingSafeEqual(digest(match[1]!), this.expectedDigest)) {
      throw new UnauthorizedException('the bearer token does not match ADMIN_TOKEN');
    }
  }

  /**
   * The same check as Express middleware, for routes whose body parser must not run before it
   * (a 64 MiB batch body is only read for an authorized caller).
   */
  middleware(): RequestHandler {
    return (request, response, next) => {
      try {
        this.authorize(request);
        next();
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        response.status(error.getStatus()).json(error.getResponse());
      }
    };
  }
}

/**
 * Everything under /v1/ needs `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time.
 * With no token configured, only loopback callers are let in.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly authorizer: AdminAuthorizer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ADMIN_TOKEN) token: string | undefined,
  ) {
    this.authorizer = new AdminAuthorizer(token);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.path.startsWith('/v1/')) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    this.authorizer.authorize(request);
    return true;
  }
}

/** Hashing first gives equal-length inputs, so the comparison time does not depend on the token. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
