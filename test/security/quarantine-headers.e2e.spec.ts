import request from 'supertest';
import { STORAGE, type Storage } from '../../src/common/event-store/index.js';
import { pushEnvelope } from '../support/push-envelope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A quarantine entry keeps the headers a replay needs, not whatever a sender adds. */
describe('quarantined headers', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(() => test.close());

  it('keeps only the headers a replay reads', async () => {
    const res = await request(test.app.getHttpServer())
      .post('/v1/push/prediction-completions')
      .set('x-goog-pubsub-padding', 'p'.repeat(8000))
      .set('x-something-else', 'q'.repeat(4000))
      .set('x-correlation-id', 'corr-1')
      .send(pushEnvelope({ batch_id: 'b', predictions_generated: 'many' }))
      .expect(202);
    const id = res.body.quarantine_id as string;
    const storage = test.app.get<Storage>(STORAGE);
    const events = [];
    for await (const event of storage.events.readStream(`quarantine-${id}`)) events.push(event);
    const headers = (events[0]!.data as { headers: Record<string, string> }).headers;
    expect(Object.keys(headers).sort()).toEqual(['content-type', 'x-correlation-id']);
  });
});
