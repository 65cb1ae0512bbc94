import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { SERVICE_ENTRY } from './service-process.js';
import { TEST_ENV } from './test-app.js';

/** Output kept per child: enough to see why it failed, bounded under a 10,000-message load. */
const OUTPUT_TAIL_CHARS = 64_000;
const READY_TIMEOUT_MS = 30_000;

/** One Shotclock instance running as a real child process (`.build/src/main.js`). */
export interface Instance {
  id: string;
  baseUrl: string;
  child: ChildProcess;
  /** The last OUTPUT_TAIL_CHARS of its stdout and stderr. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** False once it exited (killed or crashed). */
  alive(): boolean;
}

/** A free TCP port on 127.0.0.1 (the service logs its port only at info level; we run it at warn). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

/**
 * Starts the compiled service with `env` (on top of TEST_ENV) on a free port at LOG_LEVEL warn, and
 * resolves once GET /health/live answers 200; rejects with the child's output if it exits first
 * or is not ready within READY_TIMEOUT_MS.
 */
export async function startInstance(id: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVICE_ENTRY], {
    env: {
      ...process.env,
      ...TEST_ENV,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      INSTANCE_ID: id,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exitedAt: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exitedAt = { code, signal };
      resolve(exitedAt);
    }),
  );
  const instance: Instance = {
    id,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
    alive: () => exitedAt === null,
  };
  const started = Date.now();
  for (;;) {
    if (exitedAt !== null) {
      const { code, signal } = exitedAt;
      throw new Error(`instance ${id} exited (${code ?? signal}) before it was ready:\n${output}`);
    }
    const ready = await fetch(`${instance.baseUrl}/health/live`, {
      signal: AbortSignal.timeout(1_000),
    }).then(
      (response) => response.status === 200,
      // Not listening yet (ECONNREFUSED) or slow: poll again until the deadline.
      () => false,
    );
    if (ready) return instance;
    if (Date.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`instance ${id} not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (graceful, releases its leases) or SIGKILL; resolves once it exited. */
export async function stopInstance(instance: Instance, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
  if (instance.alive()) instance.child.kill(signal);
  return instance.exited;
}

/** Runs `step`; if it fails, the error carries the end of every instance's output (the why). */
export async function withOutputsOnFailure<T>(
  instances: readonly Instance[],
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const outputs = instances
      .map((instance) => `--- ${instance.id} (last output) ---\n${instance.output().slice(-4_000)}`)
      .join('\n');
    throw new Error(`${String(error)}\n${outputs}`, { cause: error });
  }
}
