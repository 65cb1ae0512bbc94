import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { encodeErrorInfoStatus } from './status-details.js';

/** An error the fake answers with a real gRPC status code (the publisher classifies by code). */
export class FakeRpcError extends Error implements Partial<ServiceError> {
  readonly metadata: Metadata;

  constructor(
    readonly code: status,
    readonly details: string,
    metadata?: Metadata,
  ) {
    super(`${code} ${status[code]}: ${details}`);
    this.metadata = metadata ?? new Metadata();
  }
}

export const notFound = (details: string) => new FakeRpcError(status.NOT_FOUND, details);
export const alreadyExists = (details: string) => new FakeRpcError(status.ALREADY_EXISTS, details);
export const invalidArgument = (details: string) =>
  new FakeRpcError(status.INVALID_ARGUMENT, details);

/**
 * What an exactly-once subscription answers for ack ids that are no longer valid (acked, nacked or
 * expired): INVALID_ARGUMENT with an ErrorInfo naming each id, which `ackWithResponse()` reads.
 */
export function exactlyOnceAckIdFailure(invalidAckIds: string[]): FakeRpcError {
  const metadata = new Metadata();
  const detailsBin = encodeErrorInfoStatus({
    code: status.INVALID_ARGUMENT,
    message: '',
    reason: 'EXACTLY_ONCE_ACKID_FAILURE',
    domain: 'pubsub.googleapis.com',
    metadata: Object.fromEntries(
      invalidAckIds.map((ackId) => [ackId, 'PERMANENT_FAILURE_INVALID_ACK_ID']),
    ),
  });
  metadata.set('grpc-status-details-bin', detailsBin);
  return new FakeRpcError(status.INVALID_ARGUMENT, '', metadata);
}

/** The error to hand to a gRPC callback: ours as is, anything else as INTERNAL with its message. */
export function toServiceError(error: unknown): FakeRpcError {
  if (error instanceof FakeRpcError) return error;
  return new FakeRpcError(status.INTERNAL, `Pub/Sub fake failed: ${String(error)}`);
}
