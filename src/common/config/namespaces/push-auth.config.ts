import { z } from 'zod';
import { configIssue, type ConfigIssue } from '../config-issue.js';
import { envVar, optionalEnvVar, type EnvValues } from '../env-var.js';
import { enumText, tokenText } from '../env-schemas.js';

export const PUSH_AUTH_MODES = ['oidc', 'none'] as const;
export type PushAuthMode = (typeof PUSH_AUTH_MODES)[number];

/** Where Google publishes the certificates that sign its OIDC tokens (PEM, by key id). */
export const GOOGLE_OIDC_CERTS_URL = 'https://www.googleapis.com/oauth2/v1/certs';

const EMAIL = /^[^\s@,]+@[^\s@,]+$/;

/** `a,b,c` with each item checked; empty items refused. */
function listText(item: z.ZodString) {
  return z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()))
    .pipe(z.array(item).min(1));
}

/** `endpoint=audience,endpoint=audience`: the audience is everything after the first `=`. */
const routeAudiences = z
  .string()
  .transform((text) =>
    text.split(',').map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()] as const;
    }),
  )
  .pipe(
    z
      .array(
        z.tuple([z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.string().regex(/^\S{1,2048}$/)]),
      )
      .min(1),
  )
  .transform((entries) => new Map(entries));

/** How Pub/Sub push deliveries prove they come from Google, for the configured subscriptions. */
export const PUSH_AUTH_VARS = {
  mode: optionalEnvVar({
    name: 'PUSH_AUTH',
    schema: enumText(PUSH_AUTH_MODES),
    expected: 'oidc or none',
    description:
      "oidc: every push needs Google's OIDC token for PUSH_AUTH_AUDIENCE from one of PUSH_AUTH_SERVICE_ACCOUNTS; none: push routes accept anyone (warned at boot, shown in /health). Default: oidc when NODE_ENV=production, else none.",
  }),
  audience: optionalEnvVar({
    name: 'PUSH_AUTH_AUDIENCE',
    schema: tokenText(2048),
    expected: 'the audience configured on the push subscriptions (usually the push URL)',
    description:
      "The `aud` every push token must carry (the push subscription's audience); PUSH_AUTH_ROUTE_AUDIENCES overrides it per route.",
  }),
  routeAudiences: optionalEnvVar({
    name: 'PUSH_AUTH_ROUTE_AUDIENCES',
    schema: routeAudiences,
    expected:
      'endpoint=audience pairs separated by commas (endpoint: the last segment of /v1/push/<endpoint>)',
    description:
      'Per push route audience, e.g. `prediction-completions=https://svc/v1/push/prediction-completions`, when subscriptions use different audiences; a token for one route is refused on another.',
  }),
  serviceAccounts: optionalEnvVar({
    name: 'PUSH_AUTH_SERVICE_ACCOUNTS',
    schema: listText(z.string().regex(EMAIL).max(320)),
    expected: 'service account emails separated by commas',
    description:
      "Service accounts whose push tokens are accepted (the push subscriptions' `oidcToken.serviceAccountEmail`); `email_verified` must be true. A valid token of another account answers 403.",
  }),
  certsUrl: envVar({
    name: 'PUSH_AUTH_CERTS_URL',
    schema: tokenText(2048).regex(/^https?:\/\/\S+$/),
    expected: 'an http(s) URL serving PEM certificates by key id',
    default: GOOGLE_OIDC_CERTS_URL,
    description:
      "Where the token signing certificates are fetched (cached for as long as the answer's Cache-Control allows).",
  }),
};

type PushAuthValues = EnvValues<typeof PUSH_AUTH_VARS>;

/** Push authentication, resolved: the mode and what `oidc` checks. */
export interface PushAuthConfig {
  readonly mode: PushAuthMode;
  /** Whether the mode was chosen by NODE_ENV rather than set. */
  readonly modeSource: 'set' | 'default';
  readonly audience: string | undefined;
  readonly routeAudiences: ReadonlyMap<string, string>;
  readonly serviceAccounts: readonly string[];
  readonly certsUrl: string;
}

/** Applies the NODE_ENV default and checks that `oidc` has what it needs; every problem is an issue. */
export function resolvePushAuth(
  values: PushAuthValues,
  nodeEnv: string,
): { value: PushAuthConfig; issues: ConfigIssue[] } {
  const mode = values.mode ?? (nodeEnv === 'production' ? 'oidc' : 'none');
  const why =
    values.mode === undefined
      ? `PUSH_AUTH=oidc (the default with NODE_ENV=${nodeEnv})`
      : 'PUSH_AUTH=oidc';
  const issues: ConfigIssue[] = [];
  if (mode === 'oidc') {
    if (!values.serviceAccounts) {
      issues.push(
        configIssue(
          'PUSH_AUTH_SERVICE_ACCOUNTS',
          '(unset)',
          `the push service account email(s), required with ${why}`,
        ),
      );
    }
    if (!values.audience && !values.routeAudiences) {
      issues.push(
        configIssue(
          'PUSH_AUTH_AUDIENCE',
          '(unset)',
          `the push subscriptions' audience (or PUSH_AUTH_ROUTE_AUDIENCES), required with ${why}; or set PUSH_AUTH=none to accept unauthenticated pushes`,
        ),
      );
    }
  }
  return {
    value: {
      mode,
      modeSource: values.mode === undefined ? 'default' : 'set',
      audience: values.audience,
      routeAudiences: values.routeAudiences ?? new Map(),
      serviceAccounts: values.serviceAccounts ?? [],
      certsUrl: values.certsUrl,
    },
    issues,
  };
}
