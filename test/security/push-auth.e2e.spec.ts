import { join } from 'node:path';
import request from 'supertest';
import { OidcIssuer, strangerKey } from '../support/oidc-issuer.js';
import { completion } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { makeTempDir } from '../support/temp-dir.js';
import { startTestApp, TEST_ENV, type TestApp } from '../support/test-app.js';

const ACCOUNT = 'pubsub-push@nba-props-platform.iam.gserviceaccount.com';
const PREDICTIONS_AUDIENCE = 'https://shotclock.example/v1/push/prediction-completions';
const PHASE2_AUDIENCE = 'https://shotclock.example/v1/push/phase2-completions';
const PREDICTIONS = '/v1/push/prediction-completions';
const PHASE2 = '/v1/push/phase2-completions';

/** A phase-2 report: accepted by the route (204) once the caller is authenticated. */
function phase2Envelope() {
  return pushEnvelope(completion('2026-01-22', { processor_name: 'BdlPlayerBoxscoresProcessor' }));
}

describe('Pub/Sub push authentication (PUSH_AUTH=oidc)', () => {
  const issuer = new OidcIssuer();
  let test: TestApp;
  const now = () => Math.floor(Date.now() / 1000);
  const good = (claims = {}) =>
    issuer.token({ aud: PHASE2_AUDIENCE, email: ACCOUNT, email_verified: true, ...claims });

  beforeAll(async () => {
    const certsUrl = await issuer.start();
    test = await startTestApp({
      PUSH_AUTH: 'oidc',
      PUSH_AUTH_ROUTE_AUDIENCES: `prediction-completions=${PREDICTIONS_AUDIENCE},phase2-completions=${PHASE2_AUDIENCE}`,
      PUSH_AUTH_SERVICE_ACCOUNTS: `other@example.iam.gserviceaccount.com,${ACCOUNT}`,
      PUSH_AUTH_CERTS_URL: certsUrl,
    });
  });
  afterAll(async () => {
    await test.close();
    await issuer.stop();
  });

  const push = (path: string, token: string | undefined, body: unknown = phase2Envelope()) => {
    const req = request(test.app.getHttpServer())
      .post(path)
      .set('content-type', 'application/json');
    return (token === undefined ? req : req.set('authorization', `Bearer ${token}`)).send(
      JSON.stringify(body),
    );
  };

  it('accepts a valid token of an allowed account for the route', async () => {
    await push(PHASE2, good()).expect(204);
  });

  it.each([
    ['no header', undefined, 'missing_token'],
    ['not a JWT', 'not-a-jwt', 'unsupported_algorithm'],
    ['the wrong audience', () => good({ aud: 'https://elsewhere.example/push' }), 'wrong_audience'],
    ['the wrong issuer', () => good({ iss: 'https://evil.example' }), 'wrong_issuer'],
    ['an expired token', () => good({ iat: now() - 7200, exp: now() - 3600 }), 'expired'],
    [
      'an unknown key id',
      () =>
        issuer.token(
          { aud: PHASE2_AUDIENCE, email: ACCOUNT, email_verified: true },
          { kid: 'rotated-away' },
        ),
      'unknown_key',
    ],
    [
      'a wrong signature',
      () =>
        issuer.token(
          { aud: PHASE2_AUDIENCE, email: ACCOUNT, email_verified: true },
          { key: strangerKey() },
        ),
      'bad_signature',
    ],
    [
      'another algorithm',
      () =>
        issuer.token(
          { aud: PHASE2_AUDIENCE, email: ACCOUNT, email_verified: true },
          { alg: 'HS256' },
        ),
      'unsupported_algorithm',
    ],
    ["another route's audience", () => good({ aud: PREDICTIONS_AUDIENCE }), 'wrong_audience'],
  ])('answers 401 for %s, without effect', async (_what, token, reason) => {
    const before = await failures(reason);
    const res = await push(PHASE2, typeof token === 'function' ? token() : token).expect(401);
    expect(res.body.reason).toBe(reason);
    expect(JSON.stringify(res.body)).not.toMatch(/eyJ/); // the token is never echoed
    expect(await failures(reason)).toBe(before + 1);
  });

  it.each([
    [
      'another account',
      () => good({ email: 'intruder@example.iam.gserviceaccount.com' }),
      'wrong_account',
    ],
    ['an unverified email', () => good({ email_verified: false }), 'unverified_email'],
  ])('answers 403 for a valid token of %s', async (_what, token, reason) => {
    const res = await push(PHASE2, token()).expect(403);
    expect(res.body.reason).toBe(reason);
  });

  it('refuses before reading the body: junk without a token is 401, not quarantined', async () => {
    const res = await request(test.app.getHttpServer())
      .post(PREDICTIONS)
      .set('content-type', 'application/json')
      .send('{"not": "an envelope"'.repeat(1000))
      .expect(401);
    expect(res.body.reason).toBe('missing_token');
    const quarantine = await request(test.app.getHttpServer()).get('/v1/quarantine').expect(200);
    expect(quarantine.body.items).toEqual([]);
  });

  it('has no effect for a refused push: the genuine message is processed afterwards', async () => {
    const envelope = phase2Envelope();
    await push(PHASE2, good({ aud: PREDICTIONS_AUDIENCE }), envelope).expect(401);
    await push(PHASE2, good(), envelope).expect(204);
    const replay = await push(PHASE2, good(), envelope).expect(204);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('fetches the certificates once and reuses them as their Cache-Control allows', async () => {
    const before = issuer.certificateFetches;
    for (let i = 0; i < 5; i++) await push(PHASE2, good()).expect(204);
    expect(issuer.certificateFetches).toBe(before);
  });

  it('shows the mode in /health', async () => {
    const health = await request(test.app.getHttpServer()).get('/health').expect(200);
    expect(health.body.push_auth).toEqual({ mode: 'oidc', source: 'set' });
  });

  async function failures(reason: string): Promise<number> {
    const metrics = await request(test.app.getHttpServer()).get('/metrics').expect(200);
    const line = metrics.text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('shotclock_push_auth_failures_total{') &&
          l.includes('endpoint="phase2-completions"') &&
          l.includes(`reason="${reason}"`),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  }
});

describe('Pub/Sub push authentication when the certificates cannot be fetched', () => {
  it('answers 503 with Retry-After (Pub/Sub redelivers), not 401', async () => {
    const issuer = new OidcIssuer();
    const certsUrl = await issuer.start();
    issuer.available = false;
    const test = await startTestApp({
      PUSH_AUTH: 'oidc',
      PUSH_AUTH_AUDIENCE: PHASE2_AUDIENCE,
      PUSH_AUTH_SERVICE_ACCOUNTS: ACCOUNT,
      PUSH_AUTH_CERTS_URL: certsUrl,
    });
    try {
      const token = issuer.token({ aud: PHASE2_AUDIENCE, email: ACCOUNT, email_verified: true });
      const send = () =>
        request(test.app.getHttpServer())
          .post(PHASE2)
          .set('content-type', 'application/json')
          .set('authorization', `Bearer ${token}`)
          .send(JSON.stringify(phase2Envelope()));
      const refused = await send().expect(503);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.body.reason).toBe('certificates_unavailable');
      issuer.available = true;
      await send().expect(204);
    } finally {
      await test.close();
      await issuer.stop();
    }
  }, 30_000);
});

describe('PUSH_AUTH defaults', () => {
  it('is oidc in production and refuses to boot without its settings', async () => {
    const { loadConfig } = await import('../../src/common/config/index.js');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PUSH_AUTH_SERVICE_ACCOUNTS=\(unset\): expected the push service account email\(s\), required with PUSH_AUTH=oidc \(the default with NODE_ENV=production\)/,
    );
    expect(loadConfig({ NODE_ENV: 'development' }).pushAuth.mode).toBe('none');
    expect(loadConfig({ NODE_ENV: 'production', PUSH_AUTH: 'none' }).pushAuth.mode).toBe('none');
  });

  it('refuses a route audience for a route that is not a push route', async () => {
    const { createApp } = await import('../../src/bootstrap.js');
    const { loadConfig } = await import('../../src/common/config/index.js');
    const dir = makeTempDir('shotclock-push-auth-');
    const app = await createApp(
      loadConfig({
        ...TEST_ENV,
        SQLITE_PATH: join(dir.path, 'shotclock.sqlite'),
        PUSH_AUTH: 'oidc',
        PUSH_AUTH_ROUTE_AUDIENCES: 'prediction-completion=https://typo.example',
        PUSH_AUTH_SERVICE_ACCOUNTS: ACCOUNT,
      }),
    );
    try {
      await expect(app.init()).rejects.toThrow(
        /names prediction-completion, which is not a push route; push routes: phase2-completions, prediction-completions/,
      );
    } finally {
      await app.close();
      dir.cleanup();
    }
  });
});
