import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { expectProblem, type Call } from './client.js';

const BAD_BODIES: { name: string; raw: string | Uint8Array; contentType?: string }[] = [
  { name: 'malformed JSON', raw: '{"title": "x",', contentType: 'application/json' },
  { name: 'a JSON string', raw: '"just a string"', contentType: 'application/json' },
  { name: 'JSON null', raw: 'null', contentType: 'application/json' },
  { name: 'a deeply nested array', raw: '['.repeat(5000) + ']'.repeat(5000), contentType: 'application/json' },
  { name: 'a body over 64 KiB', raw: JSON.stringify({ title: 'x'.repeat(70_000) }), contentType: 'application/json' },
  { name: 'invalid UTF-8', raw: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: 'application/json' },
  { name: 'a form body', raw: 'title=x', contentType: 'application/x-www-form-urlencoded' },
  { name: 'no content type', raw: '{"title":"x"}' },
  { name: 'a latin-1 charset', raw: '{"title":"x"}', contentType: 'application/json; charset=iso-8859-1' },
  { name: 'wrong field types', raw: '{"title": 5, "tags": "a", "filename": [], "size": "big", "data": {}}', contentType: 'application/json' },
  { name: 'huge numbers', raw: '{"title":"x","size":1e400,"limit":-0}', contentType: 'application/json' },
];

/**
 * Sends every kind of bad input to every operation the served OpenAPI document lists: none may
 * answer 5xx, and every error must be a problem document.
 */
export function badInputConformance(call: Call) {
  it('never answers a malformed, oversized or wrongly typed request with a 5xx', async () => {
    const task = (await call('POST', '/v1/tasks', { body: { title: 'target' } })).json;
    const openapi = (await call('GET', '/openapi.json')).json as { paths: Record<string, Record<string, unknown>> };
    const failures: string[] = [];
    for (const [template, operations] of Object.entries(openapi.paths)) {
      const path = template.replace('{id}', task.id).replace('{attachmentId}', '01ARZ3NDEKTSV4RRFFQ69G5FAV');
      for (const method of Object.keys(operations).map((name) => name.toUpperCase())) {
        for (const bad of BAD_BODIES) {
          const reply = await call(method, `${path}?limit=abc&cursor=%ZZ`, {
            raw: bad.raw,
            headers: { ...(bad.contentType && { 'content-type': bad.contentType }), 'if-match': 'garbage', 'idempotency-key': 'k' },
          });
          const problem = reply.status < 400 || reply.headers.get('content-type') === 'application/problem+json';
          if (reply.status >= 500 || !problem) failures.push(`${method} ${template} with ${bad.name}: ${reply.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
}

const CODINGS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** Content-Encoding: the same answer on every target, whoever undoes it (body-parser or the core). */
export function contentEncodingConformance(call: Call) {
  const json = { 'content-type': 'application/json' };

  it('reads gzip, deflate and br bodies on every route that reads a body', async () => {
    for (const [coding, compress] of Object.entries(CODINGS)) {
      const headers = { ...json, 'content-encoding': coding };
      const legacy = await call('POST', '/v1', { raw: compress(JSON.stringify({ data: 'abc' })), headers });
      expect(legacy.status, `${coding}: ${legacy.text}`).toBe(200);
      expect(legacy.json).toBe('CBA');
      const created = await call('POST', '/v1/tasks', { raw: compress(JSON.stringify({ title: `sent as ${coding}` })), headers });
      expect(created.status, `${coding}: ${created.text}`).toBe(201);
      expect(created.json.title).toBe(`sent as ${coding}`);
    }
  });

  it('answers bytes their Content-Encoding cannot decode with a 400 problem document, with or without a token', async () => {
    for (const coding of Object.keys(CODINGS)) {
      const headers = { ...json, 'content-encoding': coding };
      expectProblem(await call('POST', '/v1', { raw: 'garbage', headers }), 400, 'MALFORMED_JSON');
      expectProblem(await call('POST', '/v1/tasks', { raw: 'garbage', headers }), 400, 'MALFORMED_JSON');
      const anonymous = await call('POST', '/v1', { raw: 'garbage', headers: { ...headers, authorization: '' } });
      expectProblem(anonymous, 400, 'MALFORMED_JSON');
      expect(anonymous.json.detail).toContain(coding);
      // A route that reads no body does not decode one.
      expectProblem(await call('DELETE', '/v1/tasks/01ARZ3NDEKTSV4RRFFQ69G5FAV', { raw: 'garbage', headers }), 404, 'TASK_NOT_FOUND');
    }
  });

  it('refuses other and stacked codings with a 415, and a body that decodes past the limit with a 413', async () => {
    const body = JSON.stringify({ data: 'abc' });
    expectProblem(await call('POST', '/v1', { raw: body, headers: { ...json, 'content-encoding': 'zstd' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await call('POST', '/v1', { raw: gzipSync(gzipSync(body)), headers: { ...json, 'content-encoding': 'gzip, gzip' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // About a kilobyte that decodes to a megabyte.
    const bomb = gzipSync(JSON.stringify({ data: ' '.repeat(1024 * 1024) }));
    expectProblem(await call('POST', '/v1', { raw: bomb, headers: { ...json, 'content-encoding': 'gzip' } }), 413, 'PAYLOAD_TOO_LARGE');
  });
}

/** Text fields take Unicode text: a lone surrogate or a control character is a 400 that names the field. */
export function textConformance(call: Call) {
  const refused = async (method: string, path: string, body: unknown, field: string) => {
    const reply = await call(method, path, { body });
    expectProblem(reply, 400, 'VALIDATION_FAILED');
    expect(reply.json.errors.map((error: { path: string }) => error.path)).toContain(field);
  };

  it('refuses lone surrogates, NUL and other control characters in every text field, naming it', async () => {
    const task = (await call('POST', '/v1/tasks', { body: { title: 'text rules' } })).json;
    for (const bad of ['r\ud800', 'a\udc00b', 'nul\u0000', 'bell\u0007', 'c1\u0085']) {
      await refused('POST', '/v1/tasks', { title: bad }, 'title');
      await refused('POST', '/v1/tasks', { title: 'ok', description: bad }, 'description');
      await refused('PATCH', `/v1/tasks/${task.id}`, { title: bad }, 'title');
      await refused('PATCH', `/v1/tasks/${task.id}`, { description: bad }, 'description');
      await refused('POST', `/v1/tasks/${task.id}/attachments`, { filename: `${bad}.pdf`, contentType: 'application/pdf', size: 1 }, 'filename');
      await refused('POST', '/v1', { data: bad }, 'data');
    }
    await refused('POST', '/v1/tasks', { title: 'tab\tin a title' }, 'title');
    await refused('POST', '/v1/tasks', { title: 'ok', tags: ['a\ud800'] }, 'tags.0');
    // Nothing was written: the task still has no attachments.
    expect((await call('GET', `/v1/tasks/${task.id}/attachments`)).json.items).toEqual([]);
  });

  it('takes emoji, accents and, where text has lines, tabs and line breaks', async () => {
    const created = await call('POST', '/v1/tasks', { body: { title: 'Crème brûlée 👨‍👩‍👧 🇫🇷', description: 'line one\r\nline\ttwo\n' } });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ title: 'Crème brûlée 👨‍👩‍👧 🇫🇷', description: 'line one\r\nline\ttwo\n' });
    const legacy = await call('POST', '/v1', { body: { data: 'ab\ncd' } });
    expect(legacy.json).toBe('DC\nBA');
  });
}
