import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/** An error the fake answers with a real gRPC status code (the client retries by code). */
export class FakeRpcError extends Error implements Partial<ServiceError> {
  readonly metadata = new Metadata();

  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(`${code} ${status[code]}: ${details}`);
  }
}

export const invalidArgument = (details: string) =>
  new FakeRpcError(status.INVALID_ARGUMENT, details);
export const notFound = (details: string) => new FakeRpcError(status.NOT_FOUND, details);
export const alreadyExists = (details: string) => new FakeRpcError(status.ALREADY_EXISTS, details);
export const failedPrecondition = (details: string) =>
  new FakeRpcError(status.FAILED_PRECONDITION, details);
export const aborted = (details: string) => new FakeRpcError(status.ABORTED, details);

/** The error to hand to a gRPC callback: ours as is, anything else as INTERNAL with its message. */
export function toServiceError(error: unknown): FakeRpcError {
  if (error instanceof FakeRpcError) return error;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return new FakeRpcError(status.INTERNAL, `Firestore fake failed: ${detail}`);
}
