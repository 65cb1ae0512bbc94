import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyNpmSurface, ROOT, run, shellEnv } from '../support/npm-surface.js';
import { makeTempDir } from '../support/temp-dir.js';

const CHECKER = join(ROOT, 'scripts/check-commit-msg.mjs');
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];
const shell = shellEnv([dirname(process.execPath), ...SYSTEM_PATH]);
const GIT_USER = ['-c', 'user.name=Shotclock Test', '-c', 'user.email=test@example.invalid'];

/** The commit-msg check as the hook runs it: a real process on a message file. */
describe('scripts/check-commit-msg.mjs', () => {
  const dir = makeTempDir('shotclock-commit-msg-');
  afterAll(() => dir.cleanup());
  let count = 0;
  const check = async (message: string) => {
    const file = join(dir.path, `message-${(count += 1)}`);
    writeFileSync(file, message);
    return run(process.execPath, [CHECKER, file], { cwd: dir.path, env: shell });
  };

  it.each([
    ['a short subject', 'Stop npm start early on an old Node\n'],
    ['a 72-character subject, a blank line and a body', `${'s'.repeat(72)}\n\nWhy it changed.\n`],
    ['72 characters that take more bytes', `${'é'.repeat(72)}\n`],
    [
      'comment lines, however long, and leading blank lines',
      `\n\nFix the stall timer\n# ${'c'.repeat(100)}\n\nBody.\n# Please enter the commit message\n`,
    ],
    [
      'the diff below the scissors line of commit -v',
      `Fix it\n\n# ------------------------ >8 ------------------------\n+${'d'.repeat(120)}\n`,
    ],
    ['CRLF line ends', 'Fix the stall timer\r\n\r\nBody.\r\n'],
    ['a subject git writes for a merge', `Merge branch '${'b'.repeat(80)}' into main\n`],
    ['an empty message (git refuses it itself)', '# only a comment\n'],
  ])('accepts %s', async (_, message) => {
    expect(await check(message)).toEqual({ status: 0, output: '' });
  });

  it('rejects a subject over 72 characters, saying how long it is', async () => {
    const result = await check(`${'s'.repeat(73)}\n\nBody.\n`);
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'the subject is 73 characters long; keep it to at most 72 (say what changed; put the why in the body, after a blank line)',
    );
    expect(result.output).toContain('the message is kept in');
  });

  it('rejects a body that starts on the second line', async () => {
    const result = await check('Fix the stall timer\nbecause it fired early\n');
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      'the second line is not blank: separate the subject from the body with an empty line',
    );
    expect(result.output).not.toContain('the subject is');
  });

  it('answers 2 with its usage when given no file', async () => {
    const result = await run(process.execPath, [CHECKER], { cwd: dir.path, env: shell });
    expect(result).toEqual({
      status: 2,
      output: 'usage: node scripts/check-commit-msg.mjs <commit-message-file>\n',
    });
  });
});

/** `npm install` installs the hook (package.json "prepare") in a git work tree, and only there. */
describe('the commit-msg hook installed by npm install', () => {
  const dir = makeTempDir('shotclock-hook-');
  afterAll(() => dir.cleanup());
  const git = (cwd: string, ...args: string[]) => run('git', args, { cwd, env: shell });

  it('rejects a commit whose subject is too long, and takes a good one', async () => {
    const repo = join(dir.path, 'repo');
    mkdirSync(repo);
    copyNpmSurface(repo);
    expect((await git(repo, 'init', '-q')).status).toBe(0);
    const install = await run('npm', ['install'], { cwd: repo, env: shell });
    expect(install.status).toBe(0);
    expect((await git(repo, 'config', 'core.hooksPath')).output.trim()).toBe('.githooks');

    const rejected = await git(
      repo,
      ...GIT_USER,
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x'.repeat(73),
    );
    expect(rejected.status).toBe(1);
    expect(rejected.output).toContain('the subject is 73 characters long; keep it to at most 72');
    expect((await git(repo, 'rev-parse', '--verify', '-q', 'HEAD')).status).not.toBe(0);

    const accepted = await git(
      repo,
      ...GIT_USER,
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'Check commit messages in a hook',
      '-m',
      'Subjects stay readable in git log --oneline.',
    );
    expect(accepted).toEqual({ status: 0, output: '' });
    expect((await git(repo, 'log', '--format=%s')).output).toBe(
      'Check commit messages in a hook\n',
    );
  });

  it('leaves the hooks of a git repository that only contains the package alone', async () => {
    const outer = join(dir.path, 'outer');
    const inner = join(outer, 'shotclock');
    mkdirSync(inner, { recursive: true });
    expect((await git(outer, 'init', '-q')).status).toBe(0);
    copyNpmSurface(inner);
    expect((await run('npm', ['install'], { cwd: inner, env: shell })).status).toBe(0);
    const hooksPath = await git(outer, 'config', 'core.hooksPath');
    expect(hooksPath).toEqual({ status: 1, output: '' });
  });

  it('installs nothing, and does not fail, where there is no git (a Docker build)', async () => {
    const noGit = join(dir.path, 'no-git');
    const bin = join(dir.path, 'bin');
    mkdirSync(noGit);
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/usr/bin/npm', join(bin, 'npm'));
    symlinkSync('/bin/sh', join(bin, 'sh')); // npm runs scripts with the sh on PATH
    copyNpmSurface(noGit);
    const install = await run('npm', ['install'], { cwd: noGit, env: shellEnv([bin]) });
    expect(
      (await run('sh', ['-c', 'command -v git || echo none'], { cwd: noGit, env: shellEnv([bin]) }))
        .output,
    ).toBe('none\n');
    expect(install.status).toBe(0);
    expect(install.output).toMatch(/^> shotclock@\S+ prepare$/m); // it ran, and passed
    expect(install.output).not.toContain('not found');
  });
});
