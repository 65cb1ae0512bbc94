import { setImmediate as nextTurn } from 'node:timers/promises';
import { createBootstrapLogger } from './bootstrap-logger.js';
import { getLogContext, runWithLogContext, updateLogContext } from './log-context.js';

function captureJsonLines() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log context', () => {
  it('is undefined outside runWithLogContext and visible across awaits inside it', async () => {
    expect(getLogContext()).toBeUndefined();
    await runWithLogContext({ correlationId: 'c-1' }, async () => {
      await nextTurn();
      expect(getLogContext()).toEqual({ correlationId: 'c-1' });
    });
    expect(getLogContext()).toBeUndefined();
  });

  it('nests by copying: an inner scope adds fields without changing the outer one', () => {
    runWithLogContext({ correlationId: 'c-1', subscription: 'orders' }, () => {
      runWithLogContext({ messageId: 'm-1' }, () => {
        updateLogContext({ correlationId: 'c-2' });
        expect(getLogContext()).toEqual({
          correlationId: 'c-2',
          subscription: 'orders',
          messageId: 'm-1',
        });
      });
      expect(getLogContext()).toEqual({ correlationId: 'c-1', subscription: 'orders' });
    });
  });

  it('updateLogContext merges into the current scope and throws outside one', () => {
    runWithLogContext({ requestId: 'r-1' }, () => {
      updateLogContext({ messageId: 'm-9' });
      expect(getLogContext()).toEqual({ requestId: 'r-1', messageId: 'm-9' });
    });
    expect(() => updateLogContext({ messageId: 'm-9' })).toThrow(
      /updateLogContext\(messageId\) called outside runWithLogContext/,
    );
  });

  it('puts correlation_id and message_id on every line logged inside it, with no HTTP involved', async () => {
    const capture = captureJsonLines();
    const logger = createBootstrapLogger({
      structured: true,
      level: 'info',
      destination: capture.destination,
    });

    logger.info('before');
    await runWithLogContext(
      { correlationId: 'corr-42', messageId: 'msg-7', subscription: 'orders-sub' },
      async () => {
        await nextTurn();
        logger.child({ context: 'OrderProjection' }).info('projected');
      },
    );
    logger.info('after');

    const [before, projected, after] = capture.entries();
    expect(before).not.toHaveProperty('correlation_id');
    expect(projected).toMatchObject({
      message: 'projected',
      context: 'OrderProjection',
      correlation_id: 'corr-42',
      message_id: 'msg-7',
      subscription: 'orders-sub',
    });
    expect(after).not.toHaveProperty('message_id');
  });
});
