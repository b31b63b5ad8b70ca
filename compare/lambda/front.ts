import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHttpApiResult, toHttpApiEvent } from './http-api-event.js';
import { createFunctionPool, type FunctionConfig, type FunctionPool, type FunctionStats } from './pool.js';
import { matchRoute, type LambdaRoute } from './routes.js';

// What an HTTP API answers when the integration fails (a Lambda error or timeout) or no route matches.
const GATEWAY_ERROR = { 500: '{"message":"Internal Server Error"}', 404: '{"message":"Not Found"}' } as const;

export interface LambdaFrontOptions {
  functions: FunctionConfig[];
  routes: LambdaRoute[];
  port?: number;
  maxSandboxes?: number;
  idleMs?: number;
}

/**
 * The local stand-in for an HTTP API in front of Lambda functions: each request becomes a payload
 * 2.0 event, goes to the function its route names, and runs in one of that function's sandboxes.
 * It leaves out what only AWS has: the gateway's own latency, the network, Lambda's placement.
 */
export async function startLambdaFront(options: LambdaFrontOptions): Promise<{ url: string; server: Server; stats(): Record<string, FunctionStats & { live: number }>; stop(): Promise<void> }> {
  const pools = new Map<string, FunctionPool>(
    options.functions.map((fn) => [fn.name, createFunctionPool(fn, { ...(options.maxSandboxes && { maxSandboxes: options.maxSandboxes }), ...(options.idleMs && { idleMs: options.idleMs }) })]),
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    const answer = (status: 404 | 500) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(GATEWAY_ERROR[status]);
    };
    const respond = async () => {
      const url = req.url ?? '/';
      const matched = matchRoute(options.routes, req.method ?? 'GET', url.split('?')[0]!);
      const pool = matched && pools.get(matched.route.functionName);
      if (!matched || !pool) return answer(404);
      const event = toHttpApiEvent(
        { method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks), sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
        matched.route.routeKey,
        matched.params,
      );
      const outcome = await pool.invoke(event);
      if (outcome.failed) return answer(500);
      const response = fromHttpApiResult(outcome.result);
      res.writeHead(response.status, { ...response.headers, 'apigw-requestid': outcome.requestId });
      res.end(response.body);
    };
    // A sandbox that could not be started is the gateway's 500, as on AWS, never a hung request.
    req.on('end', () => {
      respond().catch(() => (res.headersSent ? res.destroy() : answer(500)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stats: () => Object.fromEntries([...pools].map(([name, pool]) => [name, pool.stats()])),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...pools.values()].map((pool) => pool.stop()));
    },
  };
}
