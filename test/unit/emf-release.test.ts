import { describe, expect, it } from 'vitest';
import { createEmfMetrics, NAMESPACE, releaseOf } from '../../handlers/emf-metrics.js';

const parse = (lines: string[]) => lines.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

describe('EMF for the release gate', () => {
  it('publishes each request per function version and per version and status class too, when the runtime names them', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line), releaseOf({ AWS_LAMBDA_FUNCTION_NAME: 'duet-prod-tasks', AWS_LAMBDA_FUNCTION_VERSION: '42' }));

    // Act
    const done = metrics.requestStarted();
    metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'GetItem', outcome: 'ok' }, 0.002);
    done({ method: 'GET', route: '/v1/tasks/{id}', status: 503 }, 0.3);

    // Assess
    const [document, ...rest] = parse(lines);
    expect(rest).toEqual([]);
    const request = document!._aws.CloudWatchMetrics.find((directive: { Metrics: { Name: string }[] }) => directive.Metrics.some((metric) => metric.Name === 'http_requests_total'));
    expect(request).toEqual({
      Namespace: NAMESPACE,
      Dimensions: [['method', 'route', 'status'], ['function', 'functionVersion'], ['function', 'functionVersion', 'statusClass']],
      Metrics: [{ Name: 'http_requests_total', Unit: 'Count' }, { Name: 'http_request_duration_seconds', Unit: 'Seconds' }],
    });
    expect(document).toMatchObject({ function: 'duet-prod-tasks', functionVersion: '42', statusClass: '5xx', status: '503', operation: 'GetItem', http_request_duration_seconds: 0.3 });
  });

  it('keeps the plain dimensions where the runtime names no version (local runs, the compare sandboxes)', () => {
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line), releaseOf({ AWS_LAMBDA_FUNCTION_NAME: 'duet-local-tasks' }));
    metrics.requestStarted()({ method: 'GET', route: '/healthz', status: 200 }, 0.001);
    const [document] = parse(lines);
    expect(document!._aws.CloudWatchMetrics[0].Dimensions).toEqual([['method', 'route', 'status']]);
    expect(document).not.toHaveProperty('functionVersion');
  });
});
