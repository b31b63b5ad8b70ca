import type { HttpResponse } from './types.js';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function noContent(headers: Record<string, string> = {}): HttpResponse {
  return { status: 204, headers };
}

export const etag = (version: number) => `"${version}"`;
