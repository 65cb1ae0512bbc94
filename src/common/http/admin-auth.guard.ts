import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_ROUTE } from './public-route.decorator.js';

export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/**
 * Everything under /v1/ needs `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time.
 * With no token configured, only loopback callers are let in.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expectedDigest: Buffer | null;

  constructor(
    private readonly reflector: Reflector,
    @Inject(ADMIN_TOKEN) token: string | undefined,
  ) {
    this.expectedDigest = token ? digest(token) : null;
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

    if (!this.expectedDigest) {
      if (isLoopback(request.socket.remoteAddress)) return true;
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
