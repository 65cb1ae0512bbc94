// Compiles the code that tests run as real child processes (the service, crash-test writers) into .build/.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  execFileSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.children.json'],
    {
      stdio: 'inherit',
    },
  );
}
