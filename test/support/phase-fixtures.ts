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

/**
 * The six required processors of config/processors.yaml, each as its publisher names it (matched
 * by a different rule: output_table, alias, normalized, exact).
 */
export const REQUIRED_REPORTS: ReadonlyArray<{ processor_name: string; output_table?: string }> = [
  { processor_name: 'BdlPlayerBoxscoresProcessor', output_table: 'nba_raw.bdl_player_boxscores' },
  { processor_name: 'NbacGamebookPdfProcessor' },
  { processor_name: 'NbacScheduleProcessor' },
  { processor_name: 'NbacPlayerListProcessor', output_table: 'nba_raw.nbac_player_list' },
  { processor_name: 'odds_api_events' },
  { processor_name: 'OddsApiPropsBatchProcessor', output_table: 'nba_raw.odds_api_props' },
];

export const REQUIRED_NAMES = [
  'bdl_player_boxscores',
  'nbac_gamebook',
  'nbac_schedule',
  'nbac_player_list',
  'odds_api_events',
  'odds_api_player_props',
];

/** A phase-2 completion message for a game date (fields as the publisher sends them). */
export function completion(
  gameDate: string,
  processor: { processor_name: string; output_table?: string },
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
