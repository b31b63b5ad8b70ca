/**
 * The closed set of errors the domain, its ports and adapters answer with. Each has a stable
 * `code`; the one mapping to HTTP lives in core/http/problem.ts, which also maps the transport's
 * own refusals (core/http/errors.ts). Anything else thrown is an unknown error (opaque 500).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(message: string, readonly errors: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
  }
}
export class TaskNotFoundError extends DomainError {
  readonly code = 'TASK_NOT_FOUND';
}
export class AttachmentNotFoundError extends DomainError {
  readonly code = 'ATTACHMENT_NOT_FOUND';
}
export class PreconditionFailedError extends DomainError {
  readonly code = 'PRECONDITION_FAILED';
}
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}
export class AttachmentLimitError extends DomainError {
  readonly code = 'ATTACHMENT_LIMIT_REACHED';
}
export class DependencyUnavailableError extends DomainError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
  constructor(message: string, readonly retryAfterSeconds = 1, options?: ErrorOptions) {
    super(message, options);
  }
}
/** No usable bearer token: `missing` (none sent) or `invalid` (bad, expired, wrong issuer...). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string, readonly reason: 'missing' | 'invalid', options?: ErrorOptions) {
    super(message, options);
  }
}
/** A verified caller whose token lacks every scope the operation accepts. */
export class InsufficientScopeError extends DomainError {
  readonly code = 'INSUFFICIENT_SCOPE';
  constructor(message: string, readonly accepted: readonly string[]) {
    super(message);
  }
}
