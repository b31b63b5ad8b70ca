import { describe, expect, it, vi } from 'vitest';
import { json } from '../../core/http/response.js';
import { legacyHandlers } from '../../core/http/routes/legacy.js';
import type { RouteHandle } from '../../core/http/types.js';
import { silentLogger } from '../../core/ports/logger.js';
import { helmetHeaders } from '../../wiring/security-headers.js';
import { createGatewayAuthenticator } from '../../core/adapters/gateway-authenticator.js';
import { SCOPES } from '../../core/domain/scopes.js';
import { createLambdaHandler, TIMEOUT_MARGIN_MS } from '../../handlers/lambda-handler.js';
import { lambdaContext, PAYLOAD_VERSIONS } from '../support/lambda-events.js';

const TASK_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_HEADERS = { 'content-type': 'application/json' };
const HELLO = JSON.stringify({ data: 'hello, world!' });

const percentEncodeAll = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

const makeLegacyHandler = () => createLambdaHandler({ handlers: legacyHandlers(), logger: silentLogger });

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc';
/** Claims as API Gateway's JWT authorizer hands them over: every value a string. */
const CLAIMS = { iss: ISSUER, sub: 'alice', client_id: 'client-123', scope: SCOPES.read, exp: '4102444800', token_use: 'access' };

/** A Lambda handler (trusting API Gateway's authorizer) whose only operation is a getTask stub answering with what it got. */
function makeGetTaskHandler() {
  const getTask = vi.fn<RouteHandle>(async ({ params, tenant }) => json(200, { ...params, tenant }));
  const authenticator = createGatewayAuthenticator({ issuer: ISSUER, audience: 'client-123' });
  return { getTask, handler: createLambdaHandler({ handlers: { getTask }, logger: silentLogger, authenticator }) };
}

describe('createLambdaHandler', () => {
  describe.each(PAYLOAD_VERSIONS)('invoked with a $api event (payload $version)', ({ makeEvent }) => {
    it('answers POST /v1 with the shouted text and a request id', async () => {
      // Prepare
      const handler = makeLegacyHandler();
      const event = makeEvent('POST', '/v1', { headers: JSON_HEADERS, body: HELLO });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(result.body).toBe('"!DLROW ,OLLEH"');
      expect(result.headers?.['x-request-id']).toMatch(UUID);
    });

    it('echoes the caller’s request id', async () => {
      // Prepare
      const handler = makeLegacyHandler();
      const event = makeEvent('POST', '/v1', { headers: { ...JSON_HEADERS, 'x-request-id': 'trace-42' }, body: HELLO });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.headers?.['x-request-id']).toBe('trace-42');
    });

    it('reads a base64-encoded JSON body', async () => {
      // Prepare
      const handler = makeLegacyHandler();
      const event = makeEvent('POST', '/v1', { headers: JSON_HEADERS, body: Buffer.from(HELLO).toString('base64'), isBase64Encoded: true });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(result.body).toBe('"!DLROW ,OLLEH"');
    });

    it('answers a base64-encoded body that is not UTF-8 with a 400 problem', async () => {
      // Prepare
      const handler = makeLegacyHandler();
      const body = Buffer.concat([Buffer.from('{"data":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]).toString('base64');
      const event = makeEvent('POST', '/v1', { headers: JSON_HEADERS, body, isBase64Encoded: true });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(400);
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 'MALFORMED_JSON', detail: 'The body is not valid UTF-8.' });
    });

    it('answers an unknown route with a 404 problem', async () => {
      // Prepare
      const handler = makeLegacyHandler();
      const event = makeEvent('GET', '/nowhere');

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('application/problem+json');
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    });

    it('hands the route its path parameter percent-decoded', async () => {
      // Prepare
      const { getTask, handler } = makeGetTaskHandler();
      const event = makeEvent('GET', `/v1/tasks/${percentEncodeAll(TASK_ID)}`, { claims: CLAIMS });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(getTask).toHaveBeenCalledOnce();
      expect(getTask.mock.calls[0]?.[0].params).toEqual({ id: TASK_ID });
    });

    it("takes the tenant from the subject the authorizer verified", async () => {
      // Prepare
      const { handler } = makeGetTaskHandler();
      const event = makeEvent('GET', `/v1/tasks/${TASK_ID}`, { claims: CLAIMS });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(JSON.parse(result.body ?? '{}')).toEqual({ id: TASK_ID, tenant: 'alice' });
    });

    it('refuses a protected route the authorizer did not guard with a 401 challenge', async () => {
      // Prepare
      const { getTask, handler } = makeGetTaskHandler();
      const event = makeEvent('GET', `/v1/tasks/${TASK_ID}`, { headers: { authorization: 'Bearer forged.token.here' } });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(401);
      expect(result.headers?.['www-authenticate']).toMatch(/^Bearer realm="duet", error="invalid_token"/);
      expect(getTask).not.toHaveBeenCalled();
    });

    it('refuses claims from another client (audience) with a 401', async () => {
      // Prepare
      const { getTask, handler } = makeGetTaskHandler();
      const event = makeEvent('GET', `/v1/tasks/${TASK_ID}`, { claims: { ...CLAIMS, client_id: 'someone-else' } });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(401);
      expect(getTask).not.toHaveBeenCalled();
    });

    it('answers 403 naming the scope when the verified caller may only read and the route writes', async () => {
      // Prepare
      const deleteTask = vi.fn<RouteHandle>(async () => ({ status: 204, headers: {} }));
      const authenticator = createGatewayAuthenticator({ issuer: ISSUER, audience: 'client-123' });
      const handler = createLambdaHandler({ handlers: { deleteTask }, logger: silentLogger, authenticator });
      const event = makeEvent('DELETE', `/v1/tasks/${TASK_ID}`, { claims: CLAIMS });

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['www-authenticate']).toBe(`Bearer realm="duet", error="insufficient_scope", scope="${SCOPES.write}"`);
      expect(deleteTask).not.toHaveBeenCalled();
    });

    it("sends helmet's security headers on every response, as the container does", async () => {
      // Prepare
      const handler = makeLegacyHandler();

      // Act
      const ok = await handler(makeEvent('POST', '/v1', { headers: JSON_HEADERS, body: HELLO }), lambdaContext);
      const missing = await handler(makeEvent('GET', '/nowhere'), lambdaContext);

      // Assess
      expect(Object.keys(helmetHeaders())).toContain('strict-transport-security');
      expect(ok.headers).toMatchObject(helmetHeaders());
      expect(missing.headers).toMatchObject(helmetHeaders());
    });

    it('decodes an encoded slash inside a path parameter without splitting the path on it', async () => {
      // Prepare
      const { getTask, handler } = makeGetTaskHandler();
      const event = makeEvent('GET', '/v1/tasks/a%2Fb', { claims: CLAIMS });

      // Act
      await handler(event, lambdaContext);

      // Assess
      expect(getTask.mock.calls[0]?.[0].params).toEqual({ id: 'a/b' });
    });
  });

  describe('when the function is about to time out', () => {
    it('answers a 503 problem document through the core, with its request id, headers and log line', async () => {
      // Prepare: an operation that never finishes, and a function with 80 ms left past the margin.
      const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      const handler = createLambdaHandler({ handlers: { legacyShout: () => new Promise(() => {}) }, logger });
      const context = { ...lambdaContext, getRemainingTimeInMillis: () => TIMEOUT_MARGIN_MS + 80 };
      const event = PAYLOAD_VERSIONS[0]!.makeEvent('POST', '/v1', { headers: { ...JSON_HEADERS, 'x-request-id': 'slow-1' }, body: HELLO });

      // Act
      const started = performance.now();
      const result = await handler(event, context);
      const waitedMs = performance.now() - started;

      // Assess
      expect(waitedMs).toBeLessThan(2000);
      expect(result.statusCode).toBe(503);
      expect(result.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': '1', 'x-request-id': 'slow-1', ...helmetHeaders() });
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ status: 503, code: 'DEADLINE_EXCEEDED', requestId: 'slow-1' });
      expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ requestId: 'slow-1', status: 503 }), 'request');
    });
  });
});
