import { z } from 'zod';
import { envVar, type EnvValues } from '../env-var.js';

/** Config-driven scraper workflows. */
export const WORKFLOWS_VARS = {
  workflowsConfigPath: envVar({
    name: 'WORKFLOWS_CONFIG_PATH',
    schema: z.string().min(1).max(4096),
    expected: 'a file path',
    default: './config/workflows.yaml',
    description: 'YAML file of scrapers and workflows (production shape), validated at boot.',
  }),
  gameSchedulePath: envVar({
    name: 'GAME_SCHEDULE_PATH',
    schema: z.string().min(1).max(4096),
    expected: 'a file path',
    default: './config/game-schedule.yaml',
    description:
      'YAML file read by the embedded game-schedule adapter: game dates and first-game times.',
  }),
  scraperServiceUrl: envVar({
    name: 'SCRAPER_SERVICE_URL',
    schema: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'an http(s) URL'),
    expected: 'an http(s) URL',
    default: 'http://127.0.0.1:8081',
    description: 'Base URL of the scraper service; each scraper is called with POST {url}/scrape.',
  }),
};

export type WorkflowsConfig = EnvValues<typeof WORKFLOWS_VARS>;
