import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { ManifestObject } from './manifest-object.js';

interface Validatable {
  validate(): void;
}

/** The models of the kinds the manifests use, by `apiVersion/kind`. */
const MODELS: ReadonlyMap<string, (data: ManifestObject) => Validatable> = new Map<
  string,
  (data: ManifestObject) => Validatable
>([
  // The model constructors take their own typed shape; the YAML is what validate() checks.
  ['v1/ConfigMap', (data) => new ConfigMap(data as never)],
  ['v1/Service', (data) => new Service(data as never)],
  ['v1/ServiceAccount', (data) => new ServiceAccount(data as never)],
  ['apps/v1/Deployment', (data) => new Deployment(data as never)],
  ['apps/v1/StatefulSet', (data) => new StatefulSet(data as never)],
  ['policy/v1/PodDisruptionBudget', (data) => new PodDisruptionBudget(data as never)],
  ['autoscaling/v2/HorizontalPodAutoscaler', (data) => new HorizontalPodAutoscaler(data as never)],
  ['serving.knative.dev/v1/Service', (data) => new KnativeService(data as never)],
]);

/**
 * Validates `object` against the JSON schema of its kind (types, enums, required fields; the
 * schemas allow unknown fields). Throws naming the object and each violation.
 */
export function validateManifest(object: ManifestObject): void {
  const key = `${object.apiVersion}/${object.kind}`;
  const model = MODELS.get(key);
  if (!model) {
    throw new Error(
      `${key} ${object.metadata.name}: no model to validate it; add its kubernetes-models class to test/support/deploy/manifest-validation.ts`,
    );
  }
  try {
    model(object).validate();
  } catch (error) {
    throw new Error(`${key} ${object.metadata.name} is invalid: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
