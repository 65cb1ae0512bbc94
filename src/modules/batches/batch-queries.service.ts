import { ConflictException, Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { boundedPage, type PageEntry } from '../../common/http/page-budget.js';
import {
  BATCH_COLLECTIONS as C,
  playerKey,
  toBatchView,
  type BatchProgress,
  type BatchStatus,
  type PlayerProgress,
} from './batch-progress.view.js';
import { withPace, type BatchReadView } from './batch-pace.js';
import {
  LEGACY_MIRROR_REPORTS,
  type LegacyMirrorReport,
  type LegacyMirrorReports,
} from './legacy-mirror-reports.port.js';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

export interface BatchListQuery {
  game_date?: string | undefined;
  status?: BatchStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

/**
 * The batch-progress read model, read by key or by cursor: cost independent of batch size, and
 * every page within RESPONSE_PAGE_MAX_BYTES.
 */
@Injectable()
export class BatchQueriesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    // Provided only while the legacy mirror runs (BatchesModule.forRoot).
    @Optional()
    @Inject(LEGACY_MIRROR_REPORTS)
    private readonly mirrorReports: LegacyMirrorReports | null = null,
  ) {}

  /** With the legacy mirror on, the batch's latest mirror check too (`legacy_mirror`, null before one). */
  async get(
    batchId: string,
  ): Promise<BatchReadView & { legacy_mirror?: LegacyMirrorReport | null }> {
    const view = this.readView(await this.progress(batchId));
    if (!this.mirrorReports) return view;
    return { ...view, legacy_mirror: await this.mirrorReports.reportFor(batchId) };
  }

  /** Batches ordered by id (by game date, then id, when filtered by status). */
  async list(query: BatchListQuery): Promise<Page<BatchReadView>> {
    const { collection, prefix } = listIndex(query);
    const page = await this.storage.readModels.list<{ batch_id: string }>(collection, {
      prefix,
      limit: query.limit,
      ...(query.cursor ? { after: `${prefix}${query.cursor}` } : {}),
    });
    const docs =
      collection === C.batches
        ? page.map((entry) => entry.doc as BatchProgress)
        : await Promise.all(
            page.map((entry) =>
              this.storage.readModels.get<BatchProgress>(C.batches, entry.doc.batch_id),
            ),
          );
    return this.page(
      page.map((entry, index) => {
        const doc = docs[index] ?? null;
        return {
          item: doc === null ? null : this.readView(doc),
          cursor: entry.key.slice(prefix.length),
        };
      }),
      query.limit,
    );
  }

  /** Every player that reported (expected or not), by player id. */
  async completions(batchId: string, query: PageQuery): Promise<Page<PlayerProgress>> {
    await this.progress(batchId);
    const prefix = playerKey(batchId, '');
    const page = await this.storage.readModels.list<PlayerProgress>(C.players, {
      prefix,
      limit: query.limit,
      ...(query.cursor ? { after: `${prefix}${query.cursor}` } : {}),
    });
    return this.page(entriesOf(page, prefix), query.limit);
  }

  /** Expected players with no outcome yet, by player id; only when the expected list was given. */
  async missing(batchId: string, query: PageQuery): Promise<Page<{ player_lookup: string }>> {
    const progress = await this.progress(batchId);
    if (!progress.has_expected_list) {
      throw new ConflictException(
        `batch ${batchId} was created with expected_count only, so which players are missing is unknown ` +
          `(${progress.missing_count} of ${progress.expected_players} have not reported); ` +
          'create batches with expected_players to list them',
      );
    }
    const prefix = playerKey(batchId, '');
    const page = await this.storage.readModels.list<{ player_lookup: string }>(C.pending, {
      prefix,
      limit: query.limit,
      ...(query.cursor ? { after: `${prefix}${query.cursor}` } : {}),
    });
    return this.page(entriesOf(page, prefix), query.limit);
  }

  private readView(progress: BatchProgress): BatchReadView {
    return withPace(toBatchView(progress), {
      nowMs: this.clock.now().getTime(),
      stallMs: this.config.timeouts.stallDetectionMs,
    });
  }

  private page<T>(entries: Array<PageEntry<T>>, limit: number): Page<T> {
    return boundedPage(entries, limit, this.config.server.responsePageMaxBytes);
  }

  private async progress(batchId: string): Promise<BatchProgress> {
    const progress = await this.storage.readModels.get<BatchProgress>(C.batches, batchId);
    if (!progress) {
      throw new NotFoundException(
        `no batch ${batchId}; list batches at GET /v1/batches (a batch just created shows once batch-progress has applied it)`,
      );
    }
    return progress;
  }
}

function listIndex(query: BatchListQuery): { collection: string; prefix: string } {
  if (query.status) {
    return {
      collection: C.byStatus,
      prefix: query.game_date ? `${query.status}/${query.game_date}/` : `${query.status}/`,
    };
  }
  if (query.game_date) return { collection: C.byDate, prefix: `${query.game_date}/` };
  return { collection: C.batches, prefix: '' };
}

/** The cursor is the key without the index prefix (a batch id, or `<game_date>/<batch_id>`, or a player id). */
function entriesOf<T>(page: Array<{ key: string; doc: T }>, prefix: string): Array<PageEntry<T>> {
  return page.map((entry) => ({ item: entry.doc, cursor: entry.key.slice(prefix.length) }));
}
