import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';

/** The Pub/Sub v1 services, from the protos.json that @google-cloud/pubsub ships. */
export interface PubSubServiceDefinitions {
  publisher: ServiceDefinition;
  subscriber: ServiceDefinition;
}

let loaded: PubSubServiceDefinitions | undefined;

export function pubSubServiceDefinitions(): PubSubServiceDefinitions {
  if (loaded) return loaded;
  const path = createRequire(import.meta.url).resolve(
    '@google-cloud/pubsub/build/protos/protos.json',
  );
  const json = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof fromJSON>[0];
  // camelCase fields, int64 as strings, every field present (defaults), as the client sees them.
  const definition = fromJSON(json, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  loaded = {
    publisher: definition['google.pubsub.v1.Publisher'] as ServiceDefinition,
    subscriber: definition['google.pubsub.v1.Subscriber'] as ServiceDefinition,
  };
  return loaded;
}
