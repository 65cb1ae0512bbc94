import type { Firestore } from '@google-cloud/firestore';
import { freeLocalPort } from '../emulators/free-port.js';
import { ProcessGroup } from '../emulators/process-group.js';
import { FirestoreClientSet, firestoreTargetEnv } from './client-set.js';
import type { FirestoreTarget } from './target.js';

const EMULATOR_START_TIMEOUT_MS = 60_000;
const EMULATOR_STOP_GRACE_MS = 3_000;
const READY_POLL_MS = 100;
const READY_PROBE_TIMEOUT_MS = 1_000;
const RESET_TIMEOUT_MS = 30_000;
const HOST = '127.0.0.1';

/** Google's Firestore emulator as a child process group on a free port, or one attached to. */
export class FirestoreEmulatorTarget implements FirestoreTarget {
  readonly kind = 'emulator' as const;
  private readonly clients: FirestoreClientSet;

  private constructor(
    readonly host: string,
    readonly projectId: string,
    private group: ProcessGroup | undefined,
  ) {
    this.clients = new FirestoreClientSet(host);
  }

  static async start(binary: string, projectId: string): Promise<FirestoreEmulatorTarget> {
    const host = `${HOST}:${await freeLocalPort()}`;
    const group = ProcessGroup.spawn('Firestore emulator', binary, [
      'start',
      `--host=${HOST}`,
      `--port=${host.split(':')[1]}`,
    ]);
    const deadline = Date.now() + EMULATOR_START_TIMEOUT_MS;
    while (!(await answers(host))) {
      const exit = group.exitStatus();
      if (exit !== undefined || Date.now() > deadline) {
        await group.stop(EMULATOR_STOP_GRACE_MS);
        throw new Error(
          `Firestore emulator (${binary}) on ${host} ${exit ?? `did not answer within ${EMULATOR_START_TIMEOUT_MS} ms`}; ` +
            `its output:\n${group.output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    return new FirestoreEmulatorTarget(host, projectId, group);
  }

  /** An emulator started elsewhere (SHOTCLOCK_FIRESTORE_EMULATOR_HOST): stop() leaves it running. */
  static async attach(host: string, projectId: string): Promise<FirestoreEmulatorTarget> {
    if (!(await answers(host))) {
      throw new Error(
        `no Firestore emulator answers at ${host}: start one there or unset SHOTCLOCK_FIRESTORE_EMULATOR_HOST`,
      );
    }
    return new FirestoreEmulatorTarget(host, projectId, undefined);
  }

  client(projectId = this.projectId): Firestore {
    return this.clients.create(projectId);
  }

  env(projectId = this.projectId): Record<string, string> {
    return firestoreTargetEnv(this.host, projectId);
  }

  async reset(projectId = this.projectId): Promise<void> {
    const url = `http://${this.host}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
    const response = await fetch(url, {
      method: 'DELETE',
      signal: AbortSignal.timeout(RESET_TIMEOUT_MS),
    });
    if (!response.ok) {
      throw new Error(
        `Firestore emulator at ${this.host}: DELETE of project ${projectId}'s documents answered ${response.status} ${await response.text()}`,
      );
    }
  }

  async stop(): Promise<void> {
    await this.clients.terminateAll();
    const group = this.group;
    this.group = undefined;
    await group?.stop(EMULATOR_STOP_GRACE_MS);
  }
}

/** The emulator answers `GET /` with "Ok" once its server listens. */
async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, {
      signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    // Connection refused (or a probe timeout) until the server listens: keep polling.
    return false;
  }
}
