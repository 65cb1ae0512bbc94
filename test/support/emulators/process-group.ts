import { spawn, type ChildProcess } from 'node:child_process';

const GROUP_POLL_MS = 50;
const WATCHDOG_POLL_SECONDS = 1;
const OUTPUT_TAIL_CHARS = 16_384;

/**
 * A command run as the leader of its own process group (`detached`), so that stopping it also stops
 * the children it forks (the emulator's shell launcher starts a Java child that survives a plain
 * kill). Three layers make sure none outlives the test process: stop(), a synchronous kill on this
 * process's exit, and a watchdog shell that kills the group once this process is gone (a Jest worker
 * can be killed without running exit handlers).
 */
export class ProcessGroup {
  private outputTail = '';
  private readonly exited: Promise<void>;
  private exitDescription: string | undefined;

  private constructor(
    readonly child: ChildProcess,
    private readonly watchdog: ChildProcess,
    readonly what: string,
  ) {
    const append = (chunk: Buffer) => {
      this.outputTail = (this.outputTail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitDescription = `exited with ${code === null ? `signal ${signal}` : `code ${code}`}`;
        resolve();
      }),
    );
    liveGroups.add(this);
    ensureExitHook();
  }

  static spawn(what: string, command: string, args: string[]): ProcessGroup {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${what} (${command}): no pid`);
    const watchdog = spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pid} 2>/dev/null; do sleep ${WATCHDOG_POLL_SECONDS}; done; ` +
          `kill -TERM -${pid} 2>/dev/null; sleep 2; kill -KILL -${pid} 2>/dev/null; exit 0`,
      ],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.unref();
    return new ProcessGroup(child, watchdog, what);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last output lines (stdout and stderr), for error messages. */
  output(): string {
    return this.outputTail;
  }

  /** Undefined while the leader runs; otherwise how it exited. */
  exitStatus(): string | undefined {
    return this.exitDescription;
  }

  /** SIGTERM to the group, SIGKILL after the grace; resolves once no process of the group is left. */
  async stop(graceMs: number): Promise<void> {
    signalGroup(this.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(this.pid) && Date.now() < deadline) await sleep(GROUP_POLL_MS);
    if (groupAlive(this.pid)) {
      signalGroup(this.pid, 'SIGKILL');
      while (groupAlive(this.pid)) await sleep(GROUP_POLL_MS);
    }
    await this.exited;
    this.watchdog.kill('SIGKILL');
    liveGroups.delete(this);
  }

  killNow(): void {
    signalGroup(this.pid, 'SIGKILL');
    this.watchdog.kill('SIGKILL');
  }
}

const liveGroups = new Set<ProcessGroup>();
let exitHookInstalled = false;

function ensureExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of liveGroups) group.killNow();
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
