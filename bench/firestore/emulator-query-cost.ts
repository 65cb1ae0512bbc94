import type { Firestore } from '@google-cloud/firestore';

const SIZES = [0, 5_000, 20_000] as const;
const REPEAT = 10;

/**
 * How the emulator's query time grows with the collection (it scans, where Firestore serves a
 * query from an index in time proportional to what it returns): the sequencer's pending-events
 * query (which finds nothing here) and a 1,000-event page of the log, on 0, 5,000 and 20,000
 * numbered events. Prints one markdown table.
 */
export async function printEmulatorQueryCost(db: Firestore): Promise<void> {
  const events = db.collection('probe_events');
  const pending = () =>
    events.where('gpos', '==', null).orderBy('streamId').orderBy('streamVersion').limit(499).get();
  const page = () =>
    events.where('gpos', '>', '0000000000000000').orderBy('gpos').limit(1000).get();
  const ms = async (query: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < REPEAT; i++) await query();
    return ((performance.now() - started) / REPEAT).toFixed(0);
  };
  console.log(
    '| emulator: one query (ms) on a collection of | pending events (none found) | a 1,000-event page |',
  );
  console.log('|---|---:|---:|');
  let written = 0;
  for (const size of SIZES) {
    while (written < size) {
      const batch = db.batch();
      for (let i = 0; i < 500; i++, written++) {
        batch.set(events.doc(`e${written}`), {
          streamId: `s-${written % 50}`,
          streamVersion: written,
          gpos: String(written + 1).padStart(16, '0'),
          data: JSON.stringify({ n: written, player: 'lebron-james' }),
        });
      }
      await batch.commit();
    }
    console.log(
      `| ${size.toLocaleString('en-US')} events | ${await ms(pending)} | ${await ms(page)} |`,
    );
  }
}
