import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { integerText, tokenText } from '../env-schemas.js';
import { Secret } from '../secret.js';
import { defaultInstanceId, defaultServiceVersion } from '../service-identity.js';

/** HTTP server and service identity. */
export const SERVER_VARS = {
  port: envVar({
    name: 'PORT',
    schema: integerText(0, 65535),
    expected: 'an integer from 0 to 65535',
    default: 8080,
    description:
      'TCP port the HTTP server listens on (Cloud Run sets it); 0 picks a free port and logs it.',
  }),
  host: envVar({
    name: 'HOST',
    schema: tokenText(255),
    expected: 'a host name or IP address without spaces',
    default: '0.0.0.0',
    description: 'Interface the HTTP server binds to.',
  }),
  nodeEnv: envVar({
    name: 'NODE_ENV',
    schema: tokenText(64),
    expected: 'an environment name without spaces (production, development, test)',
    default: 'development',
    description:
      'production makes the secure choices the default (PUSH_AUTH=oidc); the container image sets it.',
  }),
  adminToken: optionalEnvVar({
    name: 'ADMIN_TOKEN',
    schema: tokenText().transform((token) => new Secret(token)),
    expected: 'a token without spaces',
    sensitive: true,
    description:
      'Bearer token for the /v1/ admin endpoints; unset = they answer loopback callers only. Sensitive: masked when printed.',
  }),
  bodyLimitBytes: envVar({
    name: 'BODY_LIMIT_BYTES',
    schema: integerText(1),
    expected: 'a positive integer (bytes)',
    default: 1_048_576,
    description: 'Largest accepted request body, in bytes.',
  }),
  batchBodyLimitBytes: envVar({
    name: 'BATCH_BODY_LIMIT_BYTES',
    schema: integerText(1),
    expected: 'a positive integer (bytes)',
    default: 67_108_864,
    description:
      'Largest body of POST /v1/batches, whose expected_players list may hold a million ids (about 20 MB).',
  }),
  responsePageMaxBytes: envVar({
    name: 'RESPONSE_PAGE_MAX_BYTES',
    schema: integerText(1024),
    expected: 'an integer of at least 1024 (bytes)',
    default: 4_194_304,
    description:
      'Largest serialised items of one list page; a page that would pass it ends early with a next cursor (at least one item is always returned).',
  }),
  serviceVersion: envVar({
    name: 'SERVICE_VERSION',
    schema: tokenText(128),
    expected: 'a version string without spaces, up to 128 characters',
    default: () => defaultServiceVersion(),
    defaultText: "package.json version, else '0.1.0'",
    description: 'Version reported by health and metrics.',
  }),
  instanceId: envVar({
    name: 'INSTANCE_ID',
    schema: tokenText(128),
    expected: 'an id without spaces, up to 128 characters',
    default: () => defaultInstanceId(),
    defaultText: '<hostname>-<pid>',
    description: 'Identity of this process in logs and metrics; the unit of instance-scoped flags.',
  }),
};

export type ServerConfig = EnvValues<typeof SERVER_VARS>;
