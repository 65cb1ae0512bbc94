import { randomUUID } from 'node:crypto';
import type { CollectionReference, Firestore } from '@google-cloud/firestore';
import { measure, type Measurement } from '../timing.js';
import type { BenchSizes } from '../workloads.js';

const PAGE = 1000;
/** Firestore commits at most 500 writes at once: the fill writes in chunks of this many. */
const FILL_CHUNK = 500;
const position = (n: number) => String(n).padStart(16, '0');

/**
 * The same work on a bare `@google-cloud/firestore` client: event documents shaped like the
 * store's (JSON text data, a 16-digit `gpos`), but numbered by a counter in this process, so no
 * sequencing pass, no stream or key documents, no version check. A single append is one
 * read-write transaction writing one document; a batch, one transaction writing 100.
 */
export class RawFirestore {
  private readonly versions = new Map<string, number>();
  private readonly events: CollectionReference;
  private next = 0;

  constructor(private readonly db: Firestore) {
    this.events = db.collection('raw_events');
  }

  private eventDoc(streamId: string, recordedAt: string) {
    this.next += 1;
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    return {
      eventId: randomUUID(),
      streamId,
      streamVersion: version,
      type: 'BenchEvent',
      data: JSON.stringify({ n: this.next, player: 'lebron-james' }),
      metadata: '{}',
      recordedAt,
      gpos: position(this.next),
    };
  }

  /** `count` events to `streamId` in one transaction. */
  private write(streamId: string, count: number): Promise<void> {
    return this.db.runTransaction(async (tx) => {
      const recordedAt = new Date().toISOString();
      for (let i = 0; i < count; i++) {
        const doc = this.eventDoc(streamId, recordedAt);
        tx.create(this.events.doc(doc.eventId), doc);
      }
    });
  }

  singleTransactions(first: number, count: number): Promise<Measurement> {
    return measure(count, async () => {
      for (let n = first; n < first + count; n++) await this.write(`s-${n % 50}`, 1);
    });
  }

  batchTransactions(batches: number, size: number): Promise<Measurement> {
    return measure(batches * size, async () => {
      for (let b = 0; b < batches; b++) await this.write(`b-${b % 50}`, size);
    });
  }

  async fill(total: number): Promise<void> {
    for (let done = 0; done < total; done += FILL_CHUNK) {
      await this.write(`s-${Math.floor(done / PAGE) % 50}`, Math.min(FILL_CHUNK, total - done));
    }
  }

  private page(after: string) {
    return this.events.where('gpos', '>', after).orderBy('gpos').limit(PAGE).get();
  }

  readAll(): Promise<Measurement> {
    let count = 0;
    return measure(0, async () => {
      let after = '';
      for (;;) {
        const page = await this.page(after);
        for (const doc of page.docs) {
          JSON.parse(doc.get('data') as string);
          after = doc.get('gpos') as string;
        }
        count += page.size;
        if (page.size < PAGE) return;
      }
    }).then((m) => ({ ...m, operations: count }));
  }

  /** A per-stream summary: per page, one transaction reading the page's summaries and writing them with a checkpoint. */
  projectAll(): Promise<Measurement> {
    const summaries = this.db.collection('raw_summaries');
    const checkpoint = this.db.collection('raw_checkpoints').doc('raw');
    let count = 0;
    return measure(0, async () => {
      let after = '';
      for (;;) {
        const page = await this.page(after);
        if (page.empty) return;
        after = page.docs.at(-1)!.get('gpos') as string;
        await this.db.runTransaction(async (tx) => {
          const streams = [...new Set(page.docs.map((doc) => doc.get('streamId') as string))];
          const stored = await tx.getAll(...streams.map((id) => summaries.doc(id)));
          const docs = new Map(
            stored.map((snapshot) => [
              snapshot.id,
              { n: (snapshot.get('n') as number | undefined) ?? 0, last: '' },
            ]),
          );
          for (const doc of page.docs) {
            const summary = docs.get(doc.get('streamId') as string)!;
            summary.n += 1;
            summary.last = doc.get('type') as string;
          }
          for (const [id, summary] of docs) tx.set(summaries.doc(id), summary);
          tx.set(checkpoint, { position: after });
        });
        count += page.size;
      }
    }).then((m) => ({ ...m, operations: count }));
  }
}

/** The workloads after single appends: batches on one database, read and projection on another. */
export async function rawFirestoreSuite(
  open: (label: string) => Firestore,
  round: number,
  sizes: BenchSizes,
) {
  const batch = await new RawFirestore(open(`raw-${round}`)).batchTransactions(
    sizes.batches,
    sizes.batchSize,
  );
  const log = new RawFirestore(open(`raw-log-${round}`));
  await log.fill(sizes.logEvents);
  const read = await log.readAll();
  const project = await log.projectAll();
  return { batch, read, project };
}
