import { createServer, type RequestListener, type Server, type ServerOptions as HttpServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/ports/logger.js';

/** How long a shutdown waits for in-flight requests; the Helm chart's grace period is derived from it. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * What the server allows a client, suited to an ALB in front (idle timeout 60 s). Keep-alive
 * outlives the ALB's idle timeout, so the ALB, never the server, closes an idle connection (a
 * server closing first races the ALB's next request: a 502). A request's headers must arrive
 * within 10 s and the whole request (headers and body, at most 64 KiB) within 20 s, else Node
 * answers 408 and closes the connection; it checks every second (its default, 30 s, let a slow
 * client hold on up to 30 s longer). Neither clock runs while a connection idles between requests
 * or while the app works on a request it has received. At most 1000 connections at once: more
 * are refused at accept, far above what an ALB opens to one pod.
 */
export const SERVER_LIMITS = {
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  connectionsCheckingIntervalMs: 1_000,
  maxConnections: 1_000,
};
export type ServerLimits = typeof SERVER_LIMITS;

export interface ServerOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Called first on shutdown, so readiness fails while the load balancer still sends traffic. */
  onDraining?: () => void;
  /** How long in-flight requests may take to finish before their connections are cut. */
  shutdownTimeoutMs?: number;
  /** The classes Node builds requests and responses from (container/express-messages.ts). */
  messages?: Pick<HttpServerOptions, 'IncomingMessage' | 'ServerResponse'>;
  /** SERVER_LIMITS unless given (tests use small ones). */
  limits?: Partial<ServerLimits>;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, drains in-flight requests; resolves true when all finished in time. */
  shutdown(): Promise<boolean>;
}

/** The only place that listens, with SERVER_LIMITS. */
export async function startServer(listener: RequestListener, options: ServerOptions): Promise<RunningServer> {
  const { port, host, logger, onDraining, shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS, messages } = options;
  const limits = { ...SERVER_LIMITS, ...options.limits };
  const server = createServer(
    {
      ...messages,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  const url = await listen(server, port, host);

  let shuttingDown: Promise<boolean> | undefined;
  const shutdown = () =>
    (shuttingDown ??= new Promise<boolean>((resolve) => {
      onDraining?.();
      const timer = setTimeout(() => {
        logger.warn({ shutdownTimeoutMs }, 'drain timed out; closing remaining connections');
        server.closeAllConnections();
        resolve(false);
      }, shutdownTimeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve(true);
      });
      server.closeIdleConnections();
    }));
  return { server, url, shutdown };
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Prometheus's own port: GET (or HEAD) /metrics and nothing else, apart from the API's port so
 * that no ingress or load balancer in front of the API can route to it (the chart exposes it as
 * the Service port `metrics`, reachable only from the monitoring namespace).
 */
export async function startMetricsServer(
  exposition: () => Promise<{ contentType: string; body: string }>,
  { port, host, logger }: { port: number; host: string; logger: Logger },
): Promise<MetricsServer> {
  const server = createServer({ headersTimeout: 5_000, requestTimeout: 5_000, connectionsCheckingInterval: 1_000 }, (req, res) => {
    const path = req.url?.split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served on this port.\n');
      return;
    }
    exposition().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics exposition failed');
        res.writeHead(500).end();
      },
    );
  });
  const url = await listen(server, port, host);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * On SIGTERM or SIGINT: drain, then exit 0 (1 if requests had to be cut). Logs "listening" once
 * the handlers are in place, so nothing that waits for that line can signal too early.
 */
export function exitOnSignals(running: RunningServer & { metricsUrl?: string }, logger: Logger, cleanup: () => Promise<void> = async () => {}): void {
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    void running
      .shutdown()
      .then(async (drained) => {
        await cleanup();
        logger.info({ drained }, 'stopped');
        process.exit(drained ? 0 : 1);
      });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  logger.info({ url: running.url, ...(running.metricsUrl && { metricsUrl: `${running.metricsUrl}/metrics` }) }, 'listening');
}
