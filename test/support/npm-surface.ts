import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PackageJson {
  engines: { node: string };
  scripts: Record<string, string>;
}

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;
export const PACKAGE_JSON = packageJson as unknown as PackageJson;

/**
 * Copies what npm's lifecycle scripts run (package.json, scripts/, .githooks/) into `dir`,
 * without the dependencies, so a real `npm install` there runs our scripts and fetches nothing.
 */
export function copyNpmSurface(dir: string): void {
  const { dependencies: _deps, devDependencies: _devDeps, ...rest } = packageJson;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(rest, null, 2)}\n`);
  cpSync(join(ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  cpSync(join(ROOT, '.githooks'), join(dir, '.githooks'), { recursive: true });
}

/** The environment of a fresh shell with `path` as PATH: no npm_* of the npm running jest. */
export function shellEnv(path: readonly string[]): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
  );
  return {
    ...env,
    PATH: path.join(delimiter),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // git in these tests reads only the throwaway repository's config.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

export interface Run {
  status: number | null;
  output: string;
}

/** Runs a command to its end (no shell), stdout and stderr together. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) =>
      reject(new Error(`could not run ${command} ${args.join(' ')}: ${error.message}`)),
    );
    child.on('close', (status) => resolve({ status, output }));
  });
}
