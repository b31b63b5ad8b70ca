import autocannon from 'autocannon';
import { treeCpuSeconds, type Server } from './processes.js';

export interface LoadResult {
  requestsPerSecond: number;
  requestsPerCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface Scenario {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

function run(url: string, scenario: Scenario, connections: number, seconds: number) {
  return autocannon({
    url: `${url}${scenario.path}`,
    method: scenario.method,
    connections,
    duration: seconds,
    headers: scenario.headers,
    ...(scenario.body && { body: scenario.body }),
  });
}

/** Warms the server up, then loads it for `seconds` over loopback and reads its CPU time around the measured run. */
export async function load(server: Server, scenario: Scenario, { connections = 50, seconds = 10, warmupSeconds = 2 } = {}): Promise<LoadResult> {
  await run(server.url, scenario, connections, warmupSeconds);
  const cpuBefore = treeCpuSeconds(server.pid);
  const result = await run(server.url, scenario, connections, seconds);
  const cpu = treeCpuSeconds(server.pid) - cpuBefore;
  const total = result.requests.total;
  return {
    requestsPerSecond: Math.round(total / result.duration),
    requestsPerCpuSecond: cpu > 0 ? Math.round(total / cpu) : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
