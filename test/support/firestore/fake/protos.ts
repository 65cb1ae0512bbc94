import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';

const loaded = new Map<boolean, ServiceDefinition>();

/**
 * google.firestore.v1.Firestore, from the v1.json that @google-cloud/firestore ships: camelCase
 * fields, int64 as strings, each oneof's member named by a virtual field (`valueType:
 * 'integerValue'`), as the client sees them. `defaults` fills in absent fields (the fake serves
 * with them; the counting proxy reads messages as sent, where absent means absent).
 */
export function firestoreServiceDefinition({ defaults = true } = {}): ServiceDefinition {
  const cached = loaded.get(defaults);
  if (cached) return cached;
  // The package's "exports" hide build/protos: resolve its entry point and walk from there.
  const entry = createRequire(import.meta.url).resolve('@google-cloud/firestore');
  const path = join(dirname(entry), '..', 'protos', 'v1.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof fromJSON>[0];
  const definition = fromJSON(json, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults,
    oneofs: true,
  });
  const service = definition['google.firestore.v1.Firestore'] as ServiceDefinition;
  loaded.set(defaults, service);
  return service;
}
