import { randomUUID } from 'node:crypto';
import {
  startFirestoreTarget,
  uniqueFirestoreProjectId,
  type FirestoreTarget,
} from '../../../../test/support/firestore/index.js';
import { ManualClock } from '../../clock/clock.js';
import type { Position } from '../event-envelope.js';
import { FirestoreEventLog } from './firestore-event-log.js';
import { FirestoreLayout } from './firestore-layout.js';
import { toPosition } from './firestore-position.js';

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;
const MAX_EVENTS_PER_APPEND = 3;
const MAX_HOLD_MS = 30;
const IDLE_LIMIT_MS = 3000;
const EMPTY_POLL_PAUSE_MS = 10;
const EMULATOR_START_MS = 60_000;
const TEST_MS = 120_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One writer: its own client, so its own sequencer, racing the other seven to number events.
 * Odd writers hold their transaction open for a random while (a read of a private document starts
 * it) before the append's own reads and commit, so appends commit in another order than they
 * began, and sequencing passes run while they are open.
 */
async function write(
  log: FirestoreEventLog,
  writer: number,
  eventCounts: readonly number[],
): Promise<string[]> {
  const written: string[] = [];
  const streamId = `writer-${writer}`;
  let version = 0;
  for (const count of eventCounts) {
    const events = Array.from({ length: count }, () => ({
      eventId: randomUUID(),
      type: 'Written',
      data: { writer },
    }));
    const options = { expectedVersion: version };
    const result =
      writer % 2 === 1
        ? await log.appendInTransaction(streamId, events, options, async (tx) => {
            await tx.get(log.collections.layout.collection('holders').doc(streamId));
            await pause(Math.random() * MAX_HOLD_MS);
            return () => undefined;
          })
        : await log.append(streamId, events, options);
    version = result!.streamVersion;
    written.push(...events.map((event) => event.eventId));
  }
  return written;
}

/**
 * Pages through the log, checking order as it goes, until the writers are done and it has seen
 * `total` events, or has seen nothing new for IDLE_LIMIT_MS after they were done.
 */
async function follow(
  log: FirestoreEventLog,
  done: () => boolean,
  total: number,
): Promise<Array<{ eventId: string; position: Position }>> {
  const seen: Array<{ eventId: string; position: Position }> = [];
  let after: Position | null = null;
  let idleSince = Date.now();
  for (;;) {
    const writersFinished = done();
    let page = 0;
    for await (const event of log.readAll({ after, pageSize: 50, limit: 200 })) {
      if (after !== null && event.position <= after) {
        throw new Error(`position ${event.position} came after ${after}`);
      }
      after = event.position;
      seen.push({ eventId: event.eventId, position: event.position });
      page += 1;
    }
    if (page > 0 || !writersFinished) idleSince = Date.now();
    if (writersFinished && (seen.length >= total || Date.now() - idleSince > IDLE_LIMIT_MS)) {
      return seen;
    }
    if (page === 0) await pause(EMPTY_POLL_PAUSE_MS);
  }
}

// Firestore has no sequence: appends commit pending events and sequencing passes number them
// after commit (firestore-sequencer.ts). Eight processes' sequencers race here on one counter.
describe('Firestore log reading under concurrent writers and sequencers (gap safety)', () => {
  let target: FirestoreTarget;
  const projectId = uniqueFirestoreProjectId('shotclock-gaps');
  const logs: FirestoreEventLog[] = [];
  const open = () => {
    const log = new FirestoreEventLog(
      new FirestoreLayout(target.client(projectId), 'gaps_'),
      new ManualClock(),
      { idempotencyTtlDays: () => 7 },
    );
    logs.push(log);
    return log;
  };

  beforeAll(async () => {
    target = await startFirestoreTarget();
  }, EMULATOR_START_MS);
  afterAll(async () => {
    await Promise.all(logs.map((log) => log.idle()));
    await target.reset(projectId);
    await target.stop();
  });

  it(
    'shows a live reader every event exactly once, at dense positions in order',
    async () => {
      const reader = open();
      const writers = Array.from({ length: WRITERS }, open);
      const eventCounts = writers.map(() =>
        Array.from(
          { length: APPENDS_PER_WRITER },
          () => 1 + Math.floor(Math.random() * MAX_EVENTS_PER_APPEND),
        ),
      );
      const total = eventCounts.flat().reduce((sum, count) => sum + count, 0);
      let finished = false;
      const writing = Promise.all(writers.map((log, i) => write(log, i, eventCounts[i]!))).finally(
        () => {
          finished = true;
        },
      );
      const [written, seen] = await Promise.all([
        writing.then((perWriter) => perWriter.flat()),
        follow(reader, () => finished, total),
      ]);

      const seenIds = new Set(seen.map((event) => event.eventId));
      const writtenIds = new Set(written);
      expect({
        missed: written.filter((id) => !seenIds.has(id)).length,
        seenTwice: seen.length - seenIds.size,
        unknown: seen.filter((event) => !writtenIds.has(event.eventId)).length,
      }).toEqual({ missed: 0, seenTwice: 0, unknown: 0 });
      expect(written).toHaveLength(total);
      expect(seen.map((event) => event.position)).toEqual(
        written.map((_, index) => toPosition(index + 1)),
      );
      expect(await reader.head()).toBe(toPosition(written.length));
      expect(await reader.distance(null, await reader.head())).toBe(written.length);
    },
    TEST_MS,
  );
});
