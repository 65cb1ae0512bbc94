import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { pushEnvelope } from './push-envelope.js';
import { eventually } from './test-timing.js';

export const PHASE2_PUSH = '/v1/push/phase2-completions';
export const PHASE3_TOPIC = 'nba-phase3-trigger';

/** The production sample (a verbatim copy of ../shared/fixtures/phase2-completion.json): a real message and its push envelope. */
export const phase2Fixture = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../fixtures/phase2-completion.json', import.meta.url)),
    'utf8',
  ),
) as { data: Record<string, unknown>; push_envelope: Record<string, unknown> };

type ReportedAs = { processor_name: string; output_table?: string };

/**
 * The five required processors of config/processors.yaml (production's set), one report each as
 * its publisher names it: a real class name of the alias table, with an output_table that is not a
 * configured name (so the alias rule matches).
 */
export const REQUIRED_REPORTS: ReadonlyArray<ReportedAs> = [
  { processor_name: 'BigDataBallPbpProcessor', output_table: 'nba_raw.bigdataball_play_by_play' },
  { processor_name: 'OddsApiGameLinesBatchProcessor', output_table: 'nba_raw.odds_api_game_lines' },
  { processor_name: 'OddsApiPropsBatchProcessor', output_table: 'nba_raw.odds_api_player_props' },
  { processor_name: 'NbacGamebookProcessor', output_table: 'nba_raw.nbac_gamebook_player_stats' },
  { processor_name: 'NbacPlayerBoxscoreProcessor', output_table: 'nba_raw.nbac_player_boxscores' },
];

/** The configured names of REQUIRED_REPORTS, in the same (configured) order. */
export const REQUIRED_NAMES = [
  'p2_bigdataball_pbp',
  'p2_odds_game_lines',
  'p2_odds_player_props',
  'p2_nbacom_gamebook_pdf',
  'p2_nbacom_boxscores',
];

/** The three tracked processors of config/processors.yaml (recorded and shown, never waited for). */
export const TRACKED_REPORTS: ReadonlyArray<ReportedAs> = [
  { processor_name: 'BdlPlayerBoxscoresProcessor', output_table: 'nba_raw.bdl_player_boxscores' },
  { processor_name: 'NbacScheduleProcessor' },
  { processor_name: 'BrRostersCurrentProcessor' },
];

export const TRACKED_NAMES = ['p2_bdl_box_scores', 'p2_nbacom_schedule', 'p2_br_season_roster'];

/** A phase-2 completion message for a game date (fields as the publisher sends them). */
export function completion(
  gameDate: string,
  processor: ReportedAs,
  overrides: Record<string, unknown> = {},
) {
  return {
    processor_name: processor.processor_name,
    phase: 'phase_2_raw',
    execution_id: `exec-${processor.processor_name}`,
    correlation_id: `corr-${gameDate}`,
    game_date: gameDate,
    ...(processor.output_table ? { output_table: processor.output_table } : {}),
    status: 'success',
    record_count: 10,
    timestamp: `${gameDate}T11:58:41Z`,
    ...overrides,
  };
}

type Server = Parameters<typeof request>[0];

export async function pushCompletion(server: Server, data: unknown, expectStatus = 204) {
  return request(server).post(PHASE2_PUSH).send(pushEnvelope(data)).expect(expectStatus);
}

export async function phaseView(server: Server, gameDate: string) {
  return (await request(server).get(`/v1/phases/${gameDate}`).expect(200)).body;
}

export async function eventsOfType(server: Server, type: string) {
  return (await request(server).get(`/v1/events?type=${type}&limit=1000`).expect(200)).body
    .events as Array<{ streamId: string; data: Record<string, unknown> }>;
}

export async function phase3Messages(server: Server) {
  return (await request(server).get(`/v1/outbox?topic=${PHASE3_TOPIC}`).expect(200)).body
    .messages as Array<{ messageId: string; body: Record<string, unknown> }>;
}

/** Waits until every projection, reaction and outbox topic has caught up with the log. */
export async function settled(server: Server) {
  await eventually(async () => {
    const projections = (await request(server).get('/v1/projections').expect(200)).body
      .projections as Array<{ lag: number }>;
    return projections.every((p) => p.lag === 0);
  }, 'projections and reactions caught up');
}

/** Waits for the phase view of `gameDate` to satisfy `check`. */
export async function phaseViewWhen(
  server: Server,
  gameDate: string,
  check: (view: Record<string, unknown>) => boolean,
  what: string,
) {
  await eventually(async () => check(await phaseView(server, gameDate)), what);
  return phaseView(server, gameDate);
}
