import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import {
  ENV_FILE_VARIABLE,
  knownVariableNames,
  loadConfig,
  NAMESPACE_VARS,
  type AppConfig,
} from '../../src/common/config/index.js';
import { WORKER_HTTP_PATHS } from '../../src/serve.js';
import { startAppRoutes, type AppRoutes } from '../support/deploy/app-routes.js';
import { readDockerfile, stageEnvironment } from '../support/deploy/dockerfile.js';
import {
  kubectlAvailable,
  renderKustomization,
  rendererLabel,
  type Renderer,
} from '../support/deploy/kustomize-render.js';
import {
  parseManifests,
  PLACEHOLDER_VALUES,
  placeholdersIn,
  withPlaceholdersFilled,
  type ManifestObject,
} from '../support/deploy/manifest-object.js';
import { validateManifest } from '../support/deploy/manifest-validation.js';
import {
  configMapData,
  containerEnvironment,
  httpProbes,
  workloadContainers,
  type WorkloadContainer,
} from '../support/deploy/pod-templates.js';

/** Cloud Run sends SIGKILL this long after SIGTERM; the process must be gone by then. */
const CLOUD_RUN_SIGTERM_WINDOW_MS = 10_000;
/** Cloud Run refuses a startup probe whose failureThreshold x periodSeconds passes this. */
const CLOUD_RUN_MAX_STARTUP_SECONDS = 240;
/** A catch-up of 1,000,000 events took 36 s (docs/benchmarks.md); leave it three times that. */
const MIN_STARTUP_WINDOW_SECONDS = 120;
/** The image's working directory, against which relative paths (SQLITE_PATH, config/) resolve. */
const IMAGE_WORKDIR = '/app';

/** What a Secret holds, as the configuration would read it. */
const SECRET_SAMPLES: Readonly<Record<string, string>> = {
  ADMIN_TOKEN: 'admin-token-sample',
  DATABASE_URL: 'postgres://shotclock:password@127.0.0.1:5432/shotclock',
};

type Platform = 'kubernetes' | 'cloud-run';

interface ManifestSet {
  readonly name: string;
  readonly platform: Platform;
  readonly objects: readonly ManifestObject[];
}

const renderer: Renderer = kubectlAvailable() ? 'kubectl' : 'files';
const dockerfile = readDockerfile('Dockerfile');
const runtimeStage = dockerfile.stages.at(-1)!;
const imageEnvironment = stageEnvironment(runtimeStage);

const kubernetesSets: ManifestSet[] = ['single', 'postgres'].map((overlay) => ({
  name: `deploy/k8s/overlays/${overlay}`,
  platform: 'kubernetes',
  objects: renderKustomization(`deploy/k8s/overlays/${overlay}`, renderer),
}));
const cloudRunSets: ManifestSet[] = ['service', 'worker'].map((name) => {
  const path = `deploy/cloudrun/${name}.yaml`;
  return {
    name: path,
    platform: 'cloud-run',
    objects: parseManifests(readFileSync(path, 'utf8'), path),
  };
});
const allSets = [...kubernetesSets, ...cloudRunSets];

function secretSample(name: string): string {
  const sample = SECRET_SAMPLES[name];
  if (sample === undefined) throw new Error(`${name} comes from a Secret: add a sample value`);
  return sample;
}

/** What the container's process reads: the image's ENV beneath the manifest's variables. */
function processEnvironment(set: ManifestSet, entry: WorkloadContainer): Record<string, string> {
  const filled = withPlaceholdersFilled(set.objects);
  const filledEntry = workloadContainers(filled).find(
    (candidate) =>
      candidate.workload === entry.workload && candidate.container.name === entry.container.name,
  )!;
  return {
    ...Object.fromEntries(imageEnvironment),
    ...Object.fromEntries(containerEnvironment(filled, filledEntry, secretSample)),
  };
}

/** Drain + grace of the configuration, also with the TIMEOUT_ overrides on (a flag may turn them on later). */
function shutdownBudgetMs(env: Record<string, string>): number {
  const budget = (config: AppConfig) =>
    config.timeouts.shutdownDrainMs + config.timeouts.shutdownGraceMs;
  return Math.max(
    budget(loadConfig(env)),
    budget(loadConfig({ ...env, ENABLE_CENTRALIZED_TIMEOUTS: 'true' })),
  );
}

function containersOf(set: ManifestSet): [string, WorkloadContainer][] {
  return workloadContainers(set.objects).map((entry) => [
    `${set.name} (${entry.workload}, container ${entry.container.name})`,
    entry,
  ]);
}

const allContainers = allSets.flatMap((set) =>
  containersOf(set).map(([name, entry]) => [name, set, entry] as const),
);

describe(`deploy manifests (Kubernetes ${rendererLabel(renderer)})`, () => {
  it.each(allSets.map((set) => [set.name, set] as const))(
    'every object of %s validates against its kubernetes-models schema',
    (_name, set) => {
      expect(set.objects.length).toBeGreaterThan(0);
      for (const object of set.objects) validateManifest(object);
    },
  );

  it('the validation refuses a wrong type and a Knative container without a name', () => {
    const [service] = cloudRunSets[0]!.objects;
    const broken = structuredClone(service!) as unknown as {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const container = broken.spec.template.spec.containers[0]!;
    container['startupProbe'] = {
      httpGet: { path: '/health/ready', port: 8080 },
      periodSeconds: 'x',
    };
    delete container['name'];
    expect(() => validateManifest(broken as unknown as ManifestObject)).toThrow(
      /periodSeconds must be integer.*required property name|required property name.*periodSeconds must be integer/,
    );
  });

  it.each(allSets.map((set) => [set.name, set] as const))(
    '%s uses only the placeholders docs/deploy.md fills in',
    (_name, set) => {
      const guide = readFileSync('docs/deploy.md', 'utf8');
      const used = placeholdersIn(set.objects);
      expect(used.filter((placeholder) => !(placeholder in PLACEHOLDER_VALUES))).toEqual([]);
      expect(used.filter((placeholder) => !guide.includes(placeholder))).toEqual([]);
    },
  );

  describe('environment', () => {
    const known = new Set([...knownVariableNames(), ENV_FILE_VARIABLE]);
    const sensitive = new Set(
      NAMESPACE_VARS.filter((variable) => variable.sensitive).map((variable) => variable.name),
    );

    it.each(allContainers)('every variable of %s is in the config schema', (_name, set, entry) => {
      const names = [...containerEnvironment(set.objects, entry, () => 'secret').keys()];
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !known.has(name))).toEqual([]);
    });

    it.each(allContainers)(
      '%s takes every sensitive variable from a Secret',
      (_name, set, { container }) => {
        const literal = (container.env ?? [])
          .filter((variable) => !variable.valueFrom?.secretKeyRef)
          .map((variable) => variable.name);
        const fromConfigMaps = (container.envFrom ?? []).flatMap((source) =>
          Object.keys(configMapData(set.objects, source.configMapRef?.name ?? '')),
        );
        expect([...literal, ...fromConfigMaps].filter((name) => sensitive.has(name))).toEqual([]);
        const fromSecrets = (container.env ?? []).filter((variable) => variable.valueFrom);
        if (set.platform === 'cloud-run') {
          // Secret Manager references: the secret's name and a version.
          for (const variable of fromSecrets) {
            expect(variable.valueFrom?.secretKeyRef?.key).toMatch(/^(latest|\d+)$/);
          }
        }
      },
    );

    it.each(allContainers)(
      '%s, its secrets filled in, is a configuration the service starts with',
      (_name, set, entry) => {
        expect(() => loadConfig(processEnvironment(set, entry))).not.toThrow();
      },
    );
  });

  describe('ports and probes', () => {
    let app: AppRoutes;
    beforeAll(async () => {
      app = await startAppRoutes();
    });
    afterAll(async () => {
      await app.close();
    });

    it.each(allContainers)(
      '%s probes the container port, which is the PORT the service listens on',
      (_name, set, entry) => {
        const { port } = loadConfig(processEnvironment(set, entry)).server;
        const ports = entry.container.ports ?? [];
        expect(ports.map((declared) => declared.containerPort)).toEqual([port]);
        const probes = httpProbes(entry.container);
        expect(probes.map(({ kind }) => kind)).toEqual(
          expect.arrayContaining(['startupProbe', 'livenessProbe']),
        );
        for (const { probe } of probes) {
          const target = probe.httpGet?.port;
          const resolved =
            typeof target === 'string'
              ? ports.find((declared) => declared.name === target)?.containerPort
              : target;
          expect(resolved).toBe(port);
        }
      },
    );

    it.each(allContainers)(
      '%s probes /health/live for liveness and /health/ready for startup and readiness',
      (_name, _set, { container }) => {
        expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
        expect(container.startupProbe?.httpGet?.path).toBe('/health/ready');
        if (container.readinessProbe) {
          expect(container.readinessProbe.httpGet?.path).toBe('/health/ready');
        }
      },
    );

    it.each(allContainers)(
      'every probe path of %s is a GET route of the app that answers 200 (and one a worker serves)',
      async (_name, set, entry) => {
        const worker = processEnvironment(set, entry)['SHOTCLOCK_MODE'] === 'worker';
        for (const { probe } of httpProbes(entry.container)) {
          const path = probe.httpGet?.path ?? '(no httpGet)';
          expect(app.routes).toContain(`GET ${path}`);
          expect(await app.statusOf(path)).toBe(200);
          if (worker) expect([...WORKER_HTTP_PATHS]).toContain(path);
        }
      },
    );

    it.each(allContainers)(
      '%s gives the startup probe long enough for a catch-up',
      (_name, set, { container }) => {
        const probe = container.startupProbe!;
        const windowSeconds = (probe.failureThreshold ?? 3) * (probe.periodSeconds ?? 10);
        expect(windowSeconds).toBeGreaterThanOrEqual(MIN_STARTUP_WINDOW_SECONDS);
        if (set.platform === 'cloud-run') {
          expect(windowSeconds).toBeLessThanOrEqual(CLOUD_RUN_MAX_STARTUP_SECONDS);
        }
      },
    );
  });

  describe('shutdown', () => {
    it.each(allContainers.filter(([, set]) => set.platform === 'kubernetes'))(
      '%s: terminationGracePeriodSeconds covers drain + grace',
      (_name, set, entry) => {
        const budgetMs = shutdownBudgetMs(processEnvironment(set, entry));
        expect((entry.pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(budgetMs);
      },
    );

    it.each(allContainers.filter(([, set]) => set.platform === 'cloud-run'))(
      "%s: drain + grace fit Cloud Run's 10 s between SIGTERM and SIGKILL",
      (_name, set, entry) => {
        expect(shutdownBudgetMs(processEnvironment(set, entry))).toBeLessThan(
          CLOUD_RUN_SIGTERM_WINDOW_MS,
        );
      },
    );
  });

  describe('Kubernetes pods', () => {
    const kubernetesContainers = allContainers.filter(([, set]) => set.platform === 'kubernetes');

    it.each(kubernetesContainers)(
      '%s runs as non-root on a read-only root filesystem, with requests and a memory limit',
      (_name, _set, { pod, container }) => {
        expect(container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot).toBe(
          true,
        );
        expect(pod.securityContext?.runAsUser ?? container.securityContext?.runAsUser).not.toBe(0);
        expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.capabilities?.drop).toContain('ALL');
        expect(container.resources?.requests?.['cpu']).toBeDefined();
        expect(container.resources?.requests?.['memory']).toBeDefined();
        expect(container.resources?.limits?.['memory']).toBeDefined();
      },
    );

    it.each(kubernetesContainers)(
      "%s mounts a writable volume at the SQLite file's folder",
      (_name, set, entry) => {
        const { sqlitePath } = loadConfig(processEnvironment(set, entry)).store;
        const folder = posix.dirname(posix.resolve(IMAGE_WORKDIR, sqlitePath));
        const mount = entry.container.volumeMounts?.find((volume) => volume.mountPath === folder);
        expect(mount).toBeDefined();
        expect(mount?.readOnly ?? false).toBe(false);
      },
    );

    it.each(kubernetesContainers)(
      '%s mounts every file of config/ at the config folder, read-only',
      (_name, set, { pod, container }) => {
        const mount = container.volumeMounts?.find(
          (volume) => volume.mountPath === `${IMAGE_WORKDIR}/config`,
        );
        expect(mount?.readOnly).toBe(true);
        const volume = pod.volumes?.find((candidate) => candidate.name === mount?.name);
        const data = configMapData(set.objects, volume?.configMap?.name ?? '(no ConfigMap)');
        const files = readdirSync('config').sort();
        expect(Object.keys(data).sort()).toEqual(files);
        for (const file of files) expect(data[file]).toBe(readFileSync(`config/${file}`, 'utf8'));
      },
    );

    it('single: one StatefulSet replica on SQLite, its file on a PersistentVolumeClaim', () => {
      const set = kubernetesSets[0]!;
      const workloads = set.objects.filter((object) => object.kind === 'StatefulSet');
      expect(workloads).toHaveLength(1);
      const spec = workloads[0]!['spec'] as {
        replicas: number;
        volumeClaimTemplates: { metadata: { name: string } }[];
      };
      expect(spec.replicas).toBe(1);
      const [entry] = workloadContainers(set.objects);
      const env = processEnvironment(set, entry!);
      expect(loadConfig(env).store.eventStore).toBe('sqlite');
      const claims = spec.volumeClaimTemplates.map((claim) => claim.metadata.name);
      const folder = posix.dirname(posix.resolve(IMAGE_WORKDIR, loadConfig(env).store.sqlitePath));
      const mount = entry!.container.volumeMounts?.find((volume) => volume.mountPath === folder);
      expect(claims).toContain(mount?.name);
    });

    it('postgres: a Deployment of several replicas on PostgreSQL, with a PodDisruptionBudget and an autoscaler', () => {
      const set = kubernetesSets[1]!;
      const deployment = set.objects.find((object) => object.kind === 'Deployment')!;
      const spec = deployment['spec'] as {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
      expect(spec.replicas).toBeGreaterThanOrEqual(2);
      const [entry] = workloadContainers(set.objects);
      expect(loadConfig(processEnvironment(set, entry!)).store.eventStore).toBe('postgres');

      const budget = set.objects.find((object) => object.kind === 'PodDisruptionBudget')!;
      const budgetSelector = (budget['spec'] as { selector: { matchLabels: object } }).selector;
      expect(spec.template.metadata.labels).toMatchObject(budgetSelector.matchLabels);

      const autoscaler = set.objects.find((object) => object.kind === 'HorizontalPodAutoscaler')!;
      const scaling = autoscaler['spec'] as {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
      };
      expect(scaling.scaleTargetRef).toMatchObject({
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      expect(scaling.minReplicas).toBeGreaterThanOrEqual(2);
    });
  });

  describe('Cloud Run services', () => {
    it.each(cloudRunSets.map((set) => [set.name, set] as const))(
      '%s sets concurrency, min and max instances, a service account and CPU outside requests',
      (_name, set) => {
        const [service] = set.objects;
        const template = (
          service!['spec'] as {
            template: {
              metadata: { annotations: Record<string, string> };
              spec: { containerConcurrency: number; serviceAccountName: string };
            };
          }
        ).template;
        const annotations = template.metadata.annotations;
        const min = Number(annotations['autoscaling.knative.dev/minScale']);
        const max = Number(annotations['autoscaling.knative.dev/maxScale']);
        expect(min).toBeGreaterThanOrEqual(1);
        expect(max).toBeGreaterThanOrEqual(min);
        expect(template.spec.containerConcurrency).toBeGreaterThan(0);
        expect(template.spec.serviceAccountName).toMatch(
          /@__PROJECT__\.iam\.gserviceaccount\.com$/,
        );
        // Timers, the outbox and pulling run between requests (see the comment in each file).
        expect(annotations['run.googleapis.com/cpu-throttling']).toBe('false');
      },
    );

    it.each(allContainers.filter(([, set]) => set.platform === 'cloud-run'))(
      '%s leaves PORT to Cloud Run, which sets it to the container port',
      (_name, _set, { container }) => {
        expect((container.env ?? []).map((variable) => variable.name)).not.toContain('PORT');
      },
    );
  });
});
