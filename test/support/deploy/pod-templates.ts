import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { ManifestObject } from './manifest-object.js';

/** The kinds that run Shotclock's container, and where their pod spec sits. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Service'] as const;

/** A container of a workload, with what names it in messages. */
export interface WorkloadContainer {
  readonly workload: string;
  readonly pod: IPodSpec;
  readonly container: IContainer;
}

/** Whether `object` runs pods: a Deployment, a StatefulSet or a Knative Service. */
export function isWorkload(object: ManifestObject): boolean {
  const kind = object.kind as (typeof WORKLOAD_KINDS)[number];
  if (!WORKLOAD_KINDS.includes(kind)) return false;
  return kind !== 'Service' || object.apiVersion.startsWith('serving.knative.dev/');
}

/** Every container of every workload among `objects`. */
export function workloadContainers(objects: readonly ManifestObject[]): WorkloadContainer[] {
  return objects.filter(isWorkload).flatMap((object) => {
    const spec = object['spec'] as { template?: { spec?: IPodSpec } } | undefined;
    const pod = spec?.template?.spec;
    const workload = `${object.kind} ${object.metadata.name}`;
    if (!pod) throw new Error(`${workload}: no spec.template.spec`);
    return pod.containers.map((container) => ({ workload, pod, container }));
  });
}

/** The data of the ConfigMap `name` among `objects`; throws when there is none. */
export function configMapData(
  objects: readonly ManifestObject[],
  name: string,
): Record<string, string> {
  const map = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name === name,
  );
  if (!map) throw new Error(`ConfigMap ${name} is referenced but not among the objects`);
  return (map['data'] as Record<string, string> | undefined) ?? {};
}

/**
 * The environment a container gets, name -> value: `envFrom` ConfigMaps' keys first, then `env`
 * (which wins, as in Kubernetes). A variable from a Secret gets `secretSample(name)`. A `envFrom`
 * Secret is refused: its keys are not in the manifests, so they could not be checked.
 */
export function containerEnvironment(
  objects: readonly ManifestObject[],
  { workload, container }: WorkloadContainer,
  secretSample: (name: string) => string,
): Map<string, string> {
  const env = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) {
      throw new Error(
        `${workload}: envFrom Secret ${source.secretRef.name}: list its variables under env instead`,
      );
    }
    const name = source.configMapRef?.name;
    if (!name) throw new Error(`${workload}: an envFrom entry without a configMapRef`);
    for (const [key, value] of Object.entries(configMapData(objects, name))) env.set(key, value);
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.secretKeyRef) env.set(variable.name, secretSample(variable.name));
    else if (variable.value !== undefined) env.set(variable.name, variable.value);
    else throw new Error(`${workload}: ${variable.name} has neither a value nor a Secret`);
  }
  return env;
}

/** The HTTP probes of a container, by kind. */
export function httpProbes(container: IContainer): { kind: string; probe: IProbe }[] {
  return (['startupProbe', 'readinessProbe', 'livenessProbe'] as const).flatMap((kind) => {
    const probe = container[kind];
    return probe ? [{ kind, probe }] : [];
  });
}
