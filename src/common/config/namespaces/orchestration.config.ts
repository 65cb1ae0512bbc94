import { z } from 'zod';
import { envVar, type EnvValues } from '../env-var.js';
import { enumText, tokenText } from '../env-schemas.js';

/** Phase fan-in (phase 2 -> phase 3) and alerts. */
export const ORCHESTRATION_VARS = {
  processorsConfigPath: envVar({
    name: 'PROCESSORS_CONFIG_PATH',
    schema: z.string().min(1).max(4096),
    expected: 'a file path',
    default: './config/processors.yaml',
    description:
      'YAML file of the expected processors per phase (required, tracked, aliases), validated at boot.',
  }),
  phase3Topic: envVar({
    name: 'PHASE3_TOPIC',
    schema: tokenText(255),
    expected: 'a topic name without spaces',
    default: 'nba-phase3-trigger',
    description: 'Topic of the phase-3 trigger message published once per game date.',
  }),
  phase2TriggerMode: envVar({
    name: 'PHASE2_TRIGGER_MODE',
    schema: enumText(['trigger', 'monitor'] as const),
    expected: 'trigger or monitor',
    default: 'trigger' as 'trigger' | 'monitor',
    description:
      'trigger: publish the phase-3 trigger; monitor: record and alert everything, publish nothing.',
  }),
};

export type OrchestrationConfig = EnvValues<typeof ORCHESTRATION_VARS>;
