import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Used when no package.json named `shotclock` is found above this file (e.g. a copied bundle). */
export const FALLBACK_SERVICE_VERSION = '0.1.0';

const PACKAGE_NAME = 'shotclock';

/** Default INSTANCE_ID: unique per process on a host, stable for the process's life. */
export function defaultInstanceId(): string {
  return `${hostname()}-${process.pid}`;
}

/** The pid behind a default INSTANCE_ID of this host; null for any other id. */
export function localPidOf(instanceId: string): number | null {
  const prefix = `${hostname()}-`;
  if (!instanceId.startsWith(prefix)) return null;
  const pid = instanceId.slice(prefix.length);
  return /^\d+$/.test(pid) ? Number(pid) : null;
}

/**
 * Default SERVICE_VERSION: the version in the nearest package.json named `shotclock` above this
 * file (works from src/, dist/ and .bench-dist/), else FALLBACK_SERVICE_VERSION.
 */
export function defaultServiceVersion(startDir = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = startDir; ; dir = dirname(dir)) {
    const manifest = readPackageJson(join(dir, 'package.json'));
    if (manifest?.name === PACKAGE_NAME && typeof manifest.version === 'string')
      return manifest.version;
    if (dirname(dir) === dir) return FALLBACK_SERVICE_VERSION;
  }
}

/** The parsed file, or null when there is none at `path`; any other failure is thrown with the path. */
function readPackageJson(path: string): { name?: unknown; version?: unknown } | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // Absent is the normal case while walking up the directories; only that one is swallowed.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${path} to find the service version: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as { name?: unknown; version?: unknown };
  } catch (error) {
    throw new Error(
      `${path} is not valid JSON (looked for the service version): ${String(error)}`,
      { cause: error },
    );
  }
}
