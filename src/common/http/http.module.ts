import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { MetricsModule } from '../metrics/metrics.module.js';
import { PushRoutesCheck } from './push-auth/push-routes.check.js';
import { RequestInputInterceptor } from './request-input.interceptor.js';
import { RouteAccessGuard } from './route-access.guard.js';

/** Who may call each route (by its metadata) and what input reaches its handler. */
@Module({
  imports: [DiscoveryModule, MetricsModule],
  providers: [
    { provide: APP_GUARD, useClass: RouteAccessGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestInputInterceptor },
    PushRoutesCheck,
  ],
})
export class HttpSecurityModule {}
