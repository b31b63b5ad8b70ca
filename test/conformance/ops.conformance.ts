import { expect, it } from 'vitest';
import { LEGACY_MAX_LENGTH } from '../../core/use-cases/legacy.js';
import { expectProblem, type Call } from './client.js';

export function opsConformance(call: Call, target: 'container' | 'lambda') {
  it('answers /healthz with 200 {"status":"ok"} and a request id', async () => {
    const reply = await call('GET', '/healthz');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok' });
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.headers.get('x-request-id')).toMatch(/^[\w.:-]+$/);
  });

  it('echoes a valid x-request-id and replaces an invalid one', async () => {
    expect((await call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const replaced = await call('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toContain(' ');
  });

  it("continues the caller's W3C trace in the traceparent it answers with", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const reply = await call('GET', '/healthz', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(reply.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect((await call('GET', '/nope')).headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('says in Server-Timing how long the service spent, on every kind of response', async () => {
    const replies = [
      await call('GET', '/healthz'),
      await call('POST', '/v1', { body: { data: 'hi' } }),
      await call('GET', '/v1/tasks'),
      await call('GET', '/nope'),
      await call('DELETE', '/healthz'),
      await call('HEAD', '/healthz'),
      await call('GET', '/v1/stats', { headers: { authorization: 'Bearer nope' } }),
    ];
    for (const reply of replies) expect(reply.headers.get('server-timing'), `${reply.status}`).toMatch(/^app;dur=\d+\.\d{3}(, init;dur=\d+\.\d{3})?$/);
  });

  it('answers /readyz with 200 naming its checks', async () => {
    const reply = await call('GET', '/readyz');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok', checks: { table: 'ok', bucket: 'ok' } });
  });

  it('shows the public configuration with the target, and nothing that names the infrastructure behind it', async () => {
    const reply = await call('GET', '/config');
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ service: 'duet', target, version: expect.any(String), logLevel: expect.any(String) });
    expect(Object.keys(reply.json).sort()).toEqual(['auth', 'corsOrigins', 'logLevel', 'service', 'store', 'target', 'version']);
    expect(Object.keys(reply.json.auth).sort()).toEqual(['audience', 'claims', 'issuer']);
  });

  it('serves an OpenAPI 3.1 document listing the task routes', async () => {
    const reply = await call('GET', '/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.json.openapi).toBe('3.1.0');
    expect(Object.keys(reply.json.paths)).toEqual(expect.arrayContaining(['/v1/tasks', '/v1/tasks/{id}', '/v1/tasks/{id}/attachments']));
    expect(reply.json.components.schemas.Task.properties.title).toMatchObject({ type: 'string', maxLength: 200 });
  });

  it('serves no metrics on the public port: /metrics is an unknown route there, and not in the OpenAPI document', async () => {
    expectProblem(await call('GET', '/metrics'), 404, 'ROUTE_NOT_FOUND');
    expect(Object.keys((await call('GET', '/openapi.json')).json.paths)).not.toContain('/metrics');
  });

  it('reverses and upper-cases the legacy POST /v1 text', async () => {
    const reply = await call('POST', '/v1', { body: { data: 'hello, world!' } });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('"!DLROW ,OLLEH"');
  });

  it('answers the legacy endpoint 400 for missing or non-string data', async () => {
    expectProblem(await call('POST', '/v1', { body: {} }), 400, 'VALIDATION_FAILED');
    const wrongType = await call('POST', '/v1', { body: { data: 42 } });
    expectProblem(wrongType, 400, 'VALIDATION_FAILED');
    expect(wrongType.json.errors).toEqual([{ path: 'data', message: expect.any(String) }]);
  });

  it(`transforms legacy data up to ${LEGACY_MAX_LENGTH} characters and refuses longer data with a 400 naming it`, async () => {
    const longest = await call('POST', '/v1', { body: { data: 'é'.repeat(LEGACY_MAX_LENGTH) } });
    expect(longest.status).toBe(200);
    expect(longest.json).toBe('É'.repeat(LEGACY_MAX_LENGTH));
    const over = await call('POST', '/v1', { body: { data: 'a'.repeat(LEGACY_MAX_LENGTH + 1) } });
    expectProblem(over, 400, 'VALIDATION_FAILED');
    expect(over.json.errors).toEqual([{ path: 'data', message: expect.stringContaining(String(LEGACY_MAX_LENGTH)) }]);
  });

  it('spends on the largest legacy request about what it spends on a small one (a ratio in one run)', async () => {
    // Medians of alternated rounds: data a whole body long (refused) and at the cap, against two characters.
    const timed = async (data: string) => {
      const start = performance.now();
      await call('POST', '/v1', { body: { data } });
      return performance.now() - start;
    };
    const bodies = { small: 'hi', capped: 'x'.repeat(LEGACY_MAX_LENGTH), whole: 'x'.repeat(65_000) };
    const times: Record<keyof typeof bodies, number[]> = { small: [], capped: [], whole: [] };
    for (let round = 0; round < 9; round++) for (const key of Object.keys(bodies) as (keyof typeof bodies)[]) times[key].push(await timed(bodies[key]));
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    // Reading and refusing 64 KB costs a few small requests; quadratic segmentation made it cost
    // thousands (0.7–1.1 s against well under a millisecond).
    const seen = `medians (ms): ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([key, values]) => [key, median(values)])))}`;
    expect(median(times.whole) / median(times.small), seen).toBeLessThan(100);
    expect(median(times.capped) / median(times.small), seen).toBeLessThan(100);
  });

  it('answers the legacy endpoint 415 for a body that is not JSON', async () => {
    expectProblem(await call('POST', '/v1', { raw: 'data=hello', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
    expectProblem(await call('POST', '/v1', { raw: 'hello' , headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a GET on the POST-only legacy route 405 with Allow', async () => {
    const reply = await call('GET', '/v1');
    expectProblem(reply, 405, 'METHOD_NOT_ALLOWED');
    expect(reply.headers.get('allow')).toBe('POST, OPTIONS');
  });

  it('answers unknown routes 404 with a problem document', async () => {
    expectProblem(await call('GET', '/nope'), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await call('GET', '/nope/'), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await call('GET', '/v2/tasks'), 404);
  });

  it('routes a path with one trailing slash like the path without it, as API Gateway does', async () => {
    expect((await call('GET', '/healthz/')).json).toEqual({ status: 'ok' });
  });

  it('answers OPTIONS with 204 and Allow, and HEAD like GET without a body', async () => {
    const options = await call('OPTIONS', '/v1/tasks');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, GET, HEAD, OPTIONS');
    const head = await call('HEAD', '/healthz');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
}
