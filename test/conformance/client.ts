import { request } from 'node:http';
import { expect } from 'vitest';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export type Call = (method: string, path: string, options?: { body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> }) => Promise<Reply>;

/**
 * A tiny HTTP client for black-box tests: JSON bodies by default, raw bodies when asked, on any
 * method (fetch refuses GET bodies). With `token`, it calls as that bearer unless a call sets its
 * own Authorization header.
 */
export function client(baseUrl: () => string, token?: () => string): Call {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(token && { authorization: `Bearer ${token()}` }), ...options.headers };
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const response = await send(new URL(`${baseUrl()}${path}`), method, headers, body);
    const text = response.body;
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  };
}

function send(url: URL, method: string, headers: Record<string, string>, body?: string | Uint8Array) {
  return new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Asserts an RFC 9457 problem document with the given status and code. */
export function expectProblem(reply: Reply, status: number, code?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.json).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code: expect.any(String) });
  expect(reply.json.requestId).toBe(reply.headers.get('x-request-id'));
  if (code) expect(reply.json.code).toBe(code);
}
