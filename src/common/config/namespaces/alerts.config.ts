import { z } from 'zod';
import { optionalEnvVar, type EnvValues } from '../env-var.js';
import { Secret } from '../secret.js';

/** Where alerts go besides the event log and the logs. */
export const ALERTS_VARS = {
  slackWebhookUrl: optionalEnvVar({
    name: 'SLACK_WEBHOOK_URL',
    schema: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//.test(url), 'an http(s) URL')
      .transform((url) => new Secret(url)),
    expected: 'an http(s) URL',
    sensitive: true,
    description:
      'Slack incoming-webhook URL for alerts; unset = alerts are recorded and logged only. Sensitive: never logged.',
  }),
};

export type AlertsConfig = EnvValues<typeof ALERTS_VARS>;
