import type { AlertRequest } from '../../../common/alerts/alert.port.js';
import type { ReadModelDocument } from '../../../common/event-store/index.js';
import { documentPath } from '../firestore/discovering-transaction.js';
import type { MirrorTransaction } from '../mirror-transaction.js';

/**
 * Documents in memory, by path: what the mirror projection writes when it replays a batch's events
 * from nothing (the consistency check's expectation). Alerts are collected, never raised.
 */
export class InMemoryDocuments implements MirrorTransaction {
  readonly documents = new Map<string, ReadModelDocument>();
  readonly alerts: AlertRequest[] = [];

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    return (this.documents.get(documentPath(collection, key)) as T | undefined) ?? null;
  }

  async put(collection: string, key: string, doc: ReadModelDocument): Promise<void> {
    this.documents.set(documentPath(collection, key), doc);
  }

  async delete(collection: string, key: string): Promise<void> {
    this.documents.delete(documentPath(collection, key));
  }

  deferAlert(alert: AlertRequest): void {
    this.alerts.push(alert);
  }
}
