import { existsSync, readFileSync } from 'node:fs';
import {
  lastInstruction,
  readDockerfile,
  stageBase,
  stageEnvironment,
} from '../support/deploy/dockerfile.js';

/**
 * The Dockerfile against package.json and the build (CI has no Docker daemon to build it; a
 * manual build is described in docs/deploy.md#the-image).
 */
const dockerfile = readDockerfile('Dockerfile');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const tsconfigBuild = JSON.parse(readFileSync('tsconfig.build.json', 'utf8')) as {
  compilerOptions: { rootDir: string; outDir: string };
};
const build = dockerfile.stages.find((stage) => stage.name === 'build')!;
const runtime = dockerfile.stages.at(-1)!;

function runs(stage: typeof runtime): string[] {
  return stage.instructions
    .filter((instruction) => instruction.keyword === 'RUN')
    .map((instruction) => instruction.args);
}

describe('Dockerfile', () => {
  it('builds and runs on an official Node image whose major satisfies engines.node', () => {
    const [, minimumMajor] = /^>=\s*(\d+)/.exec(packageJson.engines.node) ?? [];
    expect(minimumMajor).toBeDefined();
    for (const stage of [build, runtime]) {
      const [, major] = /^node:(\d+)(-[a-z0-9-]+)?$/.exec(stageBase(dockerfile, stage)) ?? [];
      expect(Number(major)).toBeGreaterThanOrEqual(Number(minimumMajor));
    }
    // The base is a build argument, so a build without registry access can pass a local image.
    expect(build.from).toBe('${BASE_IMAGE}');
    expect(runtime.from).toBe('${BASE_IMAGE}');
  });

  it('compiles with npm run build and installs only production dependencies at runtime', () => {
    expect(runs(build)).toEqual(expect.arrayContaining(['npm ci', 'npm run build']));
    expect(packageJson.scripts['build']).toBe('tsc -p tsconfig.build.json');
    const installs = runs(runtime).filter((command) => /\bnpm (ci|install|i)\b/.test(command));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/^npm ci --omit=dev\b/);
    expect(
      runtime.instructions.some(
        ({ keyword, args }) => keyword === 'COPY' && args === '--from=build /app/dist ./dist',
      ),
    ).toBe(true);
  });

  it('starts dist/main.js, which npm run build produces from src/main.ts', () => {
    expect(JSON.parse(lastInstruction(runtime, 'CMD') ?? '[]')).toEqual(['node', 'dist/main.js']);
    expect(lastInstruction(runtime, 'ENTRYPOINT')).toBeUndefined();
    expect(tsconfigBuild.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync('src/main.ts')).toBe(true);
  });

  it('runs as a non-root user, exposing the PORT it sets', () => {
    const user = lastInstruction(runtime, 'USER');
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);
    const env = stageEnvironment(runtime);
    expect(lastInstruction(runtime, 'EXPOSE')).toBe(env.get('PORT'));
    expect(env.get('NODE_ENV')).toBe('production');
  });

  it('keeps local state out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split(/\r?\n/);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.git']));
  });
});
