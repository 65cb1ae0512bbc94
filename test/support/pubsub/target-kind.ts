// Which Pub/Sub target the tests use. Only node: imports, so that `scripts/pubsub-target.mjs`
// (run by .ci/run) can import this file directly with Node's type stripping.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type PubSubTargetKind = 'emulator' | 'fake';

export const PUBSUB_TARGET_ENV = 'SHOTCLOCK_PUBSUB_TARGET';

const EMULATOR_IN_SDK = 'platform/pubsub-emulator/bin/cloud-pubsub-emulator';
const WELL_KNOWN_SDK_ROOTS = [
  '/usr/lib/google-cloud-sdk',
  '/usr/share/google-cloud-sdk',
  '/opt/google-cloud-sdk',
  join(homedir(), 'google-cloud-sdk'),
];
const GCLOUD_INFO_TIMEOUT_MS = 15_000;

let cachedBinary: { path: string | undefined } | undefined;

/**
 * The path of Google's Pub/Sub emulator launcher, or undefined when this machine has none. Looks in
 * the usual Cloud SDK roots first (fast), then asks `gcloud` for its SDK root.
 */
export function findPubSubEmulatorBinary(): string | undefined {
  cachedBinary ??= { path: searchEmulatorBinary() };
  return cachedBinary.path;
}

function searchEmulatorBinary(): string | undefined {
  const known = WELL_KNOWN_SDK_ROOTS.map((root) => join(root, EMULATOR_IN_SDK)).find((path) =>
    existsSync(path),
  );
  if (known) return known;
  const sdkRoot = gcloudSdkRoot();
  if (!sdkRoot) return undefined;
  const fromGcloud = join(sdkRoot, EMULATOR_IN_SDK);
  return existsSync(fromGcloud) ? fromGcloud : undefined;
}

function gcloudSdkRoot(): string | undefined {
  try {
    const out = execFileSync('gcloud', ['info', '--format=value(installation.sdk_root)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: GCLOUD_INFO_TIMEOUT_MS,
    });
    return out.trim() || undefined;
  } catch (error) {
    // No gcloud on PATH is the normal "no emulator" case; anything else is worth a line.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      process.stderr.write(`pubsub target: 'gcloud info' failed (${String(error)})\n`);
    }
    return undefined;
  }
}

/**
 * The target the suite runs against: SHOTCLOCK_PUBSUB_TARGET=emulator|fake|auto (default auto:
 * the emulator when its binary exists, else the in-process fake).
 */
export function pubSubTargetKind(): PubSubTargetKind {
  const wanted = (process.env[PUBSUB_TARGET_ENV] ?? 'auto').trim().toLowerCase() || 'auto';
  if (wanted === 'emulator' || wanted === 'fake') return wanted;
  if (wanted !== 'auto') {
    throw new Error(
      `${PUBSUB_TARGET_ENV}=${process.env[PUBSUB_TARGET_ENV]} is not one of emulator, fake, auto`,
    );
  }
  return findPubSubEmulatorBinary() ? 'emulator' : 'fake';
}

/** One line saying which target `pubSubTargetKind()` picks and why, for logs and CI. */
export function describePubSubTargetChoice(): string {
  const kind = pubSubTargetKind();
  const binary = findPubSubEmulatorBinary();
  if (kind === 'emulator') {
    return `pubsub target: emulator (${binary ?? `missing: ${PUBSUB_TARGET_ENV}=emulator but no binary`})`;
  }
  const why = binary
    ? `${PUBSUB_TARGET_ENV}=fake; emulator present at ${binary}`
    : 'no Pub/Sub emulator binary on this machine';
  return `pubsub target: fake (in-process gRPC fake; ${why})`;
}
