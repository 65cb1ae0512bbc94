import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface RunningChild {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  output: () => string;
  /** Peak resident set size so far (VmHWM), in bytes; null where /proc is missing. */
  peakRssBytes: () => number | null;
  /** Current resident set size (VmRSS), in bytes; null where /proc is missing. */
  rssBytes: () => number | null;
  /** CPU time used so far (user and system, all threads), in seconds; null where /proc is missing. */
  cpuSeconds: () => { user: number; system: number } | null;
  stop: () => Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released; the child binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts `node <script>` with `env` and resolves when it listens. The port comes from its log line
 * `listening on <host>:<port>` when it prints one; the service at LOG_LEVEL=warn prints none (that
 * line is info), so the port is also chosen up front (PORT) and readiness polled on `readyPath`.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  readyPath: string,
): Promise<RunningChild> {
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 1_000_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${script} exited (${await exited}) before listening:\n${output}`);
    }
    if (Date.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within 60 s:\n${output}`);
    }
    const listening = /listening on [^\s:]+:(\d+)/.exec(output);
    if (listening && Number(listening[1]) !== port) {
      throw new Error(`${script} listens on ${listening[1]}, asked for ${port}`);
    }
    ready = await fetch(`${baseUrl}${readyPath}`).then(
      (response) => response.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (process.env.BENCH_DEBUG)
    console.error(`${script} ready on ${baseUrl}${readyPath} after ${Date.now() - started} ms`);
  const status = (field: 'VmHWM' | 'VmRSS') => () => procStatusBytes(child.pid!, field);
  return {
    child,
    port,
    baseUrl,
    output: () => output,
    peakRssBytes: status('VmHWM'),
    rssBytes: status('VmRSS'),
    cpuSeconds: () => procCpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

function procCpuSeconds(pid: number): { user: number; system: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    // No /proc (not Linux) or the process is gone: CPU time is reported as unknown.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Fields after the command name (which may hold spaces, inside parentheses): utime is 14th, stime 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: Number(fields[11]) / TICKS_PER_SECOND,
    system: Number(fields[12]) / TICKS_PER_SECOND,
  };
}

function procStatusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : null;
  } catch (error) {
    // No /proc (not Linux) or the process is gone: RSS is reported as unknown.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
