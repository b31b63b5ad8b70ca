import { describe, expect, it, vi } from 'vitest';
import * as errors from '../../core/domain/errors.js';
import * as transport from '../../core/http/errors.js';
import { errorToResponse, PROBLEM_CONTENT_TYPE } from '../../core/http/problem.js';
import type { Logger } from '../../core/ports/logger.js';
import { silentLogger } from '../../core/ports/logger.js';

const REQUEST_ID = 'req-123';

const cases: [errors.DomainError | transport.HttpProtocolError, number][] = [
  [new errors.ValidationError('bad input'), 400],
  [new transport.MalformedJsonError('bad json'), 400],
  [new transport.RouteNotFoundError('no route'), 404],
  [new errors.TaskNotFoundError('no task'), 404],
  [new errors.AttachmentNotFoundError('no attachment'), 404],
  [new transport.MethodNotAllowedError('wrong method', ['GET', 'HEAD', 'OPTIONS']), 405],
  [new errors.ConflictError('conflict'), 409],
  [new errors.AttachmentLimitError('too many'), 409],
  [new errors.PreconditionFailedError('stale'), 412],
  [new transport.PayloadTooLargeError('too big'), 413],
  [new transport.UnsupportedMediaTypeError('not json'), 415],
  [new errors.IdempotencyKeyReusedError('reused'), 422],
  [new errors.DependencyUnavailableError('down', 7), 503],
  [new transport.DeadlineExceededError('too slow'), 503],
  [new errors.UnauthenticatedError('expired', 'invalid'), 401],
  [new errors.InsufficientScopeError('read only', ['duet/tasks.write']), 403],
];

function makeLogger() {
  return { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() };
}

const bodyOf = (response: { body?: string }) => JSON.parse(response.body ?? 'null') as Record<string, unknown>;

describe('errorToResponse', () => {
  it('has a case for every error class the domain and the transport export', () => {
    // Prepare
    const subclasses = [
      ...Object.values(errors).filter((value) => typeof value === 'function' && value.prototype instanceof errors.DomainError),
      ...Object.values(transport).filter((value) => typeof value === 'function' && value.prototype instanceof transport.HttpProtocolError),
    ];

    // Act
    const covered = new Set(cases.map(([error]) => error.constructor));

    // Assess
    expect(subclasses.filter((subclass) => !covered.has(subclass)).map((subclass) => subclass.name)).toEqual([]);
    expect(subclasses).toHaveLength(cases.length);
  });

  it.each(cases.map(([error, status]) => [error.name, status, error] as const))('answers %s with status %i', (_name, status, error) => {
    // Prepare
    const logger = silentLogger;

    // Act
    const response = errorToResponse(error, REQUEST_ID, logger);

    // Assess
    expect(response.status).toBe(status);
  });

  it.each(cases.map(([error, status]) => [error.name, status, error] as const))(
    'answers %s with a problem document naming its code and request id',
    (_name, status, error) => {
      // Prepare
      const logger = silentLogger;

      // Act
      const response = errorToResponse(error, REQUEST_ID, logger);

      // Assess
      expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(bodyOf(response)).toMatchObject({
        type: expect.stringMatching(/^urn:duet:problem:[a-z-]+$/),
        title: expect.any(String),
        status,
        detail: error.message,
        code: error.code,
        requestId: REQUEST_ID,
      });
    },
  );

  it('derives the problem type from the code', () => {
    // Prepare
    const error = new errors.TaskNotFoundError('no task');

    // Act
    const response = errorToResponse(error, REQUEST_ID, silentLogger);

    // Assess
    expect(bodyOf(response).type).toBe('urn:duet:problem:task-not-found');
  });

  it('lists the field issues of a validation error', () => {
    // Prepare
    const issues = [{ path: 'title', message: 'too long' }, { path: 'tags.0', message: 'bad tag' }];

    // Act
    const response = errorToResponse(new errors.ValidationError('bad input', issues), REQUEST_ID, silentLogger);

    // Assess
    expect(bodyOf(response).errors).toEqual(issues);
  });

  it('leaves errors out of a validation error without field issues', () => {
    // Prepare
    const error = new errors.ValidationError('bad input');

    // Act
    const response = errorToResponse(error, REQUEST_ID, silentLogger);

    // Assess
    expect(bodyOf(response)).not.toHaveProperty('errors');
  });

  it('sets Allow on method not allowed', () => {
    // Prepare
    const error = new transport.MethodNotAllowedError('wrong method', ['GET', 'HEAD', 'OPTIONS']);

    // Act
    const response = errorToResponse(error, REQUEST_ID, silentLogger);

    // Assess
    expect(response.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('sets Retry-After on dependency unavailable', () => {
    // Prepare
    const error = new errors.DependencyUnavailableError('down', 7);

    // Act
    const response = errorToResponse(error, REQUEST_ID, silentLogger);

    // Assess
    expect(response.headers['retry-after']).toBe('7');
  });

  it('defaults Retry-After to one second', () => {
    // Prepare
    const error = new errors.DependencyUnavailableError('down');

    // Act
    const response = errorToResponse(error, REQUEST_ID, silentLogger);

    // Assess
    expect(response.headers['retry-after']).toBe('1');
  });

  it('sets Retry-After on a write that kept losing races, not on a limit reached', () => {
    // Act
    const conflict = errorToResponse(new errors.ConflictError('conflict'), REQUEST_ID, silentLogger);
    const limit = errorToResponse(new errors.AttachmentLimitError('too many'), REQUEST_ID, silentLogger);

    // Assess
    expect(conflict.headers['retry-after']).toBe('1');
    expect(limit.headers['retry-after']).toBeUndefined();
  });

  it('logs a dependency failure as a warning with the error', () => {
    // Prepare
    const logger = makeLogger();
    const error = new errors.DependencyUnavailableError('down');

    // Act
    errorToResponse(error, REQUEST_ID, logger);

    // Assess
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ err: error, requestId: REQUEST_ID }), 'down');
  });

  it('does not log a client error', () => {
    // Prepare
    const logger = makeLogger();

    // Act
    errorToResponse(new errors.TaskNotFoundError('no task'), REQUEST_ID, logger);

    // Assess
    expect([logger.info, logger.warn, logger.error].map((fn) => fn.mock.calls.length)).toEqual([0, 0, 0]);
  });

  describe('for an unknown error', () => {
    const secret = 'password=hunter2 at db.internal:5432';
    const makeError = () => {
      const error = new Error(secret);
      error.stack = `Error: ${secret}\n    at secretFunction (/srv/app/secret-file.ts:1:1)`;
      return error;
    };

    it('answers an opaque 500 problem', () => {
      // Prepare
      const error = makeError();

      // Act
      const response = errorToResponse(error, REQUEST_ID, makeLogger());

      // Assess
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(bodyOf(response)).toMatchObject({ status: 500, code: 'INTERNAL', requestId: REQUEST_ID });
    });

    it('keeps the message and the stack out of the body', () => {
      // Prepare
      const error = makeError();

      // Act
      const response = errorToResponse(error, REQUEST_ID, makeLogger());

      // Assess
      expect(response.body).not.toContain('hunter2');
      expect(response.body).not.toContain('secret-file');
      expect(response.body).not.toContain('secretFunction');
    });

    it('logs the error with the request id', () => {
      // Prepare
      const logger = makeLogger();
      const error = makeError();

      // Act
      errorToResponse(error, REQUEST_ID, logger);

      // Assess
      expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ err: error, requestId: REQUEST_ID }), expect.any(String));
    });

    it('treats a thrown non-Error value the same way', () => {
      // Prepare
      const logger = makeLogger();

      // Act
      const response = errorToResponse('a string was thrown: hunter2', REQUEST_ID, logger);

      // Assess
      expect(response.status).toBe(500);
      expect(response.body).not.toContain('hunter2');
    });
  });
});
