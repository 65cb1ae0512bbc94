import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import {
  BATCH_COLLECTIONS as C,
  playerKey,
  toBatchView,
  type BatchProgress,
  type BatchStatus,
  type BatchView,
  type PlayerProgress,
} from './batch-progress.view.js';

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

/** The batch-progress read model, read by key or by cursor: cost independent of batch size. */
@Injectable()
export class BatchQueriesService {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  async get(batchId: string): Promise<BatchView> {
    return toBatchView(await this.progress(batchId));
  }

  /** Batches ordered by id (by game date, then id, when filtered by status). */
  async list(query: BatchListQuery): Promise<Page<BatchView>> {
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
    return {
      items: docs.filter((doc): doc is BatchProgress => doc !== null).map(toBatchView),
      next: nextCursor(page, query.limit, prefix),
    };
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
    return { items: page.map((entry) => entry.doc), next: nextCursor(page, query.limit, prefix) };
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
    return { items: page.map((entry) => entry.doc), next: nextCursor(page, query.limit, prefix) };
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
function nextCursor(page: Array<{ key: string }>, limit: number, prefix: string): string | null {
  if (page.length < limit) return null;
  return page[page.length - 1]!.key.slice(prefix.length);
}
