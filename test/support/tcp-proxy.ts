import { connect, createServer, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream?: Socket;
  /** What the client sent while the proxy was stalled. */
  held: Buffer[];
}

export interface TcpProxy {
  /** http://127.0.0.1:<port>, to use as a service's endpoint. */
  endpoint: string;
  /**
   * Stops forwarding, as a dependency does when its process is stopped: connections are still
   * accepted, bytes stay unread in both directions, nothing is answered.
   */
  stall(): void;
  /** Forwards again, including whatever was held back. */
  resume(): void;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections accepted and not yet closed by either side. */
  open(): number;
  stop(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (http://host:port) that a test can stall and
 * resume. Started stalled, it never connects to the target until resumed, so it also stands for a
 * dependency that accepts connections and never answers.
 */
export async function startTcpProxy(target: string, { stalled = false } = {}): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const links = new Set<Link>();
  let accepted = 0;

  const connectUpstream = (link: Link) => {
    const upstream = connect(Number(port), hostname);
    link.upstream = upstream;
    upstream.on('data', (chunk) => link.client.write(chunk));
    upstream.on('end', () => link.client.end());
    upstream.on('error', () => link.client.destroy());
    upstream.on('close', () => link.client.destroy());
  };
  const flush = (link: Link) => {
    if (!link.upstream) connectUpstream(link);
    for (const chunk of link.held.splice(0)) link.upstream!.write(chunk);
    link.upstream!.resume();
  };

  // The client's bytes are always read (held back while stalled), so a client that gives up and
  // closes is seen at once; the target's answers are not read while stalled.
  const server = createServer((client) => {
    accepted += 1;
    const link: Link = { client, held: [] };
    links.add(link);
    client.on('data', (chunk) => (stalled ? link.held.push(chunk) : link.upstream!.write(chunk)));
    client.on('end', () => link.upstream?.end());
    client.on('error', () => client.destroy());
    client.on('close', () => {
      links.delete(link);
      link.upstream?.destroy();
    });
    if (!stalled) connectUpstream(link);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };

  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stall() {
      stalled = true;
      for (const { upstream } of links) upstream?.pause();
    },
    resume() {
      stalled = false;
      for (const link of links) flush(link);
    },
    accepted: () => accepted,
    open: () => links.size,
    stop: async () => {
      for (const { client, upstream } of links) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
