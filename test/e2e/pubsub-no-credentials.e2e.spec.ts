import { makeTempDir } from '../support/temp-dir.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';

/**
 * On Google Cloud without credentials (no service account, no ADC file, no metadata server), the
 * Pub/Sub client library leaves rejections of its own unhandled; Shotclock must not die of them:
 * it stays up, says what is missing, and retries.
 */
describe('Pub/Sub without Google credentials (real child process, no emulator)', () => {
  const dir = makeTempDir('shotclock-no-credentials-');
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    dir.cleanup();
  });

  it('keeps serving, reports the missing credentials in health and the outbox, and retries', async () => {
    service = await startServiceProcess({
      SQLITE_PATH: `${dir.path}/store.sqlite`,
      GOOGLE_CLOUD_PROJECT: 'proj-no-creds',
      OUTBOX_PUBLISHER: 'pubsub',
      PUBSUB_SUBSCRIPTIONS:
        'prediction-completions=projects/proj-no-creds/subscriptions/prediction-completions',
      // Nowhere to find credentials: no key file, no gcloud ADC file, no metadata server.
      GOOGLE_APPLICATION_CREDENTIALS: '',
      PUBSUB_EMULATOR_HOST: '',
      HOME: dir.path,
      CLOUDSDK_CONFIG: dir.path,
      METADATA_SERVER_DETECTION: 'none',
    });
    const running = service;
    const seenErrorTimes = new Set<string>();
    let outboxDetail = '';
    const deadline = Date.now() + 30_000;
    while (seenErrorTimes.size < 3 || !outboxDetail) {
      if (running.child.exitCode !== null) {
        throw new Error(`the service exited (${running.child.exitCode}):\n${running.output()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `no repeated credential failures within 30 s (saw ${seenErrorTimes.size}, outbox "${outboxDetail}"):\n${running.output()}`,
        );
      }
      const health = (await (await fetch(`${running.baseUrl}/health`)).json()) as {
        dependencies?: {
          pubsub_pull?: { subscriptions?: { last_error: string; last_error_at: string }[] };
        };
      };
      for (const stream of health.dependencies?.pubsub_pull?.subscriptions ?? []) {
        if (stream.last_error?.includes('no Google credentials')) {
          seenErrorTimes.add(stream.last_error_at);
        }
      }
      const outbox = (await (await fetch(`${running.baseUrl}/v1/outbox`)).json()) as {
        topics?: { topic_check?: { state: string; detail: string } | null }[];
      };
      const check = outbox.topics?.find((topic) => topic.topic_check)?.topic_check;
      if (check?.state === 'unchecked' && check.detail.includes('no Google credentials')) {
        outboxDetail = check.detail;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(outboxDetail).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect((await fetch(`${running.baseUrl}/health/live`)).status).toBe(200);
    expect(running.output()).not.toContain('Could not load the default credentials.\n    at');
  });
});
