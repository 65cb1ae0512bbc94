import type { PubSub } from '@google-cloud/pubsub';
import { PubSubClientSet, targetEnv } from './client-set.js';
import { freeLocalPort } from '../emulators/free-port.js';
import { ProcessGroup } from '../emulators/process-group.js';
import type { PubSubTarget } from './target.js';

const EMULATOR_START_TIMEOUT_MS = 60_000;
const EMULATOR_STOP_GRACE_MS = 3_000;
const READY_POLL_MS = 100;
const READY_PROBE_TIMEOUT_MS = 1_000;
const RESET_TIMEOUT_MS = 10_000;
const HOST = '127.0.0.1';

/** Google's Pub/Sub emulator as a child process group on a free port. */
export class EmulatorTarget implements PubSubTarget {
  readonly kind = 'emulator' as const;
  readonly host: string;
  private readonly clients: PubSubClientSet;
  private group: ProcessGroup | undefined;

  private constructor(
    private readonly binary: string,
    private readonly port: number,
    readonly projectId: string,
  ) {
    this.host = `${HOST}:${port}`;
    this.clients = new PubSubClientSet(this.host, projectId);
  }

  static async start(binary: string, projectId: string): Promise<EmulatorTarget> {
    const target = new EmulatorTarget(binary, await freeLocalPort(), projectId);
    await target.startProcess();
    return target;
  }

  client(): PubSub {
    return this.clients.create();
  }

  env(): Record<string, string> {
    return targetEnv(this.host, this.projectId);
  }

  async reset(): Promise<void> {
    const response = await fetch(`http://${this.host}/reset`, {
      method: 'POST',
      signal: AbortSignal.timeout(RESET_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `Pub/Sub emulator at ${this.host}: POST /reset answered ${response.status} ${await response.text()}`,
      );
    }
  }

  async stop(): Promise<void> {
    await this.clients.closeAll();
    await this.stopProcess();
  }

  async restart(): Promise<void> {
    await this.stopProcess();
    await this.startProcess();
  }

  private async startProcess(): Promise<void> {
    const group = ProcessGroup.spawn('Pub/Sub emulator', this.binary, [
      `--host=${HOST}`,
      `--port=${this.port}`,
    ]);
    this.group = group;
    const deadline = Date.now() + EMULATOR_START_TIMEOUT_MS;
    while (!(await this.answers())) {
      const exit = group.exitStatus();
      if (exit !== undefined || Date.now() > deadline) {
        await group.stop(EMULATOR_STOP_GRACE_MS);
        this.group = undefined;
        throw new Error(
          `Pub/Sub emulator (${this.binary}) on ${this.host} ${exit ?? `did not answer within ${EMULATOR_START_TIMEOUT_MS} ms`}; ` +
            `its output:\n${group.output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  private async stopProcess(): Promise<void> {
    const group = this.group;
    this.group = undefined;
    await group?.stop(EMULATOR_STOP_GRACE_MS);
  }

  /** The emulator answers `GET /` with "Ok" once its server listens. */
  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`http://${this.host}/`, {
        signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      // Connection refused (or a probe timeout) until the server listens: keep polling.
      return false;
    }
  }
}
