import type { AlertRequest } from '../../../common/alerts/alert.port.js';
import type { ReadModelDocument } from '../../../common/event-store/index.js';
import type { MirrorTransaction } from '../mirror-transaction.js';

export const documentPath = (collection: string, key: string) => `${collection}/${key}`;

/**
 * One dry run of a step's events over the documents read so far. A document not read yet is
 * answered as absent and noted in `missing`; the store reads every missing document in one round
 * trip and runs the step again, until a run misses nothing: that run's writes and alerts are the
 * step's. The projection computes everything from what it reads, so the final run is exactly a
 * run over the real documents, and a step costs a few round trips instead of one per document.
 */
export class DiscoveringTransaction implements MirrorTransaction {
  readonly missing = new Set<string>();
  /** Path -> document, or null to delete; in the order first written. */
  readonly writes = new Map<string, ReadModelDocument | null>();
  readonly alerts: AlertRequest[] = [];

  constructor(private readonly known: ReadonlyMap<string, ReadModelDocument | null>) {}

  async get<T extends ReadModelDocument>(collection: string, key: string): Promise<T | null> {
    const path = documentPath(collection, key);
    if (this.writes.has(path)) return this.writes.get(path) as T | null;
    if (this.known.has(path)) return this.known.get(path) as T | null;
    this.missing.add(path);
    return null;
  }

  async put(collection: string, key: string, doc: ReadModelDocument): Promise<void> {
    this.writes.set(documentPath(collection, key), doc);
  }

  async delete(collection: string, key: string): Promise<void> {
    this.writes.set(documentPath(collection, key), null);
  }

  deferAlert(alert: AlertRequest): void {
    this.alerts.push(alert);
  }
}
