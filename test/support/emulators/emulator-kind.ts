// Which target a Google Cloud emulator-backed suite uses: Google's real emulator when its binary is
// on this machine, otherwise the in-process fake. Only node: imports, so that
// `scripts/emulator-targets.mjs` (run by .ci/run) can import this file with Node's type stripping.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type EmulatorTargetKind = 'emulator' | 'fake';

/** One emulator of the Cloud SDK and the variable that picks its target. */
export interface EmulatorSpec {
  /** "pubsub", "firestore": the prefix of the line that says which target ran. */
  readonly service: string;
  /** SHOTCLOCK_<SERVICE>_TARGET=emulator|fake|auto. */
  readonly envName: string;
  /** The launcher's path inside the Cloud SDK root. */
  readonly pathInSdk: string;
  /** The SDK component to install for it. */
  readonly component: string;
}

export const PUBSUB_EMULATOR: EmulatorSpec = {
  service: 'pubsub',
  envName: 'SHOTCLOCK_PUBSUB_TARGET',
  pathInSdk: 'platform/pubsub-emulator/bin/cloud-pubsub-emulator',
  component: 'pubsub-emulator',
};

export const FIRESTORE_EMULATOR: EmulatorSpec = {
  service: 'firestore',
  envName: 'SHOTCLOCK_FIRESTORE_TARGET',
  pathInSdk: 'platform/cloud-firestore-emulator/cloud_firestore_emulator',
  component: 'cloud-firestore-emulator',
};

const WELL_KNOWN_SDK_ROOTS = [
  '/usr/lib/google-cloud-sdk',
  '/usr/share/google-cloud-sdk',
  '/opt/google-cloud-sdk',
  join(homedir(), 'google-cloud-sdk'),
];
const GCLOUD_INFO_TIMEOUT_MS = 15_000;

const cachedBinaries = new Map<string, string | undefined>();
let cachedSdkRoot: { path: string | undefined } | undefined;

/**
 * The path of the emulator's launcher, or undefined when this machine has none. Looks in the usual
 * Cloud SDK roots first (fast), then asks `gcloud` for its SDK root.
 */
export function findEmulatorBinary(spec: EmulatorSpec): string | undefined {
  if (!cachedBinaries.has(spec.service)) {
    cachedBinaries.set(spec.service, searchEmulatorBinary(spec.pathInSdk));
  }
  return cachedBinaries.get(spec.service);
}

function searchEmulatorBinary(pathInSdk: string): string | undefined {
  const known = WELL_KNOWN_SDK_ROOTS.map((root) => join(root, pathInSdk)).find((path) =>
    existsSync(path),
  );
  if (known) return known;
  cachedSdkRoot ??= { path: gcloudSdkRoot() };
  if (!cachedSdkRoot.path) return undefined;
  const fromGcloud = join(cachedSdkRoot.path, pathInSdk);
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
      process.stderr.write(`emulator targets: 'gcloud info' failed (${String(error)})\n`);
    }
    return undefined;
  }
}

/**
 * The target the suite runs against: <envName>=emulator|fake|auto (default auto: the emulator when
 * its binary exists, else the in-process fake).
 */
export function emulatorTargetKind(spec: EmulatorSpec): EmulatorTargetKind {
  const raw = process.env[spec.envName];
  const wanted = (raw ?? 'auto').trim().toLowerCase() || 'auto';
  if (wanted === 'emulator' || wanted === 'fake') return wanted;
  if (wanted !== 'auto') {
    throw new Error(`${spec.envName}=${raw} is not one of emulator, fake, auto`);
  }
  return findEmulatorBinary(spec) ? 'emulator' : 'fake';
}

/** The error for "the emulator was asked for but is not installed". */
export function missingEmulatorError(spec: EmulatorSpec): Error {
  return new Error(
    `the ${spec.service} emulator was asked for (${spec.envName}=${process.env[spec.envName] ?? ''} ` +
      `or an explicit 'emulator' target) but no binary was found: install the Cloud SDK component ` +
      `'${spec.component}' (gcloud components install ${spec.component}) or use ${spec.envName}=fake`,
  );
}

/** One line saying which target `emulatorTargetKind(spec)` picks and why, for logs and CI. */
export function describeEmulatorChoice(spec: EmulatorSpec): string {
  const kind = emulatorTargetKind(spec);
  const binary = findEmulatorBinary(spec);
  if (kind === 'emulator') {
    return `${spec.service} target: emulator (${binary ?? `missing: ${spec.envName}=emulator but no binary`})`;
  }
  const why = binary
    ? `${spec.envName}=fake; emulator present at ${binary}`
    : `no ${spec.service} emulator binary on this machine`;
  return `${spec.service} target: fake (in-process gRPC fake; ${why})`;
}
