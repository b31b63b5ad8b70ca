import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readBody, readJson } from '../../core/http/body.js';
import { ValidationError } from '../../core/domain/errors.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../core/http/errors.js';
import { CreateTaskInput } from '../../core/domain/task.js';
import type { HttpRequest } from '../../core/http/types.js';
import { caught } from '../support/fixtures.js';

function makeRequest(body: HttpRequest['body'], contentType: string | null = 'application/json'): HttpRequest {
  return { method: 'POST', path: '/v1/tasks', query: {}, headers: contentType === null ? {} : { 'content-type': contentType }, body };
}

describe('readJson', () => {
  it('parses a JSON body sent as application/json', () => {
    // Prepare
    const request = makeRequest('{"title":"Write"}');

    // Act
    const value = readJson(request);

    // Assess
    expect(value).toEqual({ title: 'Write' });
  });

  it('parses a JSON body given as UTF-8 bytes', () => {
    // Prepare
    const request = makeRequest(new TextEncoder().encode('{"title":"Café ☕"}'));

    // Act
    const value = readJson(request);

    // Assess
    expect(value).toEqual({ title: 'Café ☕' });
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON; Charset="UTF-8"', 'application/json;charset=utf8'])(
    'accepts the content type %s',
    (contentType) => {
      // Prepare
      const request = makeRequest('{}', contentType);

      // Act
      const value = readJson(request);

      // Assess
      expect(value).toEqual({});
    },
  );

  it('rejects a request without a content type as unsupported media type', () => {
    // Prepare
    const request = makeRequest('{}', null);

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('rejects text/plain as unsupported media type', () => {
    // Prepare
    const request = makeRequest('{}', 'text/plain');

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('rejects application/json in latin1 as unsupported media type', () => {
    // Prepare
    const request = makeRequest('{}', 'application/json; charset=latin1');

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('rejects application/json when the route accepts only another type', () => {
    // Prepare
    const request = makeRequest('{}', 'application/json');

    // Act
    const error = caught(() => readJson(request, ['application/merge-patch+json']));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it('accepts any of the types the route lists', () => {
    // Prepare
    const request = makeRequest('{"status":"done"}', 'application/merge-patch+json');

    // Act
    const value = readJson(request, ['application/merge-patch+json', 'application/json']);

    // Assess
    expect(value).toEqual({ status: 'done' });
  });

  it('accepts a body of exactly MAX_BODY_BYTES', () => {
    // Prepare
    const body = `"${'a'.repeat(MAX_BODY_BYTES - 2)}"`;

    // Act
    const value = readJson(makeRequest(body));

    // Assess
    expect(value).toHaveLength(MAX_BODY_BYTES - 2);
  });

  it('rejects a body one byte over MAX_BODY_BYTES as too large', () => {
    // Prepare
    const body = `"${'a'.repeat(MAX_BODY_BYTES - 1)}"`;

    // Act
    const error = caught(() => readJson(makeRequest(body)));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('counts the limit in bytes, not characters', () => {
    // Prepare
    const body = `"${'é'.repeat(MAX_BODY_BYTES / 2)}"`;

    // Act
    const error = caught(() => readJson(makeRequest(body)));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('rejects a byte body over the limit as too large', () => {
    // Prepare
    const body = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);

    // Act
    const error = caught(() => readJson(makeRequest(body)));

    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('sets the limit at 64 KiB', () => {
    // Prepare
    const sixtyFourKiB = 64 * 1024;

    // Act
    const limit = MAX_BODY_BYTES;

    // Assess
    expect(limit).toBe(sixtyFourKiB);
  });

  it.each([
    ['a missing body', undefined],
    ['an empty body', ''],
    ['a whitespace-only body', '  \n '],
  ])('rejects %s as malformed JSON', (_name, body) => {
    // Prepare
    const request = makeRequest(body);

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(MalformedJsonError);
  });

  it('rejects invalid JSON as malformed JSON', () => {
    // Prepare
    const request = makeRequest('{"title": ');

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(MalformedJsonError);
  });

  it('rejects bytes that are not valid UTF-8 as malformed JSON', () => {
    // Prepare
    const request = makeRequest(new Uint8Array([0x22, 0xc3, 0x28, 0x22]));

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(MalformedJsonError);
  });

  it('checks the media type before the body', () => {
    // Prepare
    const request = makeRequest('not json', 'text/plain');

    // Act
    const error = caught(() => readJson(request));

    // Assess
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });
});

describe('readBody', () => {
  it('returns the parsed body with schema defaults applied', () => {
    // Prepare
    const request = makeRequest('{"title":"Write"}');

    // Act
    const input = readBody(request, CreateTaskInput);

    // Assess
    expect(input).toEqual({ title: 'Write', status: 'todo', priority: 'medium', tags: [] });
  });

  it('rejects unknown fields with a validation error naming the field', () => {
    // Prepare
    const request = makeRequest('{"title":"Write","owner":"me"}');

    // Act
    const error = caught(() => readBody(request, CreateTaskInput));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: '(root)', message: expect.stringContaining('owner') }]);
  });

  it('reports the path of each invalid field', () => {
    // Prepare
    const request = makeRequest('{"title":"","tags":["ok","Not OK"]}');

    // Act
    const error = caught(() => readBody(request, CreateTaskInput)) as ValidationError;

    // Assess
    expect(error.errors.map((issue) => issue.path).sort()).toEqual(['tags.1', 'title']);
  });

  it('reports a path for nested fields joined by dots', () => {
    // Prepare
    const schema = z.strictObject({ outer: z.strictObject({ inner: z.number() }) });
    const request = makeRequest('{"outer":{"inner":"x"}}');

    // Act
    const error = caught(() => readBody(request, schema)) as ValidationError;

    // Assess
    expect(error.errors).toEqual([{ path: 'outer.inner', message: expect.any(String) }]);
  });

  it('rejects a body that is not an object with a validation error at the root', () => {
    // Prepare
    const request = makeRequest('[1,2]');

    // Act
    const error = caught(() => readBody(request, CreateTaskInput)) as ValidationError;

    // Assess
    expect(error.errors).toEqual([{ path: '(root)', message: expect.any(String) }]);
  });
});
