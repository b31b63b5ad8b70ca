import { describe, expect, it } from 'vitest';
import { createEmfMetrics } from '../../handlers/emf-metrics.js';

const parse = (lines: string[]) => lines.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

describe('EMF documents per request', () => {
  it('writes what one request measured as one document, once the request is done', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line));

    // Act
    const done = metrics.requestStarted();
    metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'TransactWriteItems', outcome: 'ok' }, 0.006);
    metrics.taskChanged('created');
    const before = lines.length;
    done({ method: 'POST', route: '/v1/tasks', status: 201 }, 0.009);

    // Assess
    expect(before).toBe(0);
    const [document, ...rest] = parse(lines);
    expect(rest).toEqual([]);
    expect(document!._aws.CloudWatchMetrics.map((directive: { Dimensions: string[][] }) => directive.Dimensions)).toEqual([
      [['dependency', 'operation', 'outcome']],
      [['change']],
      [['method', 'route', 'status']],
    ]);
    expect(document).toMatchObject({ operation: 'TransactWriteItems', change: 'created', route: '/v1/tasks', status: '201', duet_tasks_changed_total: 1, http_requests_total: 1 });
  });

  it('keeps every value: repeats become arrays, and a dimension with two values takes a second document', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line));

    // Act: a PATCH reads, then writes, then retries the write.
    const done = metrics.requestStarted();
    metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'GetItem', outcome: 'ok' }, 0.002);
    metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'TransactWriteItems', outcome: 'ok' }, 0.005);
    metrics.dependencyCalled({ dependency: 'dynamodb', operation: 'TransactWriteItems', outcome: 'ok' }, 0.007);
    done({ method: 'PATCH', route: '/v1/tasks/{id}', status: 200 }, 0.02);

    // Assess
    const documents = parse(lines);
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({ operation: 'GetItem', duet_dependency_requests_total: 1, route: '/v1/tasks/{id}' });
    expect(documents[1]).toMatchObject({ operation: 'TransactWriteItems', duet_dependency_requests_total: [1, 1], duet_dependency_request_duration_seconds: [0.005, 0.007] });
  });

  it('writes at once what is measured outside any request', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfMetrics((line) => lines.push(line));

    // Act
    metrics.dependencyCalled({ dependency: 's3', operation: 'HeadBucket', outcome: 'ok' }, 0.001);

    // Assess
    expect(parse(lines)).toHaveLength(1);
  });
});
