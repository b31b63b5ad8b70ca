import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../core/http/types.js';
import { toApiGatewayResult, toHttpRequest } from '../../handlers/http-event.js';
import { makeHttpApiEvent, makeRestApiEvent, PAYLOAD_VERSIONS } from '../support/lambda-events.js';

/** Bytes that are not UTF-8: a lone continuation byte, an overlong lead, a NUL and a truncated sequence. */
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0x00, 0xe2, 0x82]);

/** Every character percent-encoded, the way a client may legally send a path segment. */
const percentEncodeAll = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('toHttpRequest', () => {
  describe.each(PAYLOAD_VERSIONS)('from a $api event (payload $version)', ({ makeEvent }) => {
    it('takes the method and the path', () => {
      // Prepare
      const event = makeEvent('DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV');

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.method).toBe('DELETE');
      expect(request.path).toBe('/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV');
    });

    it('keeps the percent-encoding of the path', () => {
      // Prepare
      const path = `/v1/tasks/${percentEncodeAll('01ARZ3NDEKTSV4RRFFQ69G5FAV')}`;
      const event = makeEvent('GET', path);

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.path).toBe(path);
    });

    it('passes a text body through as a string', () => {
      // Prepare
      const event = makeEvent('POST', '/v1', { headers: { 'content-type': 'application/json' }, body: '{"data":"hello, world!"}' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.body).toBe('{"data":"hello, world!"}');
    });

    it('decodes a base64 body to a Buffer holding the exact bytes, even when they are not UTF-8', () => {
      // Prepare
      const event = makeEvent('POST', '/v1', { body: NOT_UTF8.toString('base64'), isBase64Encoded: true });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(Buffer.isBuffer(request.body)).toBe(true);
      expect([...(request.body as Buffer)]).toEqual([...NOT_UTF8]);
    });

    it('gives a request without a body no body property', () => {
      // Prepare
      const event = makeEvent('GET', '/v1/tasks');

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request).not.toHaveProperty('body');
    });

    it('keeps an empty text body as an empty string', () => {
      // Prepare
      const event = makeEvent('POST', '/v1', { body: '' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.body).toBe('');
    });

    it('lower-cases header names and keeps their values', () => {
      // Prepare
      const event = makeEvent('GET', '/v1/tasks', { headers: { 'X-Request-Id': 'Abc-123', 'If-Match': '"3"' } });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers).toEqual({ 'x-request-id': 'Abc-123', 'if-match': '"3"' });
    });
  });

  describe('from an HTTP API event (payload 2.0)', () => {
    it('joins the cookies into one cookie header separated by semicolons', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { cookies: ['session=abc', 'theme=dark', 'lang=en'] });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers.cookie).toBe('session=abc; theme=dark; lang=en');
    });

    it('adds no cookie header when the event has no cookies', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { cookies: [] });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers).not.toHaveProperty('cookie');
    });

    it('collects a repeated query parameter into an array and keeps a single one a string', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { rawQueryString: 'a=1&a=2&b=x' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({ a: ['1', '2'], b: 'x' });
    });

    it('reads the query from the raw query string, not from the comma-joined parameters', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { rawQueryString: 'tag=a%2Cb&tag=c' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(event.queryStringParameters).toEqual({ tag: 'a,b,c' });
      expect(request.query).toEqual({ tag: ['a,b', 'c'] });
    });

    it('decodes plus signs as spaces and percent-escapes in query values', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { rawQueryString: 'q=write+the%20report&plus=1%2B1&pct=100%25&name%5Bx%5D=%C3%A9' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({ q: 'write the report', plus: '1+1', pct: '100%', 'name[x]': 'é' });
    });

    it('gives an empty query for an empty raw query string', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { rawQueryString: '' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({});
    });

    it('takes rawPath as the route path, on any stage', () => {
      // Prepare
      const event = makeHttpApiEvent('GET', '/v1/tasks', { stage: 'v1' });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.path).toBe('/v1/tasks');
    });

    it('has no body property when the body is undefined', () => {
      // Prepare
      const event = makeHttpApiEvent('POST', '/v1', { body: undefined, isBase64Encoded: true });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request).not.toHaveProperty('body');
    });
  });

  describe('from a REST API event (payload 1.0)', () => {
    it('collects multi-value query parameters into arrays and keeps single ones strings', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks', {
        queryStringParameters: { a: '2', b: 'x' },
        multiValueQueryStringParameters: { a: ['1', '2'], b: ['x'] },
      });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({ a: ['1', '2'], b: 'x' });
    });

    it('reads the query from queryStringParameters when there are no multi-value parameters', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks', { queryStringParameters: { status: 'done', limit: '5' }, multiValueQueryStringParameters: null });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({ status: 'done', limit: '5' });
    });

    it('gives an empty query when the event has no query parameters', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks');

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual({});
    });

    it('passes query values API Gateway already decoded through without decoding them again', () => {
      // Prepare
      const values = { q: 'write the report', plus: '1+1', pct: '100%', esc: '%41' };
      const event = makeRestApiEvent('GET', '/v1/tasks', {
        queryStringParameters: values,
        multiValueQueryStringParameters: Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value]])),
      });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.query).toEqual(values);
    });

    it('lower-cases mixed-case header names', () => {
      // Prepare
      const event = makeRestApiEvent('POST', '/v1', {
        headers: { 'Content-Type': 'application/json', 'X-Request-ID': 'req-1', accept: '*/*' },
        multiValueHeaders: {},
      });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers).toEqual({ 'content-type': 'application/json', 'x-request-id': 'req-1', accept: '*/*' });
    });

    it('joins a repeated header from multiValueHeaders with commas', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks', {
        headers: { Accept: 'text/html' },
        multiValueHeaders: { Accept: ['application/json', 'text/html'] },
      });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers).toEqual({ accept: 'application/json, text/html' });
    });

    it('joins repeated Cookie headers with semicolons, as a single cookie header', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks', { multiValueHeaders: { Cookie: ['a=1', 'b=2'] } });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request.headers.cookie).toBe('a=1; b=2');
    });

    it('has no body property when the body is null', () => {
      // Prepare
      const event = makeRestApiEvent('POST', '/v1', { body: null, isBase64Encoded: true });

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(request).not.toHaveProperty('body');
    });

    it('takes the path without the stage, which only the request context carries', () => {
      // Prepare
      const event = makeRestApiEvent('GET', '/v1/tasks');

      // Act
      const request = toHttpRequest(event);

      // Assess
      expect(event.requestContext.path).toBe('/prod/v1/tasks');
      expect(request.path).toBe('/v1/tasks');
    });
  });
});

describe('toApiGatewayResult', () => {
  const withBody: HttpResponse = { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', etag: '"1"' }, body: '{"id":"x"}' };
  const withoutBody: HttpResponse = { status: 204, headers: { 'x-request-id': 'req-1' } };

  describe.each(PAYLOAD_VERSIONS)('for a $api event (payload $version)', ({ makeEvent }) => {
    it('passes the status, the headers and the body through, not base64-encoded', () => {
      // Prepare
      const event = makeEvent('POST', '/v1/tasks');

      // Act
      const result = toApiGatewayResult(withBody, event);

      // Assess
      expect(result).toEqual({
        statusCode: 201,
        headers: { 'content-type': 'application/json; charset=utf-8', etag: '"1"' },
        body: '{"id":"x"}',
        isBase64Encoded: false,
      });
    });

    it('answers a response without a body as not base64-encoded', () => {
      // Prepare
      const event = makeEvent('DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV');

      // Act
      const result = toApiGatewayResult(withoutBody, event);

      // Assess
      expect(result.statusCode).toBe(204);
      expect(result.headers).toEqual({ 'x-request-id': 'req-1' });
      expect(result.isBase64Encoded).toBe(false);
    });
  });

  it('omits the body of an HTTP API result when the response has none', () => {
    // Prepare
    const event = makeHttpApiEvent('DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV');

    // Act
    const result = toApiGatewayResult(withoutBody, event);

    // Assess
    expect(result).not.toHaveProperty('body');
  });

  it('gives a REST API result an empty body when the response has none', () => {
    // Prepare
    const event = makeRestApiEvent('DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV');

    // Act
    const result = toApiGatewayResult(withoutBody, event);

    // Assess
    expect(result).toHaveProperty('body', '');
  });
});
