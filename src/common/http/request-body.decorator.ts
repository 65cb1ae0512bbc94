import { SetMetadata } from '@nestjs/common';

export const REQUEST_BODY = 'shotclock:request-body';

/**
 * How a route's body is read, after its caller has been authorized (a body is never read for a
 * caller the route would refuse):
 * - `json` (the default): `application/json` up to BODY_LIMIT_BYTES;
 * - `raw`: the bytes exactly as sent, up to BODY_LIMIT_BYTES (push: fingerprints and quarantine
 *   need them untouched);
 * `limit: 'batch'` allows BATCH_BODY_LIMIT_BYTES (a million expected player ids).
 */
export interface RequestBodyPolicy {
  readonly format: 'json' | 'raw';
  readonly limit?: 'default' | 'batch';
}

export const RequestBody = (policy: RequestBodyPolicy) => SetMetadata(REQUEST_BODY, policy);
