import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminAuthGuard, isLoopback } from './admin-auth.guard.js';

/** An HTTP execution context around a request as Express would hand it over. */
function httpContext(
  path: string,
  remoteAddress: string,
  authorization?: string,
): ExecutionContext {
  const request = {
    path,
    socket: { remoteAddress },
    headers: authorization ? { authorization } : {},
  };
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => function handler() {},
    getClass: () => class Controller {},
  } as unknown as ExecutionContext;
}

describe('AdminAuthGuard', () => {
  it('refuses a remote caller when no token is configured, naming the fix', () => {
    const guard = new AdminAuthGuard(new Reflector(), undefined);
    expect(() => guard.canActivate(httpContext('/v1/flags', '10.1.2.3'))).toThrow(
      /set ADMIN_TOKEN/,
    );
    expect(guard.canActivate(httpContext('/v1/flags', '::ffff:127.0.0.1'))).toBe(true);
    expect(guard.canActivate(httpContext('/health', '10.1.2.3'))).toBe(true);
  });

  it('lets a remote caller with the right token in', () => {
    const guard = new AdminAuthGuard(new Reflector(), 's3cret');
    expect(guard.canActivate(httpContext('/v1/flags', '10.1.2.3', 'Bearer s3cret'))).toBe(true);
    expect(() => guard.canActivate(httpContext('/v1/flags', '127.0.0.1', 'Bearer s3cre'))).toThrow(
      /does not match/,
    );
  });

  it('recognises loopback addresses', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', undefined].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
