import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import {
  completion,
  phase3Messages,
  phaseViewWhen,
  pushCompletion,
  REQUIRED_NAMES,
  REQUIRED_REPORTS,
  TRACKED_REPORTS,
} from '../support/phase-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const DEADLINE_MS = 30 * 60_000;

/** A field's JSON kind, telling lists of strings and null apart from other objects. */
type Kind = 'string' | 'number' | 'boolean' | 'null' | 'string[]';
const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    return value.every((item) => typeof item === 'string') ? 'string[]' : 'array';
  }
  return typeof value;
};

/**
 * What the phase-3 consumer reads from `nba-phase3-trigger` (the old phase2_to_phase3
 * orchestrator's fields): these names, of these kinds, on every message. parent_* are null when no
 * completion caused the trigger (deadline, manual), as the old orchestrator's `.get()` gave.
 */
const CONSUMER_FIELDS: Record<string, readonly Kind[]> = {
  game_date: ['string'],
  correlation_id: ['string'],
  trigger_source: ['string'],
  triggered_by: ['string'],
  upstream_processors_count: ['number'],
  expected_processors: ['string[]'],
  timestamp: ['string'],
  parent_execution_id: ['string', 'null'],
  parent_processor: ['string', 'null'],
};
/** Shotclock's own: why and whether with partial data. */
const SHOTCLOCK_FIELDS: Record<string, readonly Kind[]> = {
  trigger_reason: ['string'],
  partial: ['boolean'],
};
/** What the message carried before the consumer's fields were added; kept for its readers. */
const EARLIER_FIELDS: Record<string, readonly Kind[]> = {
  completed_processors: ['string[]'],
  missing_processors: ['string[]'],
};
const ALL_FIELDS = { ...CONSUMER_FIELDS, ...SHOTCLOCK_FIELDS, ...EARLIER_FIELDS };

type Message = { body: Record<string, unknown>; attributes: Record<string, string> };

/** The contract every phase-3 trigger keeps, whatever caused it. */
function expectContract(message: Message) {
  const { body } = message;
  // Every field always present, and nothing the contract does not name.
  expect(Object.keys(body).sort()).toEqual(Object.keys(ALL_FIELDS).sort());
  for (const [field, kinds] of Object.entries(ALL_FIELDS)) {
    expect({ field, kind: kinds.includes(kindOf(body[field]) as Kind) }).toEqual({
      field,
      kind: true,
    });
  }
  expect(body.trigger_source).toBe('orchestrator');
  expect(body.triggered_by).toBe('shotclock');
  expect(body.game_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  expect(['all_complete', 'deadline_exceeded', 'manual']).toContain(body.trigger_reason);
  expect(body.expected_processors).toEqual(REQUIRED_NAMES);
  const missing = body.missing_processors as string[];
  expect(Number.isInteger(body.upstream_processors_count)).toBe(true);
  expect(body.upstream_processors_count).toBe(REQUIRED_NAMES.length - missing.length);
  expect(body.partial).toBe(body.trigger_reason === 'deadline_exceeded' || missing.length > 0);
  expect(body.parent_execution_id === null).toBe(body.parent_processor === null);
  expect(message.attributes).toEqual({
    game_date: body.game_date,
    correlation_id: body.correlation_id,
    trigger_reason: body.trigger_reason,
    partial: String(body.partial),
  });
}

describe('contract: the phase-3 trigger as its consumer reads it (real app, real SQLite)', () => {
  let test: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock('2026-01-22T12:00:00.000Z');
    test = await startTestApp({ LOG_LEVEL: 'error' }, { clock });
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();

  const publishedFor = async (gameDate: string): Promise<Message> => {
    await eventually(
      async () => (await phase3Messages(server())).some((m) => m.body.game_date === gameDate),
      `phase-3 message of ${gameDate}`,
    );
    const message = (await phase3Messages(server())).find((m) => m.body.game_date === gameDate)!;
    expectContract(message as unknown as Message);
    return message as unknown as Message;
  };

  it('keeps the contract for all_complete, deadline_exceeded and manual triggers', async () => {
    const complete = '2026-01-20';
    await pushCompletion(server(), completion(complete, TRACKED_REPORTS[0]!));
    for (const report of REQUIRED_REPORTS)
      await pushCompletion(server(), completion(complete, report));
    const last = REQUIRED_REPORTS.at(-1)!;
    expect((await publishedFor(complete)).body).toMatchObject({
      correlation_id: `corr-${complete}`,
      trigger_reason: 'all_complete',
      partial: false,
      upstream_processors_count: REQUIRED_NAMES.length,
      parent_execution_id: `exec-${last.processor_name}`,
      parent_processor: last.processor_name,
    });

    const manual = '2026-01-21';
    await request(server())
      .post(`/v1/phases/${manual}/trigger`)
      .send({ reason: 'no games reported' })
      .expect(201);
    expect((await publishedFor(manual)).body).toMatchObject({
      correlation_id: `phase3-${manual}`,
      trigger_reason: 'manual',
      partial: true,
      upstream_processors_count: 0,
      completed_processors: [],
      parent_execution_id: null,
      parent_processor: null,
    });

    const late = '2026-01-22';
    await pushCompletion(server(), completion(late, REQUIRED_REPORTS[0]!));
    await phaseViewWhen(server(), late, (v) => v.deadline_at !== null, 'deadline scheduled');
    clock.advanceMs(DEADLINE_MS);
    expect((await publishedFor(late)).body).toMatchObject({
      trigger_reason: 'deadline_exceeded',
      partial: true,
      upstream_processors_count: 1,
      parent_execution_id: null,
      parent_processor: null,
    });
  });
});
