import { z } from 'zod';
import { envVar, type EnvValues } from '../env-var.js';
import { enumText, tokenText } from '../env-schemas.js';

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
  gameScheduleSource: envVar({
    name: 'GAME_SCHEDULE_SOURCE',
    schema: enumText(['file', 'bigquery'] as const),
    expected: 'file or bigquery',
    default: 'file' as 'file' | 'bigquery',
    description:
      'Where game_aware decisions read game dates: file (GAME_SCHEDULE_PATH) or bigquery (GAME_SCHEDULE_TABLE, needs ANALYTICS_SINK=bigquery).',
  }),
  gameScheduleTable: envVar({
    name: 'GAME_SCHEDULE_TABLE',
    schema: tokenText(1024).refine(
      (name) => /^[A-Za-z0-9_]+\.[A-Za-z0-9_-]+$/.test(name),
      'dataset.table (letters, digits, _; the table may hold -)',
    ),
    expected: 'dataset.table, e.g. nba_raw.nbac_schedule',
    default: 'nba_raw.nbac_schedule',
    description:
      'BigQuery schedule table read with GAME_SCHEDULE_SOURCE=bigquery, in the project of BIGQUERY_PROJECT_ID (columns game_date, game_id, game_date_est, game_status).',
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
