// Builds dist/ when it is missing or older than any file under src/, so `npm start` works on a fresh clone.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const target = process.argv[2] ?? 'build';
const marker = target === 'bench' ? '.bench-dist/bench/run.js' : 'dist/main.js';
// The bench build also holds the simulator, and both import helpers from test/support.
const sources = target === 'bench' ? ['src', 'bench', 'simulate', 'test/support'] : ['src'];
const stale =
  !existsSync(marker) || Math.max(...sources.map(newestMtime)) > statSync(marker).mtimeMs;
if (stale) {
  console.error(`building ${target === 'bench' ? '.bench-dist' : 'dist'} (sources changed)`);
  const config = target === 'bench' ? 'tsconfig.bench.json' : 'tsconfig.build.json';
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config], {
    stdio: 'inherit',
  });
}
