import { createHash, timingSafeEqual } from 'node:crypto';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';

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
