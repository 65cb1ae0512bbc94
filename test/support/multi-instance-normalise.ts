import type { ReadModelSnapshot } from './multi-instance-read-models.js';

/**
 * Makes the read models of two runs of the same workload comparable across stores and clocks,
 * and hides nothing else: every rule below names the field it touches and why it may differ.
 * Counts, statuses, player ids, processors, reasons, versions, ids and the order of log positions
 * are compared as they are.
 */

/**
 * Wall-clock times the service stamps (its clock at receipt, at trigger, at append): two runs
 * happen at different times. Replaced only when they hold an ISO timestamp, so null vs a time
 * (something done vs not done) still differs.
 */
const WALL_CLOCK_FIELDS = new Set([
  'started_at', // batch creation (receipt of POST /v1/batches)
  'completed_at', // batch completion / player completion receipt
  'last_completion_at', // receipt of a batch's last player outcome
  'first_completion_at', // receipt of a date's first phase-2 report
  'deadline_at', // first_completion_at + PHASE2_COMPLETION_TIMEOUT_MINUTES
  'last_received_at', // receipt of a processor's last report
  'triggered_at', // when phase 3 was triggered
  'raised_at', // when an alert was raised
  'first_recorded_at', // append time of a stream's first event
  'last_recorded_at', // append time of a stream's last event
]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Log positions are store-specific encodings (PostgreSQL: transaction id + sequence, 40 digits;
 * SQLite: rowid, 16 digits), in values named `position` and in keys ordered by position. Each is
 * replaced by its rank among all positions of the snapshot: the encoding goes, the order stays.
 */
const POSITION = /^(\d{16}|\d{40})$/;

/**
 * Minutes between a date's first report and its trigger: wall-clock time (how fast the reports
 * came in; for a deadline, how late its timer fired, later on the run whose scheduler holder was
 * killed). Replaced by which side of the deadline it lies on, so a trigger on the other side in
 * one run still differs (the spec also checks the side against the trigger reason).
 */
const ELAPSED_FIELDS = new Set(['minutes_elapsed']);
/**
 * Which report of a date's concurrent burst completed the phase-2 fan-in (the phase-3 trigger's
 * parent): arrival order. Replaced only when set, so a trigger with a parent (all_complete) vs one
 * without (deadline, manual) still differs.
 */
const ARRIVAL_ORDER_FIELDS = new Set([
  'parent_execution_id',
  'parent_processor',
  // The ingestion-activity projection's last counted message: whichever push was appended last.
  'last_counted_message',
]);
/**
 * Ids generated at append (a random UUID per event the service writes itself, such as the
 * phase-3 trigger): two runs generate different ones. Replaced only when set, so a trigger vs none
 * still differs.
 */
const GENERATED_ID_FIELDS = new Set(['trigger_event_id']);
/** The same number inside an alert's summary text ("... missed its deadline after 0.26 min: ..."). */
const ELAPSED_IN_TEXT = /after (\d+(?:\.\d+)?) min\b/g;

/**
 * Ingestion activity per wall-clock minute: how a run's pushes spread over minutes depends on
 * when it ran. The minutes are summed into one document, so what was counted is still compared.
 */
const ACTIVITY_MINUTES_PREFIX = 'ingestion_activity_minutes/';

export function normaliseReadModels(
  input: ReadModelSnapshot,
  deadlineMinutes: number,
): ReadModelSnapshot {
  const snapshot = withActivityMinutesSummed(input);
  const positions = collectPositions(snapshot);
  const rank = (position: string) => `<position #${positions.indexOf(position)}>`;
  const elapsed = (minutes: number) =>
    minutes >= deadlineMinutes ? '<deadline or later>' : '<before the deadline>';

  const value = (field: string, v: unknown): unknown => {
    if (typeof v === 'string' && WALL_CLOCK_FIELDS.has(field) && ISO_TIME.test(v)) return '<time>';
    if (typeof v === 'string' && field === 'position' && POSITION.test(v)) return rank(v);
    if (typeof v === 'number' && ELAPSED_FIELDS.has(field)) return elapsed(v);
    if (typeof v === 'string' && ARRIVAL_ORDER_FIELDS.has(field)) return '<the completing report>';
    if (typeof v === 'string' && GENERATED_ID_FIELDS.has(field)) return '<generated id>';
    if (typeof v === 'string' && field === 'summary') {
      return v.replace(
        ELAPSED_IN_TEXT,
        (_, minutes: string) => `after ${elapsed(Number(minutes))} min`,
      );
    }
    if (Array.isArray(v)) return v.map((item) => value('', item));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, value(k, item)]));
    }
    return v;
  };
  const key = (k: string) =>
    k
      .split('/')
      .map((segment) => (POSITION.test(segment) ? rank(segment) : segment))
      .join('/');

  const normalised: ReadModelSnapshot = new Map();
  for (const [k, doc] of snapshot) {
    const nk = key(k);
    if (normalised.has(nk)) throw new Error(`normalising ${k} collides with another key (${nk})`);
    normalised.set(nk, value('', doc));
  }
  return normalised;
}

/** Every position in `position` fields and key segments, in log order. */
function collectPositions(snapshot: ReadModelSnapshot): string[] {
  const found = new Set<string>();
  const visit = (field: string, v: unknown) => {
    if (typeof v === 'string' && field === 'position' && POSITION.test(v)) found.add(v);
    else if (Array.isArray(v)) v.forEach((item) => visit('', item));
    else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) visit(k, item);
    }
  };
  for (const [k, doc] of snapshot) {
    for (const segment of k.split('/')) if (POSITION.test(segment)) found.add(segment);
    visit('', doc);
  }
  return [...found].sort();
}

type Counts = Record<string, number>;

function withActivityMinutesSummed(snapshot: ReadModelSnapshot): ReadModelSnapshot {
  const summed = { accepted: {} as Counts, quarantined: {} as Counts, replayed: 0 };
  const add = (into: Counts, from: unknown) => {
    for (const [name, n] of Object.entries((from ?? {}) as Counts))
      into[name] = (into[name] ?? 0) + n;
  };
  const result: ReadModelSnapshot = new Map();
  let minutes = 0;
  for (const [k, doc] of snapshot) {
    if (!k.startsWith(ACTIVITY_MINUTES_PREFIX)) {
      result.set(k, doc);
      continue;
    }
    const bucket = doc as { accepted?: unknown; quarantined?: unknown; replayed?: number };
    add(summed.accepted, bucket.accepted);
    add(summed.quarantined, bucket.quarantined);
    summed.replayed += bucket.replayed ?? 0;
    minutes += 1;
  }
  if (minutes > 0) result.set(`${ACTIVITY_MINUTES_PREFIX}<every minute>`, summed);
  return result;
}
