import * as errors from '../domain/errors.js';
import { DeadlineExceededError, HttpProtocolError, MethodNotAllowedError } from './errors.js';
import type { Logger } from '../ports/logger.js';
import type { HttpResponse } from './types.js';

const STATUS: Record<string, { status: number; title: string }> = {
  VALIDATION_FAILED: { status: 400, title: 'Invalid request' },
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  INSUFFICIENT_SCOPE: { status: 403, title: 'Forbidden' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Not found' },
  TASK_NOT_FOUND: { status: 404, title: 'Task not found' },
  ATTACHMENT_NOT_FOUND: { status: 404, title: 'Attachment not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  ATTACHMENT_LIMIT_REACHED: { status: 409, title: 'Attachment limit reached' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  DEADLINE_EXCEEDED: { status: 503, title: 'Service unavailable' },
};

/** RFC 6750 §3: the challenge of a 401 or 403 on a bearer-protected operation. */
function bearerChallenge(error: errors.UnauthenticatedError | errors.InsufficientScopeError): string {
  const quoted = (value: string) => `"${value.replaceAll(/["\\]/g, '')}"`;
  if (error instanceof errors.InsufficientScopeError) return `Bearer realm="duet", error="insufficient_scope", scope=${quoted(error.accepted.join(' '))}`;
  if (error.reason === 'missing') return 'Bearer realm="duet"';
  return `Bearer realm="duet", error="invalid_token", error_description=${quoted(error.message)}`;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:duet:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function problemResponse(
  status: number,
  fields: { title: string; detail: string; code: string; requestId: string; [extra: string]: unknown },
  headers: Record<string, string> = {},
): HttpResponse {
  const { title, detail, code, requestId, ...extra } = fields;
  const body = { type: problemType(code), title, status, detail, code, requestId, ...extra };
  return { status, headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

/**
 * The one mapping from errors to HTTP. Domain errors and the transport's refusals become their
 * problem document; anything else is logged with its cause and answered as an opaque 500.
 */
export function errorToResponse(error: unknown, requestId: string, logger: Logger): HttpResponse {
  if ((error instanceof errors.DomainError || error instanceof HttpProtocolError) && STATUS[error.code]) {
    const { status, title } = STATUS[error.code]!;
    const headers: Record<string, string> = {};
    const extra: Record<string, unknown> = {};
    if (error instanceof errors.ValidationError && error.errors.length) extra.errors = error.errors;
    if (error instanceof MethodNotAllowedError) headers.allow = error.allow.join(', ');
    if (error instanceof errors.UnauthenticatedError || error instanceof errors.InsufficientScopeError) headers['www-authenticate'] = bearerChallenge(error);
    if (error instanceof errors.DependencyUnavailableError || error instanceof DeadlineExceededError) {
      headers['retry-after'] = String(error instanceof errors.DependencyUnavailableError ? error.retryAfterSeconds : 1);
      logger.warn({ err: error, requestId }, error.message);
    }
    // A write that kept losing races to concurrent ones succeeds when sent again a moment later.
    if (error instanceof errors.ConflictError) headers['retry-after'] = '1';
    return problemResponse(status, { title, detail: error.message, code: error.code, requestId, ...extra }, headers);
  }
  logger.error({ err: error, requestId }, 'unhandled error');
  return problemResponse(500, {
    title: 'Internal server error',
    detail: 'The server failed to handle the request; it has been logged under this requestId.',
    code: 'INTERNAL',
    requestId,
  });
}
