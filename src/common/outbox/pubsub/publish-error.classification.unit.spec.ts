import { classifyPublishError, grpcCodeName } from './publish-error.classification.js';

/** An error as the Pub/Sub client rejects with: a gRPC status code and a message. */
const grpcError = (code: number, message = 'refused') =>
  Object.assign(new Error(message), { code });

describe('classifyPublishError', () => {
  it.each([
    [3, 'INVALID_ARGUMENT'],
    [5, 'NOT_FOUND'],
    [7, 'PERMISSION_DENIED'],
    [9, 'FAILED_PRECONDITION'],
    [16, 'UNAUTHENTICATED'],
  ])('code %i (%s) is permanent: the topic stops', (code, name) => {
    expect(classifyPublishError(grpcError(code))).toEqual({ permanent: true, code: name });
  });

  it.each([
    [14, 'UNAVAILABLE'],
    [4, 'DEADLINE_EXCEEDED'],
    [8, 'RESOURCE_EXHAUSTED'],
    [13, 'INTERNAL'],
    [10, 'ABORTED'],
    [1, 'CANCELLED'],
    [2, 'UNKNOWN'],
  ])('code %i (%s) is transient: retried with backoff', (code, name) => {
    expect(classifyPublishError(grpcError(code))).toEqual({ permanent: false, code: name });
  });

  it('treats errors without a gRPC code (our timeout, a socket) as transient', () => {
    expect(classifyPublishError(new Error('publish of x timed out after 10 ms'))).toEqual({
      permanent: false,
      code: null,
    });
    expect(classifyPublishError('a string')).toEqual({ permanent: false, code: null });
    expect(classifyPublishError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({
      permanent: false,
      code: null,
    });
  });

  it('reads the code of the PublishError an ordered publish rejects with', () => {
    // The client wraps the first failure of an ordering key and copies its code.
    const wrapped = Object.assign(new Error('Unable to publish for key "s"'), {
      code: 5,
      orderingKey: 's',
    });
    expect(grpcCodeName(wrapped)).toBe('NOT_FOUND');
    expect(grpcCodeName(grpcError(99))).toBeNull();
  });
});
