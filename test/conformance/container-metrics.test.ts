import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import { devIssuer } from '../support/auth.js';
import { client, expectProblem } from './client.js';

// Prometheus metrics live on the container's own metrics port (METRICS_PORT), which the chart's
// Service names `metrics` and no Ingress routes; the public port serves none.

const ENV = { ...devIssuer().env, STORE: 'memory', HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' };
let running: Awaited<ReturnType<typeof runContainer>>;

beforeAll(async () => {
  running = await runContainer(ENV);
});
afterAll(async () => {
  await running?.shutdown();
});

describe('the container', () => {
  it('serves Prometheus metrics on its metrics port, counting the requests of the public port', async () => {
    await fetch(`${running.url}/healthz`);

    const reply = await fetch(`${running.metricsUrl}/metrics`);

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await reply.text()).toMatch(/^http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m);
  });

  it('serves no metrics on its public port, which answers /metrics like any unknown route', async () => {
    expect(new URL(running.metricsUrl).port).not.toBe(new URL(running.url).port);

    expectProblem(await client(() => running.url)('GET', '/metrics'), 404, 'ROUTE_NOT_FOUND');
  });

  it('serves nothing but GET /metrics on its metrics port', async () => {
    for (const [method, path] of [['GET', '/healthz'], ['GET', '/v1/tasks'], ['GET', '/config'], ['POST', '/metrics'], ['GET', '/metrics/x']]) {
      expect((await fetch(`${running.metricsUrl}${path}`, { method })).status, `${method} ${path}`).toBe(404);
    }
    expect((await fetch(`${running.metricsUrl}/metrics`, { method: 'HEAD' })).status).toBe(200);
  });

  it('closes its metrics port when it shuts down', async () => {
    const other = await runContainer(ENV);

    await other.shutdown();

    await expect(fetch(`${other.metricsUrl}/metrics`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});
