import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { instrumentClient } from '../../wiring/instrument.js';
import { createPrometheusMetrics } from '../../container/prometheus.js';
import { createMemoryBlobStore } from '../../core/adapters/memory-blob-store.js';
import { createMemoryTaskStore } from '../../core/adapters/memory-task-store.js';
import { createUlidIds } from '../../core/adapters/system.js';
import type { Metrics } from '../../core/ports/metrics.js';
import { silentLogger } from '../../core/ports/logger.js';
import { createAttachmentService } from '../../core/use-cases/attachments.js';
import { createTaskService } from '../../core/use-cases/tasks.js';
import { createEmfMetrics } from '../../handlers/emf-metrics.js';
import { freePort, LOCAL_CREDENTIALS } from '../../scripts/local-stack.js';
import { makeClock } from '../support/fixtures.js';

const fakeMetrics = () => ({ requestStarted: vi.fn(() => vi.fn()), dependencyCalled: vi.fn(), taskChanged: vi.fn() }) satisfies Metrics;

describe('Prometheus metrics', () => {
  it('counts requests by route template and status, and tracks them in flight', async () => {
    // Prepare
    const { metrics, exposition } = createPrometheusMetrics();

    // Act
    const finish = metrics.requestStarted();
    const during = (await exposition()).body;
    finish({ method: 'GET', route: '/v1/tasks/{id}', status: 404 }, 0.003);
    const after = (await exposition()).body;

    // Assess
    expect(during).toMatch(/^http_requests_in_flight 1$/m);
    expect(after).toMatch(/^http_requests_in_flight 0$/m);
    expect(after).toContain('http_requests_total{method="GET",route="/v1/tasks/{id}",status="404"} 1');
    expect(after).toContain('http_request_duration_seconds_count{method="GET",route="/v1/tasks/{id}",status="404"} 1');
    expect(after).toContain('http_request_duration_seconds_sum{method="GET",route="/v1/tasks/{id}",status="404"} 0.003');
    expect(after).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/tasks/{id}",status="404"} 1');
    expect(after).toContain('http_request_duration_seconds_bucket{le="0.0025",method="GET",route="/v1/tasks/{id}",status="404"} 0');
  });
});

describe('embedded metric format', () => {
  it('writes one EMF line per request with the same names and dimensions as Prometheus', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line));

    // Act
    metrics.requestStarted()({ method: 'POST', route: '/v1/tasks', status: 201 }, 0.004);

    // Assess
    const line = JSON.parse(lines[0]!);
    expect(line._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'duet',
        Dimensions: [['method', 'route', 'status']],
        Metrics: [
          { Name: 'http_requests_total', Unit: 'Count' },
          { Name: 'http_request_duration_seconds', Unit: 'Seconds' },
        ],
      },
    ]);
    expect(line).toMatchObject({ method: 'POST', route: '/v1/tasks', status: '201', http_requests_total: 1 });
    expect(line.http_request_duration_seconds).toBe(0.004);
  });
});

describe('SDK client instrumentation', () => {
  it('reports a failed call with its operation and an error outcome', async () => {
    // Prepare
    const metrics = fakeMetrics();
    const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${await freePort()}`, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    instrumentClient(client, 'dynamodb', metrics);

    // Act
    await client.send(new ListTablesCommand({})).catch(() => undefined);
    client.destroy();

    // Assess
    expect(metrics.dependencyCalled).toHaveBeenCalledWith({ dependency: 'dynamodb', operation: 'ListTables', outcome: 'error' }, expect.any(Number));
  });
});

describe('task change metrics', () => {
  it('counts a create, an update and a delete, but not an idempotent replay', async () => {
    // Prepare
    const metrics = fakeMetrics();
    const clock = makeClock();
    const store = createMemoryTaskStore({ clock });
    const tasks = createTaskService({ store, clock, ids: createUlidIds(), metrics });
    const attachments = createAttachmentService({ store, blobs: createMemoryBlobStore({ clock }), clock, ids: createUlidIds(), logger: silentLogger, metrics });
    const input = { title: 'x', status: 'todo', priority: 'medium', tags: [] } as const;

    // Act
    const { task } = await tasks.createTask('t', { ...input, tags: [] }, { key: 'k', fingerprint: 'f' });
    await tasks.createTask('t', { ...input, tags: [] }, { key: 'k', fingerprint: 'f' });
    await tasks.patchTask('t', task.id, { title: 'y' });
    await attachments.deleteTask('t', task.id);

    // Assess
    expect(metrics.taskChanged.mock.calls).toEqual([['created'], ['updated'], ['deleted']]);
  });
});
