import type { Fields } from './wire-types.js';

export interface StoredDocument {
  readonly name: string;
  readonly fields: Fields;
  /** Microseconds since the epoch, like every time in the fake. */
  readonly createTime: number;
  readonly updateTime: number;
}

interface Version {
  time: number;
  document: StoredDocument | undefined;
}

/**
 * One database's documents with every version kept, so reads at a past read_time (read-only
 * transactions, consistent query retries) see the database as it was. Versions are not pruned:
 * tests are short-lived and reset() drops them.
 */
export class DocumentStore {
  private readonly histories = new Map<string, Version[]>();

  /** The document as of `time` (default: now); undefined if it did not exist. */
  get(name: string, time?: number): StoredDocument | undefined {
    const history = this.histories.get(name);
    if (!history) return undefined;
    if (time === undefined) return history[history.length - 1]?.document;
    for (let i = history.length - 1; i >= 0; i--) {
      if (history[i]!.time <= time) return history[i]!.document;
    }
    return undefined;
  }

  /** Every document existing as of `time` (default: now). */
  all(time?: number): StoredDocument[] {
    const documents: StoredDocument[] = [];
    for (const name of this.histories.keys()) {
      const document = this.get(name, time);
      if (document) documents.push(document);
    }
    return documents;
  }

  /** Records the document's new state (undefined: deleted) at commit time `time`. */
  put(name: string, document: StoredDocument | undefined, time: number): void {
    const history = this.histories.get(name) ?? [];
    history.push({ time, document });
    this.histories.set(name, history);
  }

  clear(): void {
    this.histories.clear();
  }
}
