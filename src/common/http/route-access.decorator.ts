import { applyDecorators, SetMetadata } from '@nestjs/common';
import { RequestBody } from './request-body.decorator.js';

export const ROUTE_ACCESS = 'shotclock:route-access';

/**
 * Who may call a route, decided from the route's own metadata (never from its path):
 * - `admin` (the default for every route without this metadata): `Authorization: Bearer <ADMIN_TOKEN>`,
 *   or loopback callers only while no token is configured;
 * - `push`: a Pub/Sub push endpoint, authenticated by Google's OIDC token (PUSH_AUTH);
 * - `public`: anyone (health probes, metrics).
 */
export type RouteAccess =
  | { readonly kind: 'admin' }
  | { readonly kind: 'public' }
  | { readonly kind: 'push'; readonly endpoint: string };

/** Open to anyone: health probes and metrics scrapes. */
export const PublicRoute = () =>
  SetMetadata(ROUTE_ACCESS, { kind: 'public' } satisfies RouteAccess);

/**
 * A Pub/Sub push endpoint named `endpoint` (the last segment of `/v1/push/<endpoint>`): the
 * caller is checked against PUSH_AUTH before anything else, and the body is kept as raw bytes.
 */
export const PushRoute = (endpoint: string) =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS, { kind: 'push', endpoint } satisfies RouteAccess),
    RequestBody({ format: 'raw' }),
  );
