import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/common/config/index.js';
import { startAppRoutes } from '../support/deploy/app-routes.js';
import {
  flagsOf,
  RECORDED_PROJECT_NUMBER,
  runWithRecordedGcloud,
  type GcloudRun,
} from '../support/deploy/gcloud-recorder.js';
import { parseManifests } from '../support/deploy/manifest-object.js';
import { workloadContainers } from '../support/deploy/pod-templates.js';

/** deploy/pubsub/create-resources.sh run with a gcloud that records its calls. */
const SCRIPT = 'deploy/pubsub/create-resources.sh';
const PROJECT = 'shotclock-test-project';
const SERVICE_URL = 'https://shotclock-abc.a.run.app';
const ENV = { PROJECT, REGION: 'europe-west1', SERVICE_URL };
const DEAD_LETTER = `projects/${PROJECT}/topics/shotclock-dead-letter`;

function callsOf(run: GcloudRun, ...command: string[]): (readonly string[])[] {
  return run.calls.filter((call) => command.every((word, index) => call[index] === word));
}

/** The subscriptions that feed a push route (all but the dead-letter keeper). */
function routeSubscriptionCalls(run: GcloudRun, verb: 'create' | 'update') {
  return callsOf(run, 'pubsub', 'subscriptions', verb).filter(
    (call) => call[3] !== 'shotclock-dead-letter',
  );
}

function expectDeliveryPolicy(call: readonly string[]): void {
  expect(Object.fromEntries(flagsOf(call))).toMatchObject({
    'ack-deadline': '600',
    'message-retention-duration': '7d',
    'dead-letter-topic': DEAD_LETTER,
    'max-delivery-attempts': '5',
  });
}

/** The push settings the Cloud Run service checks tokens against. */
function servicePushSettings(): Map<string, string> {
  const text = readFileSync('deploy/cloudrun/service.yaml', 'utf8').replaceAll(
    '__PROJECT__',
    PROJECT,
  );
  const [entry] = workloadContainers(parseManifests(text, 'deploy/cloudrun/service.yaml'));
  return new Map(
    (entry?.container.env ?? []).map((variable) => [variable.name, variable.value ?? '']),
  );
}

describe(`${SCRIPT} (gcloud recorded)`, () => {
  let pushRoutes: string[];
  beforeAll(async () => {
    const app = await startAppRoutes();
    try {
      pushRoutes = app.routes
        .filter((route) => route.startsWith('POST /v1/push/'))
        .map((route) => route.slice('POST '.length));
    } finally {
      await app.close();
    }
  });

  describe('push delivery, nothing existing yet', () => {
    let run: GcloudRun;
    beforeAll(() => {
      run = runWithRecordedGcloud(SCRIPT, ENV, { existing: false });
    });

    it('succeeds', () => {
      expect(run).toMatchObject({ status: 0 });
    });

    it('creates the topics Shotclock reads and publishes to, and the dead-letter topic', () => {
      const defaults = loadConfig({});
      const created = callsOf(run, 'pubsub', 'topics', 'create').map((call) => call[3]);
      expect(created).toEqual(
        expect.arrayContaining([
          defaults.orchestration.phase3Topic,
          defaults.ingestion.phase5Topic,
          'shotclock-dead-letter',
        ]),
      );
      for (const call of callsOf(run, 'pubsub', 'topics', 'create')) {
        expect(flagsOf(call).get('message-storage-policy-allowed-regions')).toBe('europe-west1');
      }
    });

    it('creates one push subscription per push route of the app, each with the delivery policy', () => {
      const subscriptions = routeSubscriptionCalls(run, 'create');
      const endpoints = subscriptions.map((call) => flagsOf(call).get('push-endpoint'));
      expect(endpoints.sort()).toEqual(pushRoutes.map((route) => `${SERVICE_URL}${route}`).sort());
      for (const call of subscriptions) expectDeliveryPolicy(call);
    });

    it("authenticates pushes as the Cloud Run service's PUSH_AUTH settings expect", () => {
      const settings = servicePushSettings();
      for (const call of routeSubscriptionCalls(run, 'create')) {
        const flags = flagsOf(call);
        expect(flags.get('push-auth-token-audience')).toBe(settings.get('PUSH_AUTH_AUDIENCE'));
        expect(flags.get('push-auth-service-account')).toBe(
          settings.get('PUSH_AUTH_SERVICE_ACCOUNTS'),
        );
      }
    });

    it('grants Pub/Sub what dead-lettering and push tokens need, and Shotclock its topics', () => {
      const keeper = callsOf(run, 'pubsub', 'subscriptions', 'create').find(
        (call) => call[3] === 'shotclock-dead-letter',
      );
      expect(flagsOf(keeper ?? []).get('topic')).toBe('shotclock-dead-letter');
      const agent = `serviceAccount:service-${RECORDED_PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com`;
      const runtime = `serviceAccount:shotclock@${PROJECT}.iam.gserviceaccount.com`;
      const bindings = run.calls.filter((call) => call.includes('add-iam-policy-binding'));
      const granted = bindings.map((call) => {
        const flags = flagsOf(call);
        return `${call[3]} ${flags.get('member')} ${flags.get('role')}`;
      });
      expect(granted).toEqual(
        expect.arrayContaining([
          `shotclock-dead-letter ${agent} roles/pubsub.publisher`,
          `shotclock-phase2-completions ${agent} roles/pubsub.subscriber`,
          `shotclock-prediction-completions ${agent} roles/pubsub.subscriber`,
          `shotclock-push@${PROJECT}.iam.gserviceaccount.com ${agent} roles/iam.serviceAccountTokenCreator`,
          `nba-phase3-trigger ${runtime} roles/pubsub.publisher`,
          `nba-phase3-trigger ${runtime} roles/pubsub.viewer`,
          `nba-phase5-predictions-complete ${runtime} roles/pubsub.publisher`,
          `nba-phase5-predictions-complete ${runtime} roles/pubsub.viewer`,
        ]),
      );
    });
  });

  it('run again over existing resources, updates each subscription with the same policy', () => {
    const run = runWithRecordedGcloud(SCRIPT, ENV, { existing: true });
    expect(run).toMatchObject({ status: 0 });
    expect(callsOf(run, 'pubsub', 'topics', 'create')).toEqual([]);
    expect(callsOf(run, 'pubsub', 'subscriptions', 'create')).toEqual([]);
    const updates = routeSubscriptionCalls(run, 'update');
    expect(updates).toHaveLength(pushRoutes.length);
    for (const call of updates) expectDeliveryPolicy(call);
  });

  it('with DELIVERY=pull, makes pull subscriptions the runtime account may read', () => {
    const created = runWithRecordedGcloud(
      SCRIPT,
      { PROJECT, REGION: 'europe-west1', DELIVERY: 'pull' },
      { existing: false },
    );
    expect(created).toMatchObject({ status: 0 });
    const subscriptions = routeSubscriptionCalls(created, 'create');
    expect(subscriptions).toHaveLength(pushRoutes.length);
    for (const call of subscriptions) {
      expectDeliveryPolicy(call);
      expect(flagsOf(call).has('push-endpoint')).toBe(false);
    }
    const readers = created.calls.filter(
      (call) =>
        call.includes('add-iam-policy-binding') &&
        flagsOf(call).get('member') ===
          `serviceAccount:shotclock@${PROJECT}.iam.gserviceaccount.com` &&
        flagsOf(call).get('role') === 'roles/pubsub.subscriber',
    );
    expect(readers).toHaveLength(pushRoutes.length);

    const switched = runWithRecordedGcloud(
      SCRIPT,
      { PROJECT, REGION: 'europe-west1', DELIVERY: 'pull' },
      { existing: true },
    );
    const modified = callsOf(switched, 'pubsub', 'subscriptions', 'modify-push-config');
    expect(modified.map((call) => flagsOf(call).get('push-endpoint'))).toEqual(
      pushRoutes.map(() => ''),
    );
  });

  it('refuses to start without PROJECT, or with push delivery and no SERVICE_URL', () => {
    const noProject = runWithRecordedGcloud(
      SCRIPT,
      { REGION: 'europe-west1' },
      { existing: false },
    );
    expect(noProject.status).not.toBe(0);
    expect(noProject.output).toContain('set PROJECT');
    expect(noProject.calls).toEqual([]);
    const noUrl = runWithRecordedGcloud(
      SCRIPT,
      { PROJECT, REGION: 'europe-west1' },
      { existing: false },
    );
    expect(noUrl.status).not.toBe(0);
    expect(noUrl.output).toContain('set SERVICE_URL');
    expect(noUrl.calls).toEqual([]);
  });
});
