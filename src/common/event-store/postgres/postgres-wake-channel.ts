import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { errorMessage } from '../../errors/error-message.js';
import type { PostgresOptions } from './postgres-pool.js';

/**
 * While the listen connection is down, reconnects after the busy timeout / this (0.1 s at the
 * default 5 s), doubling up to the busy timeout.
 */
const FIRST_RECONNECT_FRACTION = 50;
/** PostgreSQL truncates identifiers, channel names included, past 63 bytes. */
const MAX_CHANNEL_BYTES = 63;
const CHANNEL_PREFIX = 'shotclock_appended_';

/**
 * The NOTIFY channel of a schema: stores in other schemas of the same database do not wake each
 * other. A schema too long for the name is hashed.
 */
export function wakeChannelOf(schema: string): string {
  const plain = `${CHANNEL_PREFIX}${schema}`;
  if (Buffer.byteLength(plain) <= MAX_CHANNEL_BYTES) return plain;
  return `${CHANNEL_PREFIX}${createHash('md5').update(schema).digest('hex')}`;
}

/**
 * Wakes other instances on the same schema when this one appends, and this one when they do.
 *
 * One connection of its own (not from the pool: it must stay checked out to LISTEN) listens on the
 * schema's channel and calls `onOtherAppended` for every notification another session sent. Its
 * own notifications come back too and are skipped (same backend pid).
 *
 * `announce()` sends the NOTIFY on the same connection after an append of this process became
 * readable, rather than inside append_events: a transaction that notifies takes a database-wide
 * lock at commit, which serialised concurrent appends (16 callers: half the appends per second;
 * see docs/benchmarks.md). Here at most one NOTIFY is in flight; appends committed meanwhile share
 * the next one, so there is at most one per commit and far fewer under load. The price: an
 * instance that dies between its commit and the NOTIFY leaves the others to their idle poll.
 *
 * When the connection drops, a warning says so, followers keep their idle poll, and it reconnects
 * with backoff; once listening again it calls `onOtherAppended` once, for anything missed.
 */
export class WakeChannel {
  readonly channel: string;
  private readonly logger = new Logger('PostgresWakeChannel');
  private client: pg.Client | null = null;
  private closed = false;
  private failedAttempts = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private sending = false;
  private announceAgain = false;

  constructor(
    private readonly options: PostgresOptions,
    private readonly onOtherAppended: () => void,
  ) {
    this.channel = wakeChannelOf(options.schema);
  }

  /** Backend pid of the listening session, null while disconnected (for tests and operators). */
  get listenerPid(): number | null {
    return this.client === null ? null : backendPid(this.client);
  }

  /** Connects and listens; when that fails, logs it and keeps trying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Tells other instances that events of this one became readable. Never waits, never throws. */
  announce(): void {
    const client = this.client;
    if (client === null) return; // down: the others find the events at their idle poll
    if (this.sending) {
      this.announceAgain = true;
      return;
    }
    this.sending = true;
    void this.sendNotifications(client).finally(() => (this.sending = false));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch((error: unknown) => {
      this.logger.warn(
        `closing the listen connection of ${this.channel} failed (ignored, the store is closing): ${errorMessage(error)}`,
      );
    });
  }

  private async sendNotifications(client: pg.Client): Promise<void> {
    try {
      do {
        this.announceAgain = false;
        await client.query(`NOTIFY ${this.channel}`);
      } while (this.announceAgain && this.client === client);
    } catch (error) {
      if (this.closed || this.client !== client) return; // closing, or the drop is logged already
      this.logger.warn(
        `NOTIFY ${this.channel} failed: ${errorMessage(error)}; other instances see this append at their idle poll`,
      );
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: this.options.busyTimeoutMs,
      keepAlive: true,
      ...(this.options.applicationName === undefined
        ? {}
        : { application_name: this.options.applicationName }),
    });
    client.on('error', (error) => this.dropped(client, error));
    client.on('end', () => this.dropped(client, new Error('the server closed the connection')));
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.processId !== backendPid(client)) {
        this.onOtherAppended();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined); // already failed; the cause is logged below
      this.dropped(client, error);
      return;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    if (this.failedAttempts > 0) {
      this.logger.log(`listening on ${this.channel} again after ${this.failedAttempts} attempt(s)`);
    }
    this.failedAttempts = 0;
    this.onOtherAppended();
  }

  /** The connection failed or ended: logs once per loss and schedules a reconnect. */
  private dropped(client: pg.Client, error: unknown): void {
    if (this.closed) return;
    if (this.client !== null && this.client !== client) return; // an old connection's late event
    if (this.client === null && this.reconnectTimer !== null) return; // already reconnecting
    this.client = null;
    client.removeAllListeners('notification');
    this.failedAttempts += 1;
    const { busyTimeoutMs } = this.options;
    const delayMs = Math.min(
      (busyTimeoutMs / FIRST_RECONNECT_FRACTION) * 2 ** (this.failedAttempts - 1),
      busyTimeoutMs,
    );
    this.logger.warn(
      `listen connection of ${this.channel} (schema ${this.options.schema}) is down: ${errorMessage(error)}; ` +
        `appends of other instances are seen at the idle poll until it reconnects (attempt ${this.failedAttempts} in ${delayMs} ms)`,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delayMs);
    // The store's close() stops reconnecting; a forgotten store must not keep the process alive.
    this.reconnectTimer.unref();
  }
}

/** The session's backend pid, which pg records from BackendKeyData but @types/pg does not declare. */
function backendPid(client: pg.Client): number | null {
  return (client as pg.Client & { processID?: number | null }).processID ?? null;
}
