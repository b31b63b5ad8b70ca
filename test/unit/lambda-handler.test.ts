import { describe, expect, it, vi } from 'vitest';
import { json } from '../../core/http/respond.js';
import { legacyHandlers } from '../../core/http/routes/legacy.js';
import type { RouteHandle } from '../../core/http/types.js';
import { silentLogger } from '../../core/ports/logger.js';
import { createLambdaHandler } from '../../handlers/lambda-handler.js';
import { lambdaContext, PAYLOAD_VERSIONS } from '../support/lambda-events.js';

const TASK_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_HEADERS = { 'content-type': 'application/json' };
const HELLO = JSON.stringify({ data: 'hello, world!' });

const percentEncodeAll = (text: string) => [...Buffer.from(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

const makeLegacyHandler = () => createLambdaHandler({ handlers: legacyHandlers(), logger: silentLogger });

/** A Lambda handler whose only operation is a getTask stub that answers with the params it got. */
function makeGetTaskHandler() {
  const getTask = vi.fn<RouteHandle>(async ({ params }) => json(200, params));
  return { getTask, handler: createLambdaHandler({ handlers: { getTask }, logger: silentLogger }) };
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
      const event = makeEvent('GET', `/v1/tasks/${percentEncodeAll(TASK_ID)}`);

      // Act
      const result = await handler(event, lambdaContext);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(getTask).toHaveBeenCalledOnce();
      expect(getTask.mock.calls[0]?.[0].params).toEqual({ id: TASK_ID });
    });

    it('decodes an encoded slash inside a path parameter without splitting the path on it', async () => {
      // Prepare
      const { getTask, handler } = makeGetTaskHandler();
      const event = makeEvent('GET', '/v1/tasks/a%2Fb');

      // Act
      await handler(event, lambdaContext);

      // Assess
      expect(getTask.mock.calls[0]?.[0].params).toEqual({ id: 'a/b' });
    });
  });
});
