/**
 * What the transport refuses before any operation runs: no such route or method, a body that is
 * too large, not JSON or not in a media type the route takes. Like the domain's errors
 * (core/domain/errors.ts), each has a stable `code` and a case in the one mapping to HTTP
 * (core/http/problem.ts); unlike them, they belong to HTTP and never leave core/http and the
 * transports.
 */
export abstract class HttpProtocolError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class MalformedJsonError extends HttpProtocolError {
  readonly code = 'MALFORMED_JSON';
}
export class UnsupportedMediaTypeError extends HttpProtocolError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}
export class PayloadTooLargeError extends HttpProtocolError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}
export class RouteNotFoundError extends HttpProtocolError {
  readonly code = 'ROUTE_NOT_FOUND';
}
export class MethodNotAllowedError extends HttpProtocolError {
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(message: string, readonly allow: string[]) {
    super(message);
  }
}
/** The runtime gives up on a request it cannot finish in time (a Lambda function about to time out): 503, retry. */
export class DeadlineExceededError extends HttpProtocolError {
  readonly code = 'DEADLINE_EXCEEDED';
}
