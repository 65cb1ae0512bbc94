// Two projects: `npm test` runs both once; `npm run test:unit` / `npm run test:e2e` select one.
//  - unit: the specs beside the code under src/ (some on real SQLite files or PostgreSQL; no
//    child processes, so no build step);
//  - e2e: everything under test/ (the real app over HTTP, child processes, crash and
//    multi-instance tests, static checks); its globalSetup compiles the child-process code.
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/src'] },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
    },
  ],
};
