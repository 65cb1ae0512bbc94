import {
  HttpException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { msToWholeSeconds } from '../clock/durations.js';
import { APP_CONFIG, type AppConfig } from '../config/index.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AdminAuthorizer } from './admin-authorizer.js';
import { PushAuthError } from './push-auth/push-auth.error.js';
import { PushAuthenticator } from './push-auth/push-authenticator.js';
import { ROUTE_ACCESS, type RouteAccess } from './route-access.decorator.js';

const ADMIN: RouteAccess = { kind: 'admin' };

/**
 * Decides every HTTP request by the metadata of the route it matched (routing is case-sensitive
 * and strict, so a spelling that is not the route's own matches nothing and answers 404). A route
 * without metadata is an admin route. Runs before the body is read.
 */
@Injectable()
export class RouteAccessGuard implements CanActivate {
  private readonly admin: AdminAuthorizer;
  private readonly push: PushAuthenticator | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.admin = new AdminAuthorizer(config.server.adminToken?.reveal());
    this.push = config.pushAuth.mode === 'oidc' ? new PushAuthenticator(config.pushAuth) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ADMIN;
    switch (access.kind) {
      case 'public':
        return true;
      case 'admin':
        this.admin.authorize(request);
        return true;
      case 'push':
        await this.authenticatePush(access.endpoint, request);
        return true;
    }
  }

  private async authenticatePush(endpoint: string, request: Request): Promise<void> {
    if (!this.push) return;
    try {
      await this.push.authenticate(endpoint, request.headers.authorization);
    } catch (error) {
      if (!(error instanceof PushAuthError)) throw error;
      this.metrics.countPushAuthFailure(endpoint, error.reason);
      const exception = new HttpException(
        { statusCode: error.status, reason: error.reason, message: error.message },
        error.status,
      );
      if (error.status === 503) {
        request.res?.setHeader(
          'Retry-After',
          String(msToWholeSeconds(this.config.timeouts.storeRetryAfterMs)),
        );
      }
      throw exception;
    }
  }
}
