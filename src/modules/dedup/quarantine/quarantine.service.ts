import {
  ConflictException,
  GoneException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../../common/config/index.js';
import {
  aggregateStream,
  handleCommand,
  STORAGE,
  type EventOfType,
  type Recorded,
  type Storage,
} from '../../../common/event-store/index.js';
import { boundedPage } from '../../../common/http/page-budget.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { defineReaction } from '../../../common/projections/reaction-definition.js';
import { PushIngestionService } from '../push/push-ingestion.service.js';
import { PushPipeline } from '../push/push-pipeline.js';
import { readQuarantinedBody, type QuarantinedBody } from './quarantine-body.reader.js';
import { quarantineDecider } from './quarantine.decider.js';
import {
  QUARANTINE_EVENTS,
  quarantineStream,
  type MessageQuarantined,
  type QuarantineEvent,
  type ReplayOutcome,
} from './quarantine.events.js';
import {
  QUARANTINE,
  QUARANTINE_BY_REASON,
  QUARANTINE_PARKED,
  quarantineProjection,
  type QuarantineView,
} from './quarantine.projection.js';

/** Answers whether what a parked message waits for has happened (e.g. its batch now exists). */
export type ParkResolver = (subject: string) => Promise<boolean>;

export interface ReplayResult {
  quarantine_id: string;
  /** `body_evicted`: only for parked replays, which go on with the other entries. */
  outcome: ReplayOutcome | 'body_evicted';
  detail: string;
}

/** Lists, shows and replays quarantined messages; replays parked ones when their cause is gone. */
@Injectable()
export class QuarantineService implements OnModuleInit {
  private readonly logger = new Logger(QuarantineService.name);
  private readonly resolvers = new Map<string, ParkResolver>();

  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runner: ProjectionRunner,
    private readonly pipeline: PushPipeline,
    private readonly ingestion: PushIngestionService,
  ) {}

  onModuleInit(): void {
    this.runner.register(quarantineProjection);
    // A message parked just after its cause was resolved would otherwise wait forever.
    this.runner.registerReaction(
      defineReaction<QuarantineEvent>()({
        name: 'quarantine-park-check',
        eventTypes: [QUARANTINE_EVENTS.quarantined],
        handle: (event) => this.replayIfResolved(event),
      }),
    );
  }

  /** `prefix` is the part of park keys before the first ':' (e.g. `batch` for `batch:<id>`). */
  registerParkResolver(prefix: string, resolver: ParkResolver): void {
    this.resolvers.set(prefix, resolver);
  }

  async list(options: { reason?: string | undefined; cursor?: string | undefined; limit: number }) {
    const page = options.reason
      ? await this.storage.readModels.list<{ id: string }>(QUARANTINE_BY_REASON, {
          prefix: `${options.reason}/`,
          limit: options.limit,
          ...(options.cursor ? { after: `${options.reason}/${options.cursor}` } : {}),
        })
      : await this.storage.readModels.list<{ id: string }>(QUARANTINE, {
          limit: options.limit,
          ...(options.cursor ? { after: options.cursor } : {}),
        });
    const ids = page.map((entry) => (options.reason ? entry.doc.id : entry.key));
    const items = await Promise.all(
      ids.map((id) => this.storage.readModels.get<QuarantineView>(QUARANTINE, id)),
    );
    return boundedPage(
      ids.map((id, index) => ({ item: items[index] ?? null, cursor: id })),
      options.limit,
      this.config.server.responsePageMaxBytes,
    );
  }

  async get(quarantineId: string) {
    const [view, original] = await Promise.all([
      this.storage.readModels.get<QuarantineView>(QUARANTINE, quarantineId),
      this.original(quarantineId),
    ]);
    if (!original) throw this.notFound(quarantineId);
    const stored = await readQuarantinedBody(this.storage, original);
    return {
      // The entry's own metadata, so it shows before the projection catches up.
      quarantine_id: quarantineId,
      reason: original.reason,
      detail: original.detail,
      endpoint: original.endpoint,
      subscription: original.subscription,
      message_id: original.message_id,
      delivery_attempt: original.delivery_attempt,
      park_key: original.park_key,
      received_at: original.received_at,
      status: 'quarantined',
      ...view,
      headers: original.headers,
      body_bytes: stored.bytes,
      body_sha256: stored.sha256,
      body_evicted: !stored.held,
      ...(stored.held
        ? { body: stored.body.toString('utf8'), body_base64: stored.body.toString('base64') }
        : { body: null, body_base64: null, body_note: evictedNote(quarantineId, stored) }),
    };
  }

  /**
   * Runs the stored message through the pipeline again; its effect happens at most once. An entry
   * whose body was evicted answers 410: there is nothing to replay.
   */
  async replay(quarantineId: string): Promise<ReplayResult> {
    const original = await this.original(quarantineId);
    if (!original) throw this.notFound(quarantineId);
    const stored = await readQuarantinedBody(this.storage, original);
    if (!stored.held) {
      throw new GoneException(
        `${evictedNote(quarantineId, stored)}; nothing to replay: ask the publisher to publish ` +
          `message ${original.message_id} of ${original.subscription} (endpoint ${original.endpoint}) again`,
      );
    }
    return this.replayBody(quarantineId, original, stored.body);
  }

  private async replayBody(
    quarantineId: string,
    original: MessageQuarantined,
    body: Buffer,
  ): Promise<ReplayResult> {
    const planner = this.ingestion.plannerFor(original.endpoint);
    if (!planner) {
      throw new ConflictException(
        `no push handler for endpoint ${original.endpoint} is registered; cannot replay ${quarantineId}`,
      );
    }
    const result = await this.pipeline.process(
      planner,
      { body, headers: original.headers },
      { kind: 'replay', quarantineId },
    );
    if (result.status === 503 || result.status === 500) {
      throw new ServiceUnavailableException(
        `replay of ${quarantineId} failed, try again: ${result.detail}`,
      );
    }
    const replayOutcome: ReplayOutcome =
      result.outcome === 'processed'
        ? 'processed'
        : result.outcome === 'duplicate'
          ? 'duplicate'
          : 'still_failing';
    await handleCommand(
      this.storage,
      quarantineStream(quarantineId),
      quarantineDecider,
      { kind: 'record_replay', quarantineId, outcome: replayOutcome, detail: result.detail },
      { nowMs: this.clock.now().getTime() },
    );
    this.logger.log(
      `replayed ${quarantineId} (${original.endpoint}): ${replayOutcome} ${result.detail}`,
    );
    return { quarantine_id: quarantineId, outcome: replayOutcome, detail: result.detail };
  }

  /** Replays every message parked under `parkKey` (e.g. `batch:<id>` once that batch exists). */
  async replayParked(parkKey: string): Promise<ReplayResult[]> {
    const head = await this.storage.events.head();
    if (head)
      await this.runner.waitFor(
        quarantineProjection.name,
        head,
        this.config.timeouts.healthCheckMs,
      );
    const results: ReplayResult[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.storage.readModels.list<{ id: string }>(QUARANTINE_PARKED, {
        prefix: `${parkKey}/`,
        limit: 100,
        ...(after ? { after } : {}),
      });
      for (const entry of page) results.push(await this.replayParkedEntry(entry.doc.id));
      if (page.length < 100) return results;
      after = page[page.length - 1]!.key;
    }
  }

  private async replayIfResolved(
    event: Recorded<EventOfType<QuarantineEvent, typeof QUARANTINE_EVENTS.quarantined>>,
  ): Promise<void> {
    const entry = event.data;
    if (!entry.park_key) return;
    const separator = entry.park_key.indexOf(':');
    const resolver = this.resolvers.get(entry.park_key.slice(0, separator));
    if (resolver && (await resolver(entry.park_key.slice(separator + 1)))) {
      await this.replayParkedEntry(entry.quarantine_id);
    }
  }

  /** A parked entry whose body was evicted is reported and skipped, so the others still replay. */
  private async replayParkedEntry(quarantineId: string): Promise<ReplayResult> {
    const original = await this.original(quarantineId);
    if (!original) throw this.notFound(quarantineId);
    const stored = await readQuarantinedBody(this.storage, original);
    if (stored.held) return this.replayBody(quarantineId, original, stored.body);
    const detail = `${evictedNote(quarantineId, stored)}; message ${original.message_id} of ${original.subscription} must be published again`;
    this.logger.warn(`parked ${quarantineId} (${original.park_key}) cannot be replayed: ${detail}`);
    return { quarantine_id: quarantineId, outcome: 'body_evicted', detail };
  }

  private async original(quarantineId: string): Promise<MessageQuarantined | null> {
    const { state } = await aggregateStream(
      this.storage,
      quarantineStream(quarantineId),
      quarantineDecider,
    );
    return state.entry;
  }

  private notFound(quarantineId: string): NotFoundException {
    return new NotFoundException(
      `no quarantined message ${quarantineId}; list them at GET /v1/quarantine`,
    );
  }
}

function evictedNote(quarantineId: string, body: QuarantinedBody): string {
  return (
    `the raw body of quarantined message ${quarantineId} (${body.bytes} bytes, sha256 ${body.sha256}) ` +
    'was evicted from the quarantine body store (QUARANTINE_MAX_BYTES); the entry keeps what it was'
  );
}
