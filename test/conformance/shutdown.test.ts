import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-stack.js';
import { devIssuer } from '../support/auth.js';

const issuer = devIssuer();
const TOKEN = await issuer.token('alice');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the real container entry point (container/main.ts) on the memory store, on 127.0.0.1. */
async function startServerProcess(): Promise<{ child: ChildProcess; port: number; exit: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'container/main.ts'], {
    env: { ...process.env, ...issuer.env, STORE: 'memory', PORT: String(port), METRICS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('"msg":"listening"')) resolve();
    });
    void exit.then((code) => reject(new Error(`server exited early with ${code}: ${output}`)));
  });
  return { child, port, exit };
}

describe('container server shutdown', () => {
  it('finishes a request in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const { child, port, exit } = await startServerProcess();
    const body = JSON.stringify({ title: 'sent slowly' });
    const inFlight = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/tasks', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${TOKEN}` } });
    const reply = once(inFlight, 'response').then(async ([response]) => {
      let text = '';
      for await (const chunk of response) text += chunk;
      return { status: response.statusCode as number, text };
    });
    inFlight.write(body.slice(0, 5));
    await new Promise((resolve) => setTimeout(resolve, 200));

    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', (error) => String(error.cause?.code));
    inFlight.end(body.slice(5));

    expect(refused).toBe('ECONNREFUSED');
    expect(await reply).toMatchObject({ status: 201, text: expect.stringContaining('"title":"sent slowly"') });
    expect(await exit).toBe(0);
  });

  it('exits 0 promptly on SIGTERM when idle', async () => {
    const { child, exit } = await startServerProcess();
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
