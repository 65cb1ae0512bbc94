import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import { STORAGE, type Storage } from '../../common/event-store/index.js';
import { boundedPage } from '../../common/http/page-budget.js';
import { ProjectionRunner } from '../../common/projections/projection-runner.js';
import { ALERT_CHANNEL, type AlertChannel } from './alert-channel.port.js';
import { ALERT_DELIVERY_REACTION } from './alert-delivery.reaction.js';
import {
  ALERT_COLLECTIONS,
  deliveryStatus,
  kindIndexPrefix,
  type AlertView,
  type DeliveryContext,
  type DeliveryStatus,
} from './alert.view.js';

export type AlertResponse = Omit<AlertView, 'position'> & { delivery: DeliveryStatus };

export interface AlertListQuery {
  kind?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Reads alerts from the `alerts` read model (never from the log). */
@Injectable()
export class AlertQueriesService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(ALERT_CHANNEL) private readonly channel: AlertChannel | null,
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Alerts in log order (oldest first), within RESPONSE_PAGE_MAX_BYTES; `next` is the cursor of
   * the following page, or null.
   */
  async list(query: AlertListQuery): Promise<{ items: AlertResponse[]; next: string | null }> {
    const prefix = query.kind === undefined ? '' : kindIndexPrefix(query.kind);
    const page = await this.storage.readModels.list<{ id: string }>(
      query.kind === undefined ? ALERT_COLLECTIONS.byOrder : ALERT_COLLECTIONS.byKind,
      {
        limit: query.limit,
        ...(prefix ? { prefix } : {}),
        ...(query.cursor ? { after: `${prefix}${query.cursor}` } : {}),
      },
    );
    const views = await Promise.all(
      page.map((entry) =>
        this.storage.readModels.get<AlertView>(ALERT_COLLECTIONS.alerts, entry.doc.id),
      ),
    );
    const context = await this.deliveryContext();
    return boundedPage(
      page.map((entry, index) => {
        const view = views[index] ?? null;
        return {
          item: view === null ? null : toResponse(view, context),
          cursor: entry.key.slice(prefix.length),
        };
      }),
      query.limit,
      this.config.server.responsePageMaxBytes,
    );
  }

  async get(alertId: string): Promise<AlertResponse> {
    const view = await this.storage.readModels.get<AlertView>(ALERT_COLLECTIONS.alerts, alertId);
    if (!view) {
      throw new NotFoundException(
        `no alert '${alertId}' (alert ids are the keys alerts were raised with; ` +
          'a just-raised alert shows once the alerts projection has applied it; list them with GET /v1/alerts)',
      );
    }
    return toResponse(view, await this.deliveryContext());
  }

  private async deliveryContext(): Promise<DeliveryContext> {
    const { checkpoint } = await this.runner.status(ALERT_DELIVERY_REACTION);
    return { channelConfigured: this.channel !== null, deliveryCheckpoint: checkpoint };
  }
}

function toResponse(view: AlertView, context: DeliveryContext): AlertResponse {
  const { position: _position, ...rest } = view;
  return { ...rest, delivery: deliveryStatus(view, context) };
}
