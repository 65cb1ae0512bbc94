// Three projects, one per test tier, named by the spec file's suffix. `npm test` runs all of them
// once; `npm run test:unit` / `test:int` / `test:e2e` select one.
//  - unit (`*.unit.spec.ts`): pure code, no I/O beyond reading the repository's files;
//  - int (`*.int.spec.ts`): real components in-process (SQLite files, PostgreSQL, a Nest module,
//    the Pub/Sub emulator);
//  - e2e (`*.e2e.spec.ts`): the service over HTTP, child processes, crash and multi-instance tests.
// int and e2e share a globalSetup that compiles the child-process code into .build/.
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  roots: ['<rootDir>/src', '<rootDir>/test'],
};
const childProcesses = { globalSetup: '<rootDir>/test/support/global-setup.mjs' };

// `--selectProjects` takes every following word as a project name, so `--selectProjects int
// some.int.spec.ts` silently runs the whole project: refuse it with the fix instead.
const selectAt = process.argv.indexOf('--selectProjects');
if (selectAt !== -1) {
  const names = [];
  for (const arg of process.argv.slice(selectAt + 1)) {
    if (arg.startsWith('-')) break;
    names.push(arg);
  }
  const paths = names.filter((name) => /[/.]/.test(name));
  if (paths.length > 0) {
    throw new Error(
      `--selectProjects took ${paths.join(', ')} as project names and would run every test of the ` +
        'project: put test paths before --selectProjects (jest <path> --selectProjects int), or ' +
        'after `--`',
    );
  }
}

export default {
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...shared, ...childProcesses, displayName: 'int', testMatch: ['**/*.int.spec.ts'] },
    { ...shared, ...childProcesses, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
};
