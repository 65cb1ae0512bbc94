import { rawRequest } from '../support/raw-http.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

/**
 * Credentials sent where they do not belong (a token in the query string) never reach the logs:
 * the service runs as a real process at LOG_LEVEL=debug and its whole output is searched.
 */
describe('secrets in URLs stay out of the logs (real process output)', () => {
  let service: ServiceProcess;
  const ADMIN = 'admin-token-never-logged-0123456789';

  beforeAll(async () => {
    service = await startServiceProcess({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
  });

  it('redacts credential query parameters in every logged URL', async () => {
    const { hostname, port } = new URL(service.baseUrl);
    const secrets = {
      access_token: 'SECRET-access-token-1',
      key: 'SECRET-api-key-2',
      'X-Goog-Signature': 'SECRET-signature-3',
      token: 'SECRET-token-4',
      password: 'SECRET-password-5',
    };
    const paths = [
      `/v1/flags?access_token=${secrets.access_token}`,
      `/v1/events?limit=1&key=${secrets.key}`,
      `/nowhere?X-Goog-Signature=${secrets['X-Goog-Signature']}`,
      `/health?token=${secrets.token}`,
      `/v1/flags?password=${secrets.password}`,
    ];
    for (const path of paths) {
      for (const authorization of [`Bearer ${ADMIN}`, undefined]) {
        const res = await rawRequest({
          host: hostname,
          port: Number(port),
          method: 'GET',
          path,
          headers: authorization ? { authorization } : {},
        });
        expect(res.status).toBeGreaterThanOrEqual(200);
      }
    }
    // The request lines were written (so the search below is meaningful), with the values cut out.
    const output = await settledOutput(service, paths.length * 2);
    expect(output).toContain('access_token=[REDACTED]');
    expect(output).toContain('X-Goog-Signature=[REDACTED]');
    expect(output).toContain('limit=1&key=[REDACTED]');
    for (const secret of [...Object.values(secrets), ADMIN]) expect(output).not.toContain(secret);
  });
});

/** The output once `lines` request lines have been written (logging is synchronous, but piped). */
async function settledOutput(service: ServiceProcess, lines: number): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const output = service.output();
    const written = output.split('\n').filter((line) => line.includes('"req":')).length;
    if (written >= lines || Date.now() > deadline) return output;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
