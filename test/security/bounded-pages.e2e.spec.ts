import request from 'supertest';
import type { App } from 'supertest/types.js';
import { AlertService } from '../../src/modules/alerts/alert.service.js';
import { ManualClock } from '../../src/common/clock/clock.js';
import { STORAGE, type RecordedEvent, type Storage } from '../../src/common/event-store/index.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import { STREAM_SUMMARIES } from '../../src/common/projections/stream-summary.projection.js';
import {
  BATCH_EVENTS,
  playerStream,
  type PredictionFailed,
} from '../../src/modules/batches/batch.events.js';
import { BATCH_PROGRESS_PROJECTION } from '../../src/modules/batches/batch-progress.view.js';
import { PHASE_STATUS_PROJECTION } from '../../src/modules/orchestration/phase-status.view.js';
import {
  WORKFLOW_DECISIONS_PROJECTION,
  WORKFLOW_EXECUTIONS_PROJECTION,
} from '../../src/modules/workflows/decisions/workflow-history.view.js';
import { appendEvaluation } from '../support/cost-export-events.js';
import { completion, PHASE2_PUSH, REQUIRED_REPORTS } from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestAppOn, TEST_STORES, type TestStore } from '../support/test-app-on-store.js';
import type { TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';
import { appendPastExecution } from '../support/workflows-decisions-events.js';

const PREDICTIONS = '/v1/push/prediction-completions';
const DATE = '2026-01-22';
/** The default RESPONSE_PAGE_MAX_BYTES (4 MiB). */
const DEFAULT_BUDGET = 4 * 1024 * 1024;
/** What the outside test sent: the longest error_message a 1 MiB push body carries. */
const HUGE = 780_000;

type Body = Record<string, unknown>;

/**
 * Follows a list's `next` from its first page to its last: every page answers 200, a page of more
 * than one item keeps its items within `budget` bytes (as serialised in the answer), and the
 * items of all pages are returned.
 */
async function walk(
  server: App,
  first: string,
  nextUrl: (next: string) => string,
  itemsOf: (body: Body) => unknown[],
  budget: number,
): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let url: string | null = first;
  let pages = 0;
  while (url !== null) {
    const answer = await request(server).get(url);
    expect({ url, status: answer.status }).toEqual({ url, status: 200 });
    const page = itemsOf(answer.body as Body);
    // The brackets of the array are not items; a lone item may be as big as its limits allow.
    const bytes = Buffer.byteLength(JSON.stringify(page)) - 2;
    if (page.length > 1) {
      expect({ url, bytes, withinBudget: bytes <= budget }).toMatchObject({ withinBudget: true });
    }
    items.push(...page);
    pages++;
    const next = (answer.body as Body).next as string | null;
    url = next === null ? null : nextUrl(next);
    if (pages > 10_000) throw new Error(`${first}: more than 10,000 pages, next does not move`);
  }
  return { items, pages };
}

const cursorUrl = (path: string, param: string) => (next: string) =>
  `${path}${path.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(next)}`;

describe.each(TEST_STORES)(
  'list pages bounded in bytes on %s (real app over HTTP)',
  (store: TestStore) => {
    let test: TestApp;
    let server: App;
    let storage: Storage;
    const start = async (env: Record<string, string> = {}) => {
      test = await startTestAppOn(
        store,
        { LOG_LEVEL: 'error', ...env },
        { clock: new ManualClock('2026-01-22T15:00:00.000Z') },
      );
      server = test.app.getHttpServer() as App;
      storage = test.app.get<Storage>(STORAGE);
    };
    afterEach(() => test.close());

    const allEvents = async () => {
      const events: RecordedEvent[] = [];
      for await (const event of storage.events.readAll()) events.push(event);
      return events;
    };

    it('780,000-character error messages: completions and events at limit=1000 answer 200 within the budget, and next reaches every item once', async () => {
      await start();
      const players = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      await request(server)
        .post('/v1/batches')
        .send({ batch_id: 'b-huge', game_date: DATE, expected_players: players })
        .expect(201);
      // Six pushes as the outside test sent them, and six events as a version that kept the whole
      // text wrote them (the log keeps them forever).
      for (const player of players.slice(0, 6)) {
        const message = { player_lookup: player, batch_id: 'b-huge', status: 'failed' };
        await request(server)
          .post(PREDICTIONS)
          .send(pushEnvelope({ ...message, error_message: 'x'.repeat(HUGE) }))
          .expect(204);
      }
      for (const player of players.slice(6)) {
        const data: PredictionFailed = {
          batch_id: 'b-huge',
          player_lookup: player,
          error_message: 'y'.repeat(HUGE),
          failed_at: '2026-01-22T15:00:00.000Z',
          message_id: null,
        };
        await storage.events.append(
          playerStream('b-huge', player),
          [{ type: BATCH_EVENTS.predictionFailed, data }],
          { expectedVersion: 'any' },
        );
      }
      await eventually(
        async () =>
          (await request(server).get('/v1/batches/b-huge')).body.failed_count === players.length,
        'every failure applied',
      );

      const completions = await walk(
        server,
        '/v1/batches/b-huge/completions?limit=1000',
        cursorUrl('/v1/batches/b-huge/completions?limit=1000', 'cursor'),
        (body) => body.items as unknown[],
        DEFAULT_BUDGET,
      );
      expect(completions.items.map((item) => (item as Body).player_lookup)).toEqual(players);

      const events = await walk(
        server,
        '/v1/events?limit=1000',
        cursorUrl('/v1/events?limit=1000', 'after'),
        (body) => body.events as unknown[],
        DEFAULT_BUDGET,
      );
      expect(events.pages).toBeGreaterThan(1);
      expect(events.items.map((event) => (event as RecordedEvent).eventId)).toEqual(
        (await allEvents()).map((event) => event.eventId),
      );
    });

    it('every list endpoint ends a page at RESPONSE_PAGE_MAX_BYTES, and next reaches every item exactly once', async () => {
      const budget = 2048;
      await start({ RESPONSE_PAGE_MAX_BYTES: String(budget) });

      // Batches: eight of one player each, completed (phase-5 outbox messages), and one big one.
      for (let day = 1; day <= 8; day++) {
        const batchId = `b-${day}`;
        await request(server)
          .post('/v1/batches')
          .send({ batch_id: batchId, game_date: `2026-02-0${day}`, expected_count: 1 })
          .expect(201);
        await request(server)
          .post(PREDICTIONS)
          .send(
            pushEnvelope({ player_lookup: 'solo', batch_id: batchId, predictions_generated: 1 }),
          )
          .expect(204);
      }
      const players = Array.from(
        { length: 60 },
        (_, i) => `player-${String(i).padStart(3, '0')}-${'x'.repeat(60)}`,
      );
      await request(server)
        .post('/v1/batches')
        .send({ batch_id: 'b-big', game_date: DATE, expected_players: players })
        .expect(201);
      const failed = players.slice(0, 10);
      for (const player of failed) {
        await request(server)
          .post(PREDICTIONS)
          .send(
            pushEnvelope({
              player_lookup: player,
              batch_id: 'b-big',
              status: 'failed',
              error_message: 'e'.repeat(900),
            }),
          )
          .expect(204);
      }
      // Phase 2 of eight dates; alerts; workflow decisions and executions of one local date.
      const phaseDates = Array.from({ length: 8 }, (_, i) => `2026-03-0${i + 1}`);
      for (const date of phaseDates) {
        await request(server)
          .post(PHASE2_PUSH)
          .send(pushEnvelope(completion(date, REQUIRED_REPORTS[0]!)))
          .expect(204);
      }
      const alertKeys = Array.from({ length: 8 }, (_, i) => `bounded-pages:${i}`);
      for (const key of alertKeys) {
        await test.app.get(AlertService).raise({
          key,
          kind: 'phase2_deadline_exceeded',
          severity: 'warning',
          summary: `planted alert ${key} ${'s'.repeat(200)}`,
          details: { missing_processors: ['a', 'b'] },
        });
      }
      const hours = ['08', '09', '10', '11', '12', '13'];
      for (const hour of hours) {
        await appendEvaluation(storage, {
          evaluationId: `eval-${hour}`,
          hourKey: `${DATE}T${hour}`,
          evaluatedAt: `${DATE}T${hour}:00:00.000Z`,
          decisions: ['morning_operations', 'betting_lines', 'injury_discovery'].map(
            (workflow) => ({
              workflow,
              action: 'SKIP' as const,
              reason: `planted ${'r'.repeat(150)}`,
              priority: 'HIGH',
              decision_type: 'fixed_time',
            }),
          ),
        });
      }
      const executions = Array.from({ length: 16 }, (_, i) => `exec-${String(i).padStart(2, '0')}`);
      for (const [i, executionId] of executions.entries()) {
        await appendPastExecution(storage, {
          executionId,
          workflow: 'injury_discovery',
          localDate: DATE,
          startedAt: `${DATE}T10:${String(i).padStart(2, '0')}:00.000Z`,
          status: i % 2 === 0 ? 'failed' : 'completed',
        });
      }

      // Quarantine: eight messages that fail the schema, each entry naming its problems.
      const quarantined: string[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await request(server)
          .post(PREDICTIONS)
          .send(
            pushEnvelope({
              batch_id: `b-q-${i}`,
              predictions_generated: 'many',
              worker_instance: 'w'.repeat(150),
            }),
          )
          .expect(202);
        quarantined.push(res.body.quarantine_id as string);
      }

      await eventually(
        async () => (await storage.outbox.embeddedMessages({ limit: 1000 })).length === 8,
        'eight batches completed and published',
        15_000,
      );
      const head = (await storage.events.head())!;
      const runner = test.app.get(ProjectionRunner);
      for (const projection of [
        'stream-summaries',
        'quarantine',
        BATCH_PROGRESS_PROJECTION,
        'alerts',
        PHASE_STATUS_PROJECTION,
        WORKFLOW_DECISIONS_PROJECTION,
        WORKFLOW_EXECUTIONS_PROJECTION,
      ]) {
        await runner.waitFor(projection, head, 15_000);
      }

      const lists: Array<{
        name: string;
        first: string;
        next: (next: string) => string;
        items: (body: Body) => unknown[];
        expected: () => Promise<unknown[]>;
        idOf: (item: unknown) => unknown;
      }> = [
        {
          name: 'events',
          first: '/v1/events?limit=1000',
          next: cursorUrl('/v1/events?limit=1000', 'after'),
          items: (body) => body.events as unknown[],
          expected: async () => (await allEvents()).map((event) => event.eventId),
          idOf: (item) => (item as RecordedEvent).eventId,
        },
        {
          name: 'streams',
          first: '/v1/streams?limit=1000',
          next: cursorUrl('/v1/streams?limit=1000', 'after'),
          items: (body) => body.streams as unknown[],
          expected: async () =>
            (await storage.readModels.list(STREAM_SUMMARIES, { limit: 100_000 })).map(
              (entry) => entry.key,
            ),
          idOf: (item) => (item as Body).stream_id,
        },
        {
          name: 'outbox',
          first: '/v1/outbox?limit=1000',
          next: cursorUrl('/v1/outbox?limit=1000', 'after'),
          items: (body) => body.messages as unknown[],
          expected: async () =>
            (await storage.outbox.embeddedMessages({ limit: 1000 })).map((m) => m.messageId),
          idOf: (item) => (item as Body).messageId,
        },
        {
          name: 'quarantine',
          first: '/v1/quarantine?limit=1000',
          next: cursorUrl('/v1/quarantine?limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () => [...quarantined].sort(),
          idOf: (item) => (item as Body).quarantine_id,
        },
        {
          name: 'alerts',
          first: '/v1/alerts?limit=1000',
          next: cursorUrl('/v1/alerts?limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () => alertKeys,
          idOf: (item) => (item as Body).alert_id,
        },
        {
          name: 'batches',
          first: '/v1/batches?limit=1000',
          next: cursorUrl('/v1/batches?limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () =>
            [...Array.from({ length: 8 }, (_, i) => `b-${i + 1}`), 'b-big'].sort(),
          idOf: (item) => (item as Body).batch_id,
        },
        {
          name: 'batches by status',
          first: '/v1/batches?status=complete&limit=1000',
          next: cursorUrl('/v1/batches?status=complete&limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () => Array.from({ length: 8 }, (_, i) => `b-${i + 1}`),
          idOf: (item) => (item as Body).batch_id,
        },
        {
          name: 'completions',
          first: '/v1/batches/b-big/completions?limit=1000',
          next: cursorUrl('/v1/batches/b-big/completions?limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () => failed,
          idOf: (item) => (item as Body).player_lookup,
        },
        {
          name: 'missing',
          first: '/v1/batches/b-big/missing?limit=1000',
          next: cursorUrl('/v1/batches/b-big/missing?limit=1000', 'cursor'),
          items: (body) => body.items as unknown[],
          expected: async () => players.slice(failed.length),
          idOf: (item) => (item as Body).player_lookup,
        },
        {
          name: 'phases',
          first: '/v1/phases?from=2026-03-01&to=2026-03-31',
          next: (next) => `/v1/phases?from=${next}&to=2026-03-31`,
          items: (body) => body.items as unknown[],
          expected: async () => phaseDates,
          idOf: (item) => (item as Body).game_date,
        },
        {
          name: 'workflow decisions',
          first: `/v1/workflows/decisions?date=${DATE}`,
          next: cursorUrl(`/v1/workflows/decisions?date=${DATE}`, 'cursor'),
          items: (body) => body.evaluations as unknown[],
          expected: async () => hours.map((hour) => `eval-${hour}`),
          idOf: (item) => (item as Body).evaluation_id,
        },
        {
          name: 'workflow executions',
          first: `/v1/workflows/executions?date=${DATE}`,
          next: cursorUrl(`/v1/workflows/executions?date=${DATE}`, 'cursor'),
          items: (body) => body.executions as unknown[],
          expected: async () => executions,
          idOf: (item) => (item as Body).execution_id,
        },
        {
          name: 'failed workflow executions',
          first: `/v1/workflows/executions?date=${DATE}&status=failed`,
          next: cursorUrl(`/v1/workflows/executions?date=${DATE}&status=failed`, 'cursor'),
          items: (body) => body.executions as unknown[],
          expected: async () => executions.filter((_, i) => i % 2 === 0),
          idOf: (item) => (item as Body).execution_id,
        },
      ];
      for (const list of lists) {
        const walked = await walk(server, list.first, list.next, list.items, budget);
        expect({ list: list.name, ids: walked.items.map(list.idOf) }).toEqual({
          list: list.name,
          ids: await list.expected(),
        });
        expect({ list: list.name, split: walked.pages > 1 }).toEqual({
          list: list.name,
          split: true,
        });
      }

      // Counts stay those of the whole date, whatever the page.
      const firstPage = (
        await request(server).get(`/v1/workflows/executions?date=${DATE}&status=failed`).expect(200)
      ).body as Body;
      expect(firstPage.counts).toEqual({
        total: 16,
        running: 0,
        completed: 8,
        failed: 8,
        interrupted: 0,
      });
    });
  },
);
