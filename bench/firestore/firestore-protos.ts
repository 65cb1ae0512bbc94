import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';

let loaded: ServiceDefinition | undefined;

/** google.firestore.v1.Firestore, from the v1.json that @google-cloud/firestore ships. */
export function firestoreServiceDefinition(): ServiceDefinition {
  if (loaded) return loaded;
  // The package's exports map hides build/protos: find it beside the entry (build/src/index.js).
  const entry = createRequire(import.meta.url).resolve('@google-cloud/firestore');
  const path = join(dirname(entry), '..', 'protos', 'v1.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof fromJSON>[0];
  const definition = fromJSON(json, {
    keepCase: false,
    longs: String,
    enums: String,
    oneofs: true,
  });
  loaded = definition['google.firestore.v1.Firestore'] as ServiceDefinition;
  return loaded;
}
