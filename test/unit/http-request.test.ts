import { describe, expect, it } from 'vitest';
import { TaskNotFoundError, ValidationError } from '../../core/domain/errors.js';
import { ifMatch, ifNoneMatchHits, singleQuery, taskIdParam } from '../../core/http/request.js';
import { etag } from '../../core/http/response.js';
import type { HttpRequest } from '../../core/http/types.js';
import { nextId, caught } from '../support/fixtures.js';

function makeRequest(headers: HttpRequest['headers'] = {}, query: HttpRequest['query'] = {}): HttpRequest {
  return { method: 'GET', path: '/v1/tasks', query, headers };
}

describe('ifMatch', () => {
  it('is undefined when the request has no If-Match', () => {
    // Prepare
    const request = makeRequest();

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition).toBeUndefined();
  });

  it('is undefined when If-Match is blank', () => {
    // Prepare
    const request = makeRequest({ 'if-match': '  ' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition).toBeUndefined();
  });

  it('matches every version for *', () => {
    // Prepare
    const request = makeRequest({ 'if-match': '*' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect([1, 2, 999].map((version) => precondition?.(version))).toEqual([true, true, true]);
  });

  it('matches the version of a strong entity tag', () => {
    // Prepare
    const request = makeRequest({ 'if-match': '"3"' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition?.(3)).toBe(true);
  });

  it('does not match other versions than the tag names', () => {
    // Prepare
    const request = makeRequest({ 'if-match': '"3"' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition?.(4)).toBe(false);
  });

  it('matches any version in a list of strong tags', () => {
    // Prepare
    const request = makeRequest({ 'if-match': '"1", "5" ,"9"' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect([1, 5, 9, 2].map((version) => precondition?.(version))).toEqual([true, true, true, false]);
  });

  it('never matches a weak tag', () => {
    // Prepare
    const request = makeRequest({ 'if-match': 'W/"3"' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition?.(3)).toBe(false);
  });

  it('matches nothing for a garbage header', () => {
    // Prepare
    const request = makeRequest({ 'if-match': 'banana, 3, "x"' });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect([1, 3].map((version) => precondition?.(version))).toEqual([false, false]);
  });
});

describe('ifMatch entity tag comparison', () => {
  it.each(['"01"', '"000000000000001"'])('does not let %s match version 1, since tags compare as strings', (header) => {
    // Prepare
    const request = makeRequest({ 'if-match': header });

    // Act
    const precondition = ifMatch(request);

    // Assess
    expect(precondition?.(1)).toBe(false);
  });
});

describe('ifNoneMatchHits', () => {
  it('misses when the request has no If-None-Match', () => {
    // Prepare
    const request = makeRequest();

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(false);
  });

  it('hits for the current entity tag', () => {
    // Prepare
    const request = makeRequest({ 'if-none-match': etag(2) });

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(true);
  });

  it('misses for another entity tag', () => {
    // Prepare
    const request = makeRequest({ 'if-none-match': '"1"' });

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(false);
  });

  it('hits for *', () => {
    // Prepare
    const request = makeRequest({ 'if-none-match': '*' });

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(true);
  });

  it('hits when the current tag is one of a list', () => {
    // Prepare
    const request = makeRequest({ 'if-none-match': '"1", "2"' });

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(true);
  });

  it('compares weakly, so a weak tag of the current version hits', () => {
    // Prepare
    const request = makeRequest({ 'if-none-match': 'W/"2"' });

    // Act
    const hits = ifNoneMatchHits(request, 2);

    // Assess
    expect(hits).toBe(true);
  });
});

describe('singleQuery', () => {
  it('returns parameters given once', () => {
    // Prepare
    const request = makeRequest({}, { status: 'todo', limit: '5' });

    // Act
    const query = singleQuery(request);

    // Assess
    expect(query).toEqual({ status: 'todo', limit: '5' });
  });

  it('drops parameters whose value is undefined', () => {
    // Prepare
    const request = makeRequest({}, { status: undefined, tag: 'a' });

    // Act
    const query = singleQuery(request);

    // Assess
    expect(query).toEqual({ tag: 'a' });
  });

  it('rejects a repeated parameter with a validation error naming it', () => {
    // Prepare
    const request = makeRequest({}, { status: ['todo', 'done'] });

    // Act
    const error = caught(() => singleQuery(request));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([{ path: 'status', message: expect.any(String) }]);
  });
});

describe('taskIdParam', () => {
  it('returns a ULID unchanged', () => {
    // Prepare
    const id = nextId();

    // Act
    const value = taskIdParam(id);

    // Assess
    expect(value).toBe(id);
  });

  it.each([
    ['a word', 'abc'],
    ['a lower-case ULID', '01hzx3y8v0000000000000000a'],
    ['a ULID with a forbidden letter', '01HZX3Y8V000000000000000IL'],
    ['an empty string', ''],
    ['undefined', undefined],
  ])('treats %s as a task that does not exist', (_name, id) => {
    // Prepare
    const value = id;

    // Act
    const read = () => taskIdParam(value);

    // Assess
    expect(read).toThrow(TaskNotFoundError);
  });
});
