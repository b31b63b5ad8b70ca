import { expect, it } from 'vitest';
import type { Call } from './client.js';

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
