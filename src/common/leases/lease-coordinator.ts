import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, SINGLETON_JOBS_ENABLED, type AppConfig } from '../config/index.js';
import { errorMessage } from '../errors/error-message.js';
import { STORAGE, type LeaseRecord, type Storage } from '../event-store/index.js';
import { isDeadLocalHolder } from './dead-local-holder.js';

/** A job that must run on exactly one instance at a time. */
export interface LeasedJob {
  /** Starts it on this instance (which now holds its lease). */
  start(): void;
  /** Stops it (the lease was lost, or shutdown); resolves once it has stopped. */
  stop(): Promise<void>;
}

/** The lease every instance holds while it runs: another instance sees it lapse when it dies. */
export const instanceLease = (instanceId: string) => `instance:${instanceId}`;

/** Whether a lease has not lapsed (its holder renewed it within the TTL). */
export const isLive = (lease: LeaseRecord, nowMs: number = Date.now()) =>
  Date.parse(lease.expiresAt) > nowMs;

const LIVENESS: LeasedJob = { start: () => {}, stop: async () => {} };

interface Entry {
  job: LeasedJob;
  held: boolean;
  /**
   * performance.now() just before the last successful acquire or renewal: the store's expiry is
   * at least leaseTtlMs after it, so a job stopped at renewedAt + leaseTtlMs never outlives its lease.
   */
  renewedAt: number;
  /** Stops the job when its lease lapses unrenewed, however long the renewal in flight waits. */
  lapse: NodeJS.Timeout | null;
  /** The job's stop in progress; a new start waits for it. */
  stopping: Promise<void> | null;
  /** The acquire or renewal in flight (a later tick does not start another). */
  renewing: Promise<void> | null;
}

/**
 * Runs every singleton job (each projection and reaction, the timer scheduler, each outbox
 * dispatcher, the analytics export) on the one instance that holds its lease. At bootstrap it
 * takes what it can and starts those jobs before the application is ready; then every
 * TIMEOUT_LEASE_RENEW_MS it renews what it holds and takes what has lapsed, so when a holder dies
 * or stalls another instance starts the job within TIMEOUT_LEASE_TTL_MS + TIMEOUT_LEASE_RENEW_MS.
 * A holder that cannot renew for TIMEOUT_LEASE_TTL_MS stops the job itself. Correctness does not
 * rest on the lease alone: checkpoints are compare-and-set, timers fire once in a transaction,
 * outbox messages carry stable ids, so a brief overlap cannot duplicate an effect.
 */
@Injectable()
export class LeaseCoordinator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LeaseCoordinator.name);
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private bootstrapped = false;
  private tickedOnce = false;
  private stopping = false;
  /** This instance's name in every lease it holds (INSTANCE_ID). */
  readonly holder: string;

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // false in command-line tools: no lease is taken and no singleton job starts.
    @Inject(SINGLETON_JOBS_ENABLED) private readonly enabled: boolean = true,
  ) {
    this.holder = config.server.instanceId;
    this.register(instanceLease(this.holder), LIVENESS);
  }

  /** The holder of every live lease, by lease name. */
  async liveHolders(): Promise<Map<string, string>> {
    return new Map(
      (await this.list())
        .filter((lease) => isLive(lease))
        .map((lease) => [lease.name, lease.holder]),
    );
  }

  /** Instances whose liveness lease is live (this one included once bootstrapped). */
  async liveInstances(): Promise<Set<string>> {
    const prefix = instanceLease('');
    return new Set(
      [...(await this.liveHolders()).keys()]
        .filter((name) => name.startsWith(prefix))
        .map((name) => name.slice(prefix.length)),
    );
  }

  /** Adds a job under lease `name`; after bootstrap it is taken at the next renewal (or now). */
  register(name: string, job: LeasedJob): void {
    if (this.entries.has(name)) {
      throw new Error(`lease ${name} is registered twice; each singleton job needs its own name`);
    }
    this.entries.set(name, {
      job,
      held: false,
      renewedAt: 0,
      lapse: null,
      stopping: null,
      renewing: null,
    });
    if (this.bootstrapped && !this.stopping) this.runTick();
  }

  /** Whether this instance holds `name` and runs its job. */
  holds(name: string): boolean {
    return this.entries.get(name)?.held ?? false;
  }

  /** Every lease in the store (held here or elsewhere, live or lapsed). */
  list(): Promise<LeaseRecord[]> {
    return this.storage.leases.list();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled === false) return;
    this.bootstrapped = true;
    this.runTick();
    await this.ticking;
  }

  /** Before the store closes: stop every job held here and release its lease for the next holder. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(
      // A renewal still in flight starts no job once stopping (see renew).
      [...this.entries].map(async ([name, entry]) => {
        if (entry.lapse) clearTimeout(entry.lapse);
        if (!entry.held) return entry.stopping ?? undefined;
        entry.held = false;
        await entry.job.stop();
        await this.storage.leases
          .release(name, this.holder)
          .catch((error: unknown) =>
            this.logger.warn(
              `releasing lease ${name} failed (it lapses by itself): ${errorMessage(error)}`,
            ),
          );
      }),
    );
  }

  private runTick(): void {
    this.ticking = this.ticking.then(() => this.tick());
  }

  private async tick(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const { leaseTtlMs, leaseRenewMs } = this.config.timeouts;
    const first = !this.tickedOnce;
    this.tickedOnce = true;
    await this.freeLeasesOfDeadLocalProcesses();
    // Each lease renews on its own: one whose call waits on the store (a row or document locked by
    // a transaction of an instance that died) holds back neither the other leases nor the next
    // tick. The first tick waits for every lease, so jobs start before the app is ready.
    const renewals = [...this.entries].map(([name, entry]) => {
      entry.renewing ??= this.renew(name, entry, leaseTtlMs).finally(() => {
        entry.renewing = null;
      });
      return entry.renewing;
    });
    await (first
      ? Promise.all(renewals)
      : Promise.race([Promise.all(renewals), sleep(leaseRenewMs, undefined, { ref: false })]));
    if (!this.stopping) {
      this.timer = setTimeout(() => this.runTick(), leaseRenewMs);
      this.timer.unref();
    }
  }

  private async renew(name: string, entry: Entry, leaseTtlMs: number): Promise<void> {
    if (this.stopping) return;
    try {
      const askedAt = performance.now();
      const held = await this.storage.leases.acquire(name, this.holder, leaseTtlMs);
      if (this.stopping) return;
      if (held) this.renewed(name, entry, askedAt);
      if (held && !entry.held) {
        await entry.stopping;
        entry.held = true;
        entry.job.start();
        this.logger.log(`took lease ${name}: ${name} runs on ${this.holder}`);
      } else if (!held && entry.held) {
        await this.drop(name, entry, 'another instance holds it now');
      }
    } catch (error) {
      if (entry.held && performance.now() - entry.renewedAt >= leaseTtlMs) {
        await this.drop(name, entry, `it could not be renewed for ${leaseTtlMs} ms`);
      }
      this.logger.error(`lease ${name}: acquire/renew failed: ${errorMessage(error)}`);
    }
  }

  /**
   * After a crash and restart on the same host, the previous process's leases would block its
   * successor for a TTL: release those whose holder is a default instance id of a process of this
   * host that no longer exists.
   */
  private async freeLeasesOfDeadLocalProcesses(): Promise<void> {
    try {
      for (const lease of await this.storage.leases.list()) {
        if (!isLive(lease) || !isDeadLocalHolder(lease.holder)) continue;
        await this.storage.leases.release(lease.name, lease.holder);
        this.logger.warn(`released lease ${lease.name} of ${lease.holder}: that process is gone`);
      }
    } catch (error) {
      this.logger.warn(`looking for leases of dead local processes failed: ${errorMessage(error)}`);
    }
  }

  /** Arms the lapse timer of a lease just renewed (taken) at `askedAt`. */
  private renewed(name: string, entry: Entry, askedAt: number): void {
    entry.renewedAt = askedAt;
    if (entry.lapse) clearTimeout(entry.lapse);
    const { leaseTtlMs } = this.config.timeouts;
    const check = () => {
      const left = entry.renewedAt + leaseTtlMs - performance.now();
      if (left > 0) {
        entry.lapse = setTimeout(check, left);
        entry.lapse.unref();
        return;
      }
      entry.lapse = null;
      if (entry.held && !this.stopping) {
        this.drop(name, entry, `it lapsed: not renewed for ${leaseTtlMs} ms`).catch(
          (error: unknown) => this.logger.error(`stopping ${name} failed: ${errorMessage(error)}`),
        );
      }
    };
    check();
  }

  private async drop(name: string, entry: Entry, why: string): Promise<void> {
    if (!entry.held) return;
    entry.held = false;
    this.logger.warn(`lost lease ${name} (${why}): stopping it on ${this.holder}`);
    const stopping = entry.job.stop().finally(() => {
      if (entry.stopping === stopping) entry.stopping = null;
    });
    entry.stopping = stopping;
    await stopping;
  }
}
