import type { Request } from 'express';
import { AdminAuthorizer, isLoopback } from './admin-authorizer.js';

/** A request as Express hands it over: only what the check reads. */
function caller(remoteAddress: string, authorization?: string) {
  return {
    socket: { remoteAddress },
    headers: authorization ? { authorization } : {},
  } as unknown as Pick<Request, 'headers' | 'socket'>;
}

describe('AdminAuthorizer', () => {
  it('refuses a remote caller when no token is configured, naming the fix', () => {
    const authorizer = new AdminAuthorizer(undefined);
    expect(() => authorizer.authorize(caller('10.1.2.3'))).toThrow(/set ADMIN_TOKEN/);
    expect(() => authorizer.authorize(caller('::ffff:127.0.0.1'))).not.toThrow();
  });

  it('lets a caller with the right token in, from anywhere, and refuses a wrong one', () => {
    const authorizer = new AdminAuthorizer('s3cret');
    expect(() => authorizer.authorize(caller('10.1.2.3', 'Bearer s3cret'))).not.toThrow();
    expect(() => authorizer.authorize(caller('127.0.0.1', 'Bearer s3cre'))).toThrow(
      /does not match/,
    );
    expect(() => authorizer.authorize(caller('127.0.0.1'))).toThrow(/missing Authorization/);
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
