import { OAuth2Client, type TokenPayload } from 'google-auth-library';
import type { PushAuthConfig } from '../../config/namespaces/push-auth.config.js';
import { PushAuthError, type PushAuthFailure } from './push-auth.error.js';

/** The issuers Google puts on the OIDC tokens of push subscriptions. */
const GOOGLE_ISSUERS = ['accounts.google.com', 'https://accounts.google.com'];

/** Who a verified push came from. */
export interface PushCaller {
  readonly email: string;
  readonly audience: string;
}

/**
 * Checks `Authorization: Bearer <OIDC token>` of a Pub/Sub push delivery: RS256 signature against
 * Google's certificates (fetched from PUSH_AUTH_CERTS_URL and cached as its Cache-Control allows),
 * issuer, audience of the route, expiry with the library's clock skew, and an allowed, verified
 * service account. The token never appears in an error (the library's messages quote it).
 */
export class PushAuthenticator {
  private readonly client: OAuth2Client;
  private readonly accounts: ReadonlySet<string>;

  constructor(private readonly config: PushAuthConfig) {
    this.client = new OAuth2Client({
      endpoints: { oauth2FederatedSignonPemCertsUrl: config.certsUrl },
      issuers: GOOGLE_ISSUERS,
    });
    this.accounts = new Set(config.serviceAccounts.map((email) => email.toLowerCase()));
  }

  /** The audience a route's tokens must carry. */
  audienceOf(endpoint: string): string | undefined {
    return this.config.routeAudiences.get(endpoint) ?? this.config.audience;
  }

  async authenticate(endpoint: string, authorization: string | undefined): Promise<PushCaller> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) {
      throw new PushAuthError(
        'missing_token',
        endpoint,
        'no Authorization: Bearer <token>; configure the push subscription with an OIDC token (--push-auth-service-account)',
      );
    }
    const audience = this.audienceOf(endpoint);
    if (!audience) {
      throw new PushAuthError(
        'wrong_audience',
        endpoint,
        'no audience is configured for this route (PUSH_AUTH_AUDIENCE or PUSH_AUTH_ROUTE_AUDIENCES)',
      );
    }
    if (algorithmOf(token) !== 'RS256') {
      throw new PushAuthError(
        'unsupported_algorithm',
        endpoint,
        'the token is not signed with RS256',
      );
    }
    await this.certificates(endpoint);
    let payload: TokenPayload | undefined;
    try {
      payload = (await this.client.verifyIdToken({ idToken: token, audience })).getPayload();
    } catch (error) {
      const reason = failureOf(error);
      throw new PushAuthError(reason, endpoint, DETAILS[reason]);
    }
    const email = payload?.email?.toLowerCase();
    if (!email || !this.accounts.has(email)) {
      throw new PushAuthError(
        'wrong_account',
        endpoint,
        `the token belongs to ${email ?? 'no account'}, which is not in PUSH_AUTH_SERVICE_ACCOUNTS`,
      );
    }
    if (payload?.email_verified !== true) {
      throw new PushAuthError(
        'unverified_email',
        endpoint,
        `the token's email ${email} is not verified`,
      );
    }
    return { email, audience };
  }

  /** Fetches (or reuses) the signing certificates; a failure is ours, not the caller's: 503. */
  private async certificates(endpoint: string): Promise<void> {
    try {
      await this.client.getFederatedSignonCertsAsync();
    } catch (error) {
      throw new PushAuthError(
        'certificates_unavailable',
        endpoint,
        `could not fetch the token signing certificates from ${this.config.certsUrl}: ${
          error instanceof Error ? error.message : String(error)
        }; Pub/Sub will redeliver`,
      );
    }
  }
}

/** The `alg` of a JWT's header, or null when the header cannot be read. */
function algorithmOf(token: string): string | null {
  const [header] = token.split('.');
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'alg' in parsed
      ? String(parsed.alg)
      : null;
  } catch {
    // Not a JWT header at all: reported as an unsupported algorithm, like any unreadable header.
    return null;
  }
}

/** google-auth-library reports each check by message only: map them to reasons. */
const MESSAGE_REASONS: ReadonlyArray<[RegExp, PushAuthFailure]> = [
  [/^No pem found for envelope/, 'unknown_key'],
  [/^Invalid token signature/, 'bad_signature'],
  [/^Token used too late/, 'expired'],
  [/^Token used too early/, 'not_yet_valid'],
  [/^Expiration time too far in future/, 'not_yet_valid'],
  [/^Invalid issuer/, 'wrong_issuer'],
  [/^Wrong recipient/, 'wrong_audience'],
];

function failureOf(error: unknown): PushAuthFailure {
  const message = error instanceof Error ? error.message : String(error);
  return MESSAGE_REASONS.find(([pattern]) => pattern.test(message))?.[1] ?? 'malformed_token';
}

const DETAILS: Record<PushAuthFailure, string> = {
  missing_token: 'no bearer token',
  malformed_token: 'the token is not a well-formed JWT (missing iat/exp, bad segments or JSON)',
  unsupported_algorithm: 'the token is not signed with RS256',
  unknown_key: "the token's key id is not among the signing certificates",
  bad_signature: 'the token signature does not verify',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet (or claims an excessive lifetime)',
  wrong_issuer: 'the token was not issued by accounts.google.com',
  wrong_audience:
    "the token's audience is not this route's (PUSH_AUTH_AUDIENCE / PUSH_AUTH_ROUTE_AUDIENCES)",
  unverified_email: "the token's email is not verified",
  wrong_account: 'the token belongs to an account that is not allowed',
  certificates_unavailable: 'the signing certificates could not be fetched',
};
