import type { Recorded } from '../../../common/event-store/index.js';
import { WORKFLOW_EVENTS, type WorkflowEvent } from '../workflow.events.js';
import { INTERRUPTED_ERROR, interruptedFinish } from './interrupted-execution.js';

const event = (type: string, data: unknown, recordedAt: string) =>
  ({
    eventId: `${type}-${recordedAt}`,
    streamId: 'workflow-execution-x',
    streamVersion: 1,
    position: '1',
    type,
    data,
    metadata: {},
    recordedAt,
  }) as Recorded<WorkflowEvent>;
const started = event(
  WORKFLOW_EVENTS.executionStarted,
  { execution_id: 'x', workflow: 'wf' },
  '2026-01-22T12:00:00.000Z',
);
const step = (outcome: string, error: string | null, at: string) =>
  event(WORKFLOW_EVENTS.stepFinished, { outcome, error }, at);

describe('interruptedFinish', () => {
  it('given a started execution with steps, then interrupted with their counts and the time to the last step', () => {
    const finish = interruptedFinish(
      [
        started,
        step('success', null, '2026-01-22T12:00:01.000Z'),
        step('failed', 'boom', '2026-01-22T12:00:03.500Z'),
      ],
      new Date('2026-01-22T13:00:00.000Z'),
    );
    expect(finish).toEqual({
      execution_id: 'x',
      workflow: 'wf',
      status: 'interrupted',
      counts: { success: 1, no_data: 0, failed: 1, timed_out: 0, circuit_open: 0 },
      duration_ms: 3500,
      errors: ['boom', INTERRUPTED_ERROR],
      finished_at: '2026-01-22T13:00:00.000Z',
    });
  });

  it('given an execution that already finished, then nothing', () => {
    expect(
      interruptedFinish(
        [started, event(WORKFLOW_EVENTS.executionFinished, {}, '2026-01-22T12:00:05.000Z')],
        new Date(),
      ),
    ).toBeNull();
  });

  it('given an empty stream, then nothing', () => {
    expect(interruptedFinish([], new Date())).toBeNull();
  });
});
