import { expect, it } from 'vitest';
import { expectProblem, type Call } from './client.js';

/** The web UI as every target serves it: the page, its immutable assets, its CSP, the JSON index. */
export function webConformance(call: Call) {
  const page = () => call('GET', '/', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);

  it('serves the page at / as HTML, revalidated by ETag, under a strict CSP', async () => {
    const reply = await page();
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(reply.headers.get('cache-control')).toBe('no-cache');
    expect(reply.headers.get('etag')).toMatch(/^"[\w-]{10,}"$/);
    expect(reply.text).toMatch(/^<!doctype html>/);
    expect(reply.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = reply.headers.get('content-security-policy')!;
    const directives = Object.fromEntries(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']![0]).toBe("'self'");
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toContain('unsafe');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    const { headers } = await page();
    const again = await call('GET', '/', { headers: { 'if-none-match': headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await call('GET', '/', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    const head = await call('HEAD', '/');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('serves every asset the page names, content-hashed and immutable, and 404 for any other name', async () => {
    const assets = assetsOf((await page()).text);
    expect(assets.map((path) => path.replace(/-[\w]{8,}\./, '-HASH.')).sort()).toEqual(['/assets/app-HASH.css', '/assets/app-HASH.js', '/assets/icon-HASH.svg']);
    for (const path of assets) {
      const reply = await call('GET', path);
      expect(reply.status, path).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(reply.headers.get('content-type')).toMatch(path.endsWith('.js') ? /^text\/javascript/ : path.endsWith('.css') ? /^text\/css/ : /^image\/svg\+xml$/);
      expect(reply.text.length).toBeGreaterThan(0);
    }
    expectProblem(await call('GET', '/assets/app-00000000.js'), 404, 'ROUTE_NOT_FOUND');
  });

  it('gives a client that asks for JSON an index of links, and refuses other methods on /', async () => {
    const reply = await call('GET', '/', { headers: { accept: 'application/json' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.headers.get('vary')).toMatch(/accept/i);
    expect(reply.json.links).toMatchObject({ app: '/', openapi: '/openapi.json', tasks: '/v1/tasks' });
    const post = await call('POST', '/', { body: {} });
    expectProblem(post, 405, 'METHOD_NOT_ALLOWED');
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });
}
