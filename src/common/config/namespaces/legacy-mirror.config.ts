import { z } from 'zod';
import { configIssue, type ConfigIssue } from '../config-issue.js';
import { envVar, type EnvValues } from '../env-var.js';

const booleanText = z
  .string()
  .regex(/^(true|false|1|0)$/i)
  .transform((text) => /^(true|1)$/i.test(text));

const percentText = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number)
  .pipe(z.number().min(0).max(100));

/**
 * The legacy mirror (docs/legacy-mirror.md): the platform's Firestore documents
 * (`prediction_batches`, `phase2_completion`) written from the event log during the migration.
 */
export const LEGACY_MIRROR_VARS = {
  firestoreLegacyMirror: envVar({
    name: 'FIRESTORE_LEGACY_MIRROR',
    schema: booleanText,
    expected: 'true or false',
    default: false,
    description:
      'true: write prediction_batches and phase2_completion in the platform layout into Firestore (GOOGLE_CLOUD_PROJECT, FIRESTORE_DATABASE_ID) from the log, with the completion layout of ENABLE_SUBCOLLECTION_COMPLETIONS and DUAL_WRITE_MODE per batch; works with any EVENT_STORE.',
  }),
  legacyMirrorCheckPercent: envVar({
    name: 'LEGACY_MIRROR_CHECK_PERCENT',
    schema: percentText,
    expected: 'a percentage from 0 to 100 (decimals allowed)',
    default: 10,
    description:
      'Share of completed batches (sticky per batch id) whose mirrored documents are read back and compared with the log; mismatches show in GET /v1/batches/:id and raise an alert.',
  }),
};

export type LegacyMirrorConfig = EnvValues<typeof LEGACY_MIRROR_VARS>;

/** The mirror writes into one project's database: it must be named, never guessed from credentials. */
export function legacyMirrorIssues(
  values: LegacyMirrorConfig,
  googleCloudProject: string | undefined,
): ConfigIssue[] {
  if (!values.firestoreLegacyMirror || googleCloudProject !== undefined) return [];
  return [
    configIssue(
      'GOOGLE_CLOUD_PROJECT',
      '(unset)',
      'the project whose Firestore the legacy mirror writes, required with FIRESTORE_LEGACY_MIRROR=true (or set FIRESTORE_LEGACY_MIRROR=false)',
    ),
  ];
}
