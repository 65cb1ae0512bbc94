import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';

let loaded: ServiceDefinition | undefined;

/** google.firestore.v1.Firestore, from the v1.json that @google-cloud/firestore ships. */
export function firestoreServiceDefinition(): ServiceDefinition {
  if (loaded) return loaded;
  // The package's "exports" hide build/protos: resolve its entry point and walk from there.
  const entry = createRequire(import.meta.url).resolve('@google-cloud/firestore');
  const path = join(dirname(entry), '..', 'protos', 'v1.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof fromJSON>[0];
  // camelCase fields, int64 as strings, defaults filled in, and each oneof's member named by a
  // virtual field (`valueType: 'integerValue'`), as the client sees them.
  const definition = fromJSON(json, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  loaded = definition['google.firestore.v1.Firestore'] as ServiceDefinition;
  return loaded;
}
