// Compiles the code that tests run as real child processes (the service, crash-test writers) into
// .build/. Both the int and e2e projects name it; it compiles once per run.
import { execFileSync } from 'node:child_process';

const COMPILED = 'SHOTCLOCK_TEST_CHILDREN_COMPILED';

export default function globalSetup() {
  if (process.env[COMPILED] === '1') return;
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.children.json'],
    { stdio: 'inherit' },
  );
  process.env[COMPILED] = '1';
}
