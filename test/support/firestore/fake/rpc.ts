import type { handleServerStreamingCall, handleUnaryCall } from '@grpc/grpc-js';
import { toServiceError } from './errors.js';

/** Adapts `request => response` (sync or async, throwing FakeRpcError) to a unary gRPC handler. */
export function unary<Request, Response>(
  handler: (request: Request) => Response | Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error)),
      );
  };
}

/** A server-streaming handler that computes all its responses at once, then streams them. */
export function serverStream<Request, Response>(
  handler: (request: Request) => Response[] | Promise<Response[]>,
): handleServerStreamingCall<Request, Response> {
  return (call) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (responses) => {
          for (const response of responses) call.write(response);
          call.end();
        },
        (error: unknown) => call.emit('error', toServiceError(error)),
      );
  };
}
