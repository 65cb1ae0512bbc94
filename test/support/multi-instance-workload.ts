import { completion, PHASE2_PUSH, REQUIRED_REPORTS } from './phase-fixtures.js';
import { pushEnvelope } from './push-envelope.js';

export const PREDICTIONS_PUSH = '/v1/push/prediction-completions';

/** A batch created with POST /v1/batches before any completion is pushed. */
export interface WorkloadBatch {
  batch_id: string;
  game_date: string;
  correlation_id: string;
  /** Exactly one of expected_count / expected_players is sent. */
  expected_count?: number;
  expected_players?: string[];
  /** The players whose completion is pushed (all of them: the batch completes with all_players). */
  players: string[];
}

/** One distinct Pub/Sub message (its id is stable: a redelivery reuses it). */
export interface WorkloadMessage {
  messageId: string;
  path: string;
  envelope: ReturnType<typeof pushEnvelope>;
}

/**
 * One step of the delivery plan: a message sent once, or (`concurrent`) the same message sent to
 * two different instances at the same moment, as Pub/Sub does when an ack deadline lapses.
 */
export interface Send {
  message: WorkloadMessage;
  concurrent: boolean;
}

export interface Workload {
  batches: WorkloadBatch[];
  /** Dates that get every required processor: phase 3 triggered with all_complete. */
  completeDates: string[];
  /** Dates missing required processors: the deadline timer triggers them (deadline_exceeded). */
  deadlineDates: string[];
  messages: WorkloadMessage[];
  plan: Send[];
  /** How many sends repeat a message already in the plan (30% of the messages). */
  duplicateSends: number;
}

const BATCH_COUNT = 4;
const PLAYERS_PER_BATCH = 2_500;
const COMPLETE_DATES = ['2026-01-20', '2026-01-21', '2026-01-22', '2026-01-23'];
const DEADLINE_DATES = ['2026-01-24', '2026-01-25'];
/** Where each phase-2 date's messages start in the plan (fraction of it); deadline dates early. */
const PHASE2_AT: Record<string, number> = {
  '2026-01-24': 0.05,
  '2026-01-20': 0.15,
  '2026-01-25': 0.3,
  '2026-01-21': 0.45,
  '2026-01-22': 0.55,
  '2026-01-23': 0.8,
};
/** Plan steps between a message and its later (non-concurrent) duplicate. */
const REDELIVERY_GAP = 150;

/** A fixed permutation of 0..n-1 (xorshift with a constant seed): the same order every run. */
function fixedPermutation(n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

function batches(playersPerBatch: number): WorkloadBatch[] {
  return Array.from({ length: BATCH_COUNT }, (_, b) => {
    const gameDate = `2026-02-0${b + 1}`;
    const players = Array.from(
      { length: playersPerBatch },
      (_, p) => `player-${b}-${String(p).padStart(4, '0')}`,
    );
    // Two batches with the list of expected players, two with only a count.
    const expected =
      b % 2 === 0 ? { expected_players: players } : { expected_count: players.length };
    return {
      batch_id: `batch_${gameDate}_mi`,
      game_date: gameDate,
      correlation_id: `corr-batch-${gameDate}`,
      ...expected,
      players,
    };
  });
}

function predictionMessages(all: WorkloadBatch[]): WorkloadMessage[] {
  return all.flatMap((batch) =>
    batch.players.map((player, p) => {
      const messageId = `pred-${batch.batch_id}-${player}`;
      const data = {
        player_lookup: player,
        batch_id: batch.batch_id,
        game_date: batch.game_date,
        predictions_generated: 1 + (p % 7),
        timestamp: `${batch.game_date}T15:00:00Z`,
        worker_instance: `worker-${p % 5}`,
      };
      return { messageId, path: PREDICTIONS_PUSH, envelope: pushEnvelope(data, { messageId }) };
    }),
  );
}

/** Plan steps by which an unexpected processor's report precedes a complete date's burst. */
const UNEXPECTED_LEAD = 200;

const phase2Message = (date: string, report: { processor_name: string; output_table?: string }) => {
  const messageId = `phase2-${date}-${report.processor_name}`;
  return {
    messageId,
    path: PHASE2_PUSH,
    envelope: pushEnvelope(completion(date, report), { messageId }),
  };
};

/**
 * Per date, where it goes in the plan: a burst of the required reports (all of them, or the first
 * three), and a report of an unexpected processor. On a complete date that one comes
 * UNEXPECTED_LEAD steps before the burst, so it is never late (recorded before the trigger, in
 * every run); on a deadline date it is part of the burst (the deadline is seconds away).
 */
function phase2Inserts(date: string, complete: boolean, at: number) {
  const unexpected = phase2Message(date, { processor_name: 'BdlStandingsProcessor' });
  if (!complete) {
    const burst = [...REQUIRED_REPORTS.slice(0, 3).map((r) => phase2Message(date, r)), unexpected];
    return [{ at, messages: burst }];
  }
  return [
    { at: at - UNEXPECTED_LEAD, messages: [unexpected] },
    { at, messages: REQUIRED_REPORTS.map((r) => phase2Message(date, r)) },
  ];
}

/**
 * The whole workload, identical every run: 4 batches of `playersPerBatch` players (by default
 * 2,500: 10,000 distinct prediction completions, in a fixed shuffled order across batches), the
 * phase-2 reports of 6 dates at fixed points of the plan (see phase2Inserts), and 30% of all
 * messages sent twice: two thirds of those at once to two instances, the rest again
 * REDELIVERY_GAP steps later.
 */
export function buildWorkload(playersPerBatch = PLAYERS_PER_BATCH): Workload {
  const all = batches(playersPerBatch);
  const predictions = predictionMessages(all);
  const shuffled = fixedPermutation(predictions.length).map((i) => predictions[i]!);
  // Distinct messages in send order: the phase-2 messages spliced in at their place in the plan.
  const ordered: WorkloadMessage[] = [];
  const inserts = [...COMPLETE_DATES, ...DEADLINE_DATES].flatMap((date) =>
    phase2Inserts(
      date,
      COMPLETE_DATES.includes(date),
      Math.floor(PHASE2_AT[date]! * shuffled.length),
    ),
  );
  const misplaced = inserts.filter((insert) => insert.at < 0);
  if (misplaced.length > 0) {
    throw new Error(
      `${playersPerBatch} players per batch leave no room for the phase-2 reports placed before ` +
        `the start of the plan (at ${misplaced.map((insert) => insert.at).join(', ')}): use at least 500`,
    );
  }
  for (const [i, message] of shuffled.entries()) {
    for (const insert of inserts) if (insert.at === i) ordered.push(...insert.messages);
    ordered.push(message);
  }

  const plan: Send[] = ordered.map((message) => ({ message, concurrent: false }));
  let duplicateSends = 0;
  const later: Array<{ at: number; send: Send }> = [];
  for (const [i, message] of ordered.entries()) {
    if (i % 10 >= 3) continue; // 30% of the messages are delivered twice
    duplicateSends += 1;
    if (i % 2 === 0) plan[i] = { message, concurrent: true };
    else later.push({ at: i + REDELIVERY_GAP, send: { message, concurrent: false } });
  }
  // Insert the later duplicates from the back so earlier indices stay valid.
  for (const { at, send } of later.reverse()) plan.splice(Math.min(at, plan.length), 0, send);

  return {
    batches: all,
    completeDates: COMPLETE_DATES,
    deadlineDates: DEADLINE_DATES,
    messages: ordered,
    plan,
    duplicateSends,
  };
}
