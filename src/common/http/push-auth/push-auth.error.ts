/** Why a push delivery was refused; counted by reason in /metrics. */
export type PushAuthFailure =
  | 'missing_token'
  | 'malformed_token'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'unverified_email'
  | 'wrong_account'
  | 'certificates_unavailable';

/** HTTP status of each failure: 401 no valid token, 403 a valid token of someone else, 503 we could not check. */
export function statusOf(reason: PushAuthFailure): 401 | 403 | 503 {
  if (reason === 'wrong_account' || reason === 'unverified_email') return 403;
  if (reason === 'certificates_unavailable') return 503;
  return 401;
}

/** A push delivery that did not prove it comes from an allowed Pub/Sub subscription. */
export class PushAuthError extends Error {
  readonly status: 401 | 403 | 503;

  constructor(
    readonly reason: PushAuthFailure,
    readonly endpoint: string,
    detail: string,
  ) {
    super(`push to ${endpoint} refused (${reason}): ${detail}`);
    this.name = 'PushAuthError';
    this.status = statusOf(reason);
  }
}
