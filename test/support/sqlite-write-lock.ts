import { spawn } from 'node:child_process';
import { join } from 'node:path';

const HOLDER = join(process.cwd(), 'test/support/sqlite-write-lock-holder.mjs');

export interface HeldWriteLock {
  /** Ends the other process's transaction; resolves once it has rolled back and exited (idempotent). */
  release(): Promise<void>;
}

/** A real second process takes the write lock of `path` (BEGIN IMMEDIATE) and holds it until release(). */
export function holdWriteLock(path: string): Promise<HeldWriteLock> {
  const child = spawn(process.execPath, [HOLDER, path], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('locked\n')) {
        child.stdout.off('data', onData);
        let released: Promise<void> | null = null;
        resolve({
          release() {
            released ??= (async () => {
              child.stdin.end('release\n');
              const code = await exited;
              if (code !== 0) throw new Error(`the lock holder exited with ${code}: ${output}`);
            })();
            return released;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) =>
      reject(
        new Error(`the lock holder exited (${code}) before taking the lock of ${path}: ${output}`),
      ),
    );
  });
}
