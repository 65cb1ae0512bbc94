import { envVar, type EnvValues } from '../env-var.js';
import { integerText } from '../env-schemas.js';

/** Readiness thresholds. */
export const HEALTH_VARS = {
  readinessMaxProjectionLagEvents: envVar({
    name: 'READINESS_MAX_PROJECTION_LAG_EVENTS',
    schema: integerText(0),
    expected: 'an integer of 0 or more (events)',
    default: 10_000,
    description: 'Readiness threshold: the most events a projection may lag behind the log.',
  }),
};

export type HealthConfig = EnvValues<typeof HEALTH_VARS>;
