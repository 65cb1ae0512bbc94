import request from 'supertest';
import { ManualClock } from '../../src/common/clock/clock.js';
import {
  completion,
  eventsOfType,
  PHASE2_PUSH,
  phase2Fixture,
  phase3Messages,
  phaseViewWhen,
  REQUIRED_REPORTS,
} from '../support/phase-fixtures.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';

/** Production's message with informational fields sent empty, as some publishers do. */
const withEmptyInformational = (data: Record<string, unknown>) => ({
  ...data,
  correlation_id: '',
  output_table: '',
  output_dataset: ' ',
  worker_instance: '',
  trigger_source: '',
  record_count: '',
});

/**
 * Empty strings in informational fields of a phase-2 completion are treated as absent, never
 * quarantined; required fields stay required (real app, real SQLite, real HTTP).
 */
describe('phase-2 completions with empty informational fields', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startTestApp(
      { LOG_LEVEL: 'error' },
      { clock: new ManualClock('2026-01-22T12:00:00.000Z') },
    );
  });
  afterEach(() => test.close());
  const server = () => test.app.getHttpServer();

  it('records them as absent and still triggers phase 3', async () => {
    const fixture = withEmptyInformational(phase2Fixture.data);
    await request(server()).post(PHASE2_PUSH).send(pushEnvelope(fixture)).expect(204);
    for (const report of REQUIRED_REPORTS) {
      await request(server())
        .post(PHASE2_PUSH)
        .send(pushEnvelope(withEmptyInformational(completion(DATE, report))))
        .expect(204);
    }
    const view = await phaseViewWhen(server(), DATE, (v) => v.status === 'triggered', 'trigger');
    expect(view).toMatchObject({ trigger_reason: 'all_complete', correlation_id: null });

    const reported = await eventsOfType(server(), 'Phase2ProcessorReported');
    expect(reported).toHaveLength(REQUIRED_REPORTS.length + 1);
    expect(reported[0]!.data).toMatchObject({
      processor: 'p2_bdl_box_scores',
      processor_name: 'BdlPlayerBoxscoresProcessor',
      correlation_id: null,
      output_table: null,
      record_count: null,
    });
    // No correlation id anywhere: the trigger carries the date's own.
    await eventually(async () => (await phase3Messages(server())).length === 1, 'phase-3 message');
    expect((await phase3Messages(server()))[0]!.body).toMatchObject({
      correlation_id: `phase3-${DATE}`,
    });
  });

  it('takes the correlation id of the first completion that has one', async () => {
    await request(server())
      .post(PHASE2_PUSH)
      .send(pushEnvelope({ ...completion(DATE, REQUIRED_REPORTS[0]!), correlation_id: '' }))
      .expect(204);
    await request(server())
      .post(PHASE2_PUSH)
      .send(pushEnvelope(completion(DATE, REQUIRED_REPORTS[1]!, { correlation_id: 'corr-real' })))
      .expect(204);
    const view = await phaseViewWhen(
      server(),
      DATE,
      (v) => v.correlation_id !== null,
      'a correlation id',
    );
    expect(view.correlation_id).toBe('corr-real');
  });

  it.each(['processor_name', 'phase', 'execution_id', 'game_date', 'status', 'timestamp'])(
    'quarantines a message whose required %s is empty, naming it',
    async (field) => {
      const answer = await request(server())
        .post(PHASE2_PUSH)
        .send(pushEnvelope({ ...completion(DATE, REQUIRED_REPORTS[0]!), [field]: '' }))
        .expect(202);
      expect(answer.body).toMatchObject({
        reason: 'schema_violation',
        detail: expect.stringContaining(field),
      });
      expect(await eventsOfType(server(), 'Phase2ProcessorReported')).toHaveLength(0);
    },
  );
});
