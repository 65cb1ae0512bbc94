import { parseAllDocuments } from 'yaml';

/** One Kubernetes or Knative object as read from YAML. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The placeholders the manifests carry, with the values the tests put in their place. */
export const PLACEHOLDER_VALUES: Readonly<Record<string, string>> = {
  __PROJECT__: 'shotclock-test-project',
  __REGION__: 'europe-west1',
  __TAG__: '0.1.0',
};

/** Every object of a YAML stream (`---`-separated); `source` names it in errors. */
export function parseManifests(text: string, source: string): ManifestObject[] {
  return parseAllDocuments(text)
    .map((document, index) => {
      if (document.errors.length > 0) {
        throw new Error(`${source}, document ${index + 1}: ${document.errors[0]?.message}`);
      }
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null)
    .map((value, index) => asManifestObject(value, `${source}, document ${index + 1}`));
}

function asManifestObject(value: unknown, source: string): ManifestObject {
  const object = value as Partial<ManifestObject> | undefined;
  if (
    typeof object?.apiVersion !== 'string' ||
    typeof object.kind !== 'string' ||
    typeof object.metadata?.name !== 'string'
  ) {
    throw new Error(`${source}: not an object with apiVersion, kind and metadata.name`);
  }
  return object as ManifestObject;
}

/** `text` with each placeholder replaced by its test value. */
export function fillPlaceholders(text: string): string {
  return Object.entries(PLACEHOLDER_VALUES).reduce(
    (filled, [placeholder, value]) => filled.replaceAll(placeholder, value),
    text,
  );
}

/** `objects` with each placeholder replaced by its test value. */
export function withPlaceholdersFilled(objects: readonly ManifestObject[]): ManifestObject[] {
  return JSON.parse(fillPlaceholders(JSON.stringify(objects))) as ManifestObject[];
}

/** The `__NAME__` placeholders `objects` carry. */
export function placeholdersIn(objects: readonly ManifestObject[]): string[] {
  return [...new Set(JSON.stringify(objects).match(/__[A-Z]+__/g) ?? [])].sort();
}
