import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../temp-dir.js';

/** The project number the stand-in answers `gcloud projects describe` with. */
export const RECORDED_PROJECT_NUMBER = '123456789012';

export interface GcloudRun {
  /** Each gcloud call's arguments, in order. */
  readonly calls: readonly (readonly string[])[];
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs a shell script with a stand-in `gcloud` first on PATH (Google Cloud cannot be reached
 * here): it records every call's arguments and answers `describe` as if every Pub/Sub resource
 * exists (`existing: true`, so the script updates) or none does (so it creates).
 */
export function runWithRecordedGcloud(
  script: string,
  env: Record<string, string>,
  { existing }: { existing: boolean },
): GcloudRun {
  const dir = makeTempDir('shotclock-gcloud-');
  try {
    const log = join(dir.path, 'calls.log');
    const gcloud = join(dir.path, 'gcloud');
    // Each call is one line of arguments separated by the unit separator (\x1f).
    writeFileSync(
      gcloud,
      [
        '#!/bin/sh',
        `printf '%s\\037' "$@" >> '${log}'`,
        `printf '\\n' >> '${log}'`,
        `if [ "$1 $2" = 'projects describe' ]; then echo ${RECORDED_PROJECT_NUMBER}; fi`,
        `if [ "$1" = pubsub ] && [ "$3" = describe ]; then exit ${existing ? 0 : 1}; fi`,
        'exit 0',
      ].join('\n'),
    );
    chmodSync(gcloud, 0o755);
    const result = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { PATH: `${dir.path}:${process.env['PATH'] ?? ''}`, HOME: dir.path, ...env },
    });
    const calls = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split('\x1f').slice(0, -1))
      : [];
    return { calls, status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    dir.cleanup();
  }
}

/** `--name=value` flags of a call, name -> value (a flag without `=` maps to ''). */
export function flagsOf(call: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of call) {
    if (!arg.startsWith('--')) continue;
    const at = arg.indexOf('=');
    if (at < 0) flags.set(arg.slice(2), '');
    else flags.set(arg.slice(2, at), arg.slice(at + 1));
  }
  return flags;
}
