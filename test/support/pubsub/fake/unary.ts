import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import { toServiceError } from './errors.js';

/** Adapts `(request, call) => response` (sync or async, throwing FakeRpcError) to a gRPC handler. */
export function unary<Request, Response>(
  handler: (
    request: Request,
    call: ServerUnaryCall<Request, Response>,
  ) => Response | Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error)),
      );
  };
}
