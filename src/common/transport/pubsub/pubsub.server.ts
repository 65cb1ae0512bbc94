import type { Message, PubSub } from '@google-cloud/pubsub';
import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { errorMessage } from '../../errors/error-message.js';
import type { PullMetrics } from './pull-metrics.js';
import type { PullOptions } from './pull-options.js';
import type { PullStatus } from './pull-status.js';
import { PubSubContext, pulledMessageOf } from './pulled-message.js';
import type { SubscriptionRoute } from '../../config/pubsub-subscription-map.js';
import { SubscriptionStream, type StreamFailureListener } from './subscription-stream.js';

/** Identifies this transport to Nest. */
export const PUBSUB_TRANSPORT = Symbol('PUBSUB_PULL');

export interface PubSubServerOptions extends PullOptions {
  /** The client to pull with; the server closes it on close. */
  readonly client: PubSub;
  readonly routes: readonly SubscriptionRoute[];
  readonly status: PullStatus;
  readonly metrics: PullMetrics;
}

type PubSubServerEvents = {
  /** A subscription could not be read or its stream failed; it is retried after a backoff. */
  error: StreamFailureListener;
};

/**
 * Pub/Sub streaming pull as a Nest transport: each subscription of PUBSUB_SUBSCRIPTIONS feeds the
 * `@MessagePattern(route)` handler of its route, which runs the same pipeline (and idempotency
 * keys) as the push route of that name. What each outcome means for the ack: ack-decision.ts and
 * docs/ingestion.md.
 */
export class PubSubServer
  extends Server<PubSubServerEvents, 'connected' | 'disconnected'>
  implements CustomTransportStrategy
{
  override readonly transportId = PUBSUB_TRANSPORT;
  protected override readonly logger = new Logger('PubSubPull');
  private readonly streams: SubscriptionStream[] = [];
  private readonly failureListeners: StreamFailureListener[] = [];
  private closed: Promise<void> | null = null;

  constructor(private readonly options: PubSubServerOptions) {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  /**
   * Checks that every route has a handler, then opens every subscription in the background: one
   * that cannot be read is reported by readiness and retried; it does not stop the start.
   */
  listen(callback: (error?: unknown) => void): void {
    const missing = this.options.routes.filter((entry) => !this.getHandlerByPattern(entry.route));
    if (missing.length > 0) {
      const known = [...this.messageHandlers.keys()].join(', ') || '(none)';
      callback(
        new Error(
          `PUBSUB_SUBSCRIPTIONS names route(s) ${missing.map((entry) => entry.route).join(', ')} ` +
            `that no handler serves; the routes are: ${known}`,
        ),
      );
      return;
    }
    for (const entry of this.options.routes) {
      const stream = new SubscriptionStream(
        this.options.client,
        entry,
        this.options,
        this.options.status.track(entry.subscription, entry.route),
        this.options.metrics,
        (message, route) => this.dispatch(message, route),
        (subscription, problem) => this.reportFailure(subscription, problem),
        this.logger,
      );
      this.streams.push(stream);
      void stream.open();
    }
    this._status$.next('connected');
    callback();
  }

  /** Stops pulling, lets in-flight messages finish, nacks the rest, closes the client. Idempotent. */
  close(): Promise<void> {
    this.closed ??= this.closeAll();
    return this.closed;
  }

  on<EventKey extends keyof PubSubServerEvents>(
    event: EventKey,
    callback: PubSubServerEvents[EventKey],
  ): void {
    if (event !== 'error') throw new Error(`PubSubServer has no event ${String(event)}`);
    this.failureListeners.push(callback);
  }

  unwrap<T>(): T {
    return this.options.client as T;
  }

  private async closeAll(): Promise<void> {
    await Promise.all(this.streams.map((stream) => stream.close()));
    this._status$.next('disconnected');
    await this.options.client.close();
  }

  /** Runs the route's handler (within Nest's processing hooks) and resolves with its result. */
  private dispatch(message: Message, entry: SubscriptionRoute): Promise<unknown> {
    const handler = this.getHandlerByPattern(entry.route);
    if (!handler) return Promise.reject(new Error(`no handler serves route ${entry.route}`));
    const context = new PubSubContext([message, entry.route]);
    const pulled = pulledMessageOf(message, entry.subscription);
    return new Promise<unknown>((resolve, reject) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const returned: unknown = await handler(pulled, context);
          resolve(
            isObservable(returned)
              ? await lastValueFrom(returned, { defaultValue: undefined })
              : returned,
          );
        } catch (error) {
          reject(error);
        } finally {
          runEndHook();
        }
      });
    });
  }

  private reportFailure(subscription: string, problem: string): void {
    for (const listener of this.failureListeners) {
      try {
        listener(subscription, problem);
      } catch (error) {
        this.logger.error(`a PubSubServer error listener threw: ${errorMessage(error)}`);
      }
    }
  }
}
