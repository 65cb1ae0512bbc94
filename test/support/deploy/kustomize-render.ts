import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseManifests, type ManifestObject } from './manifest-object.js';

/** Where the objects came from: rendered by kubectl, or the kustomization's files read as they are. */
export type Renderer = 'kubectl' | 'files';

/** How a test name says which renderer produced the objects it checks. */
export function rendererLabel(renderer: Renderer): string {
  return renderer === 'kubectl'
    ? 'rendered by kubectl kustomize'
    : 'read as plain YAML files (kubectl absent)';
}

export function kubectlAvailable(): boolean {
  const result = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return result.status === 0;
}

/**
 * The objects of a kustomize directory. With kubectl: `kubectl kustomize` (the base reads
 * config/ outside its folder, hence the load restrictor). Without it: the objects of every
 * `resources` file, following directories, and a ConfigMap per `configMapGenerator` entry
 * (literals and files, merged by name, without the name hash kustomize adds); patches and
 * transformers (`images`, `labels`) are not applied.
 */
export function renderKustomization(dir: string, renderer: Renderer): ManifestObject[] {
  if (renderer === 'kubectl') {
    const result = spawnSync(
      'kubectl',
      ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    if (result.status !== 0) {
      throw new Error(`kubectl kustomize ${dir} failed (${result.status}): ${result.stderr}`);
    }
    return parseManifests(result.stdout, `kubectl kustomize ${dir}`);
  }
  return mergeConfigMaps(readKustomizationFiles(dir));
}

interface ConfigMapGenerator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
}

interface Kustomization {
  resources?: string[];
  configMapGenerator?: ConfigMapGenerator[];
}

function readKustomizationFiles(dir: string): ManifestObject[] {
  const path = join(dir, 'kustomization.yaml');
  const kustomization = parse(readFileSync(path, 'utf8')) as Kustomization;
  const objects = (kustomization.resources ?? []).flatMap((entry) => {
    const target = resolve(dir, entry);
    return statSync(target).isDirectory()
      ? readKustomizationFiles(target)
      : parseManifests(readFileSync(target, 'utf8'), relative(process.cwd(), target));
  });
  const generated = (kustomization.configMapGenerator ?? []).map((generator) =>
    generatedConfigMap(dir, generator),
  );
  return [...objects, ...generated];
}

function generatedConfigMap(dir: string, generator: ConfigMapGenerator): ManifestObject {
  const data: Record<string, string> = {};
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  for (const file of generator.files ?? []) {
    const path = resolve(dir, file);
    data[path.split('/').at(-1) ?? path] = readFileSync(path, 'utf8');
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data };
}

/** An overlay's generator with `behavior: merge` adds its keys to the base's ConfigMap of that name. */
function mergeConfigMaps(objects: ManifestObject[]): ManifestObject[] {
  const merged = new Map<string, ManifestObject>();
  const others: ManifestObject[] = [];
  for (const object of objects) {
    if (object.kind !== 'ConfigMap') {
      others.push(object);
      continue;
    }
    const earlier = merged.get(object.metadata.name);
    const data = { ...(earlier?.['data'] as object), ...(object['data'] as object) };
    merged.set(object.metadata.name, { ...object, data });
  }
  return [...others, ...merged.values()];
}
