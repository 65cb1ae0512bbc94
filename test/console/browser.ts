import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** The flags Debian's chromium needs to run headless in a container (../shared/TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium on PATH, or null when this machine has none. */
export function chromiumPath(): string | null {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch (error) {
    // `which` exits 1 when there is no such command: the one failure that means "absent".
    if ((error as { status?: number }).status === 1) return null;
    throw error;
  }
}

/**
 * Whether the browser specs run here: they skip (saying why) only on a developer machine without
 * chromium; with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure.
 */
export function browserAvailability(): { path: string } | { skip: string } {
  const path = chromiumPath();
  if (path) return { path };
  const reason =
    'no chromium on PATH (apt-get install -y chromium): the console browser tests are skipped';
  if (process.env.REQUIRE_BROWSER === '1')
    throw new Error(`REQUIRE_BROWSER=1 but ${reason.split(':')[0]}`);
  return { skip: reason };
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}
