let sequence = 0;

/** A Pub/Sub push body (wrapped form) carrying `data` as JSON, with a fresh or given message id. */
export function pushEnvelope(
  data: unknown,
  options: {
    messageId?: string;
    subscription?: string;
    deliveryAttempt?: number;
    rawData?: string;
  } = {},
) {
  const messageId = options.messageId ?? `m-${Date.now()}-${++sequence}`;
  return {
    message: {
      data: options.rawData ?? Buffer.from(JSON.stringify(data)).toString('base64'),
      messageId,
      message_id: messageId,
      publishTime: '2026-01-22T12:00:00.000Z',
      attributes: {},
    },
    subscription: options.subscription ?? 'projects/nba-props-platform/subscriptions/shotclock-sub',
    ...(options.deliveryAttempt === undefined ? {} : { deliveryAttempt: options.deliveryAttempt }),
  };
}
