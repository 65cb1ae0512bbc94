import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, tokenText } from '../env-schemas.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** GCP project ids (6-30 characters), optionally with a legacy `domain:` prefix. */
const GCP_PROJECT_ID = /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Log output. */
export const LOGGING_VARS = {
  logLevel: envVar({
    name: 'LOG_LEVEL',
    schema: enumText(LOG_LEVELS),
    expected: `one of: ${LOG_LEVELS.join(', ')}`,
    default: 'info' as LogLevel,
    description: 'Lowest level written.',
  }),
  gcpProjectId: optionalEnvVar({
    name: 'GCP_PROJECT_ID',
    schema: tokenText(64).regex(GCP_PROJECT_ID),
    expected: 'a GCP project id (6-30 lowercase letters, digits, hyphens, starting with a letter)',
    description:
      'GCP project, used to write trace ids as projects/<id>/traces/<trace> so Cloud Logging links them.',
  }),
};

export type LoggingConfig = EnvValues<typeof LOGGING_VARS>;
