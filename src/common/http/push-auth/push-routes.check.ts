import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../../config/index.js';
import { ROUTE_ACCESS, type RouteAccess } from '../route-access.decorator.js';

/**
 * At boot: says loudly when push routes are open (PUSH_AUTH=none), and refuses a
 * PUSH_AUTH_ROUTE_AUDIENCES entry naming a route that is not a push route, or an oidc setup
 * that leaves a push route without an audience.
 */
@Injectable()
export class PushRoutesCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('PushAuth');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const endpoints = this.pushEndpoints();
    const { pushAuth } = this.config;
    if (pushAuth.mode === 'none') {
      this.logger.warn(
        `PUSH_AUTH=none: the push routes (${endpoints.join(', ')}) accept messages from anyone who can reach them; ` +
          'set PUSH_AUTH=oidc with PUSH_AUTH_AUDIENCE and PUSH_AUTH_SERVICE_ACCOUNTS outside development',
      );
      return;
    }
    const unknown = [...pushAuth.routeAudiences.keys()].filter((name) => !endpoints.includes(name));
    if (unknown.length > 0) {
      throw new Error(
        `PUSH_AUTH_ROUTE_AUDIENCES names ${unknown.join(', ')}, which is not a push route; push routes: ${endpoints.join(', ')}`,
      );
    }
    const uncovered = endpoints.filter(
      (name) => !pushAuth.routeAudiences.has(name) && pushAuth.audience === undefined,
    );
    if (uncovered.length > 0) {
      throw new Error(
        `PUSH_AUTH=oidc: push route(s) ${uncovered.join(', ')} have no audience; set PUSH_AUTH_AUDIENCE or add them to PUSH_AUTH_ROUTE_AUDIENCES`,
      );
    }
  }

  /** Every endpoint named by a `@PushRoute` of a registered controller. */
  private pushEndpoints(): string[] {
    const endpoints = new Set<string>();
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const access = this.reflector.get<RouteAccess | undefined>(
          ROUTE_ACCESS,
          instance[method] as () => unknown,
        );
        if (access?.kind === 'push') endpoints.add(access.endpoint);
      }
    }
    return [...endpoints].sort();
  }
}
