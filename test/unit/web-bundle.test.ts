import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWeb } from '../../web/build.mjs';

const assets = await buildWeb();
const scripts = Object.entries(assets.files).filter(([name]) => name.endsWith('.js'));

describe('the web UI as built', () => {
  it('is at most 60 KB of JavaScript gzipped, in all', () => {
    const gzipped = scripts.reduce((sum, [, file]) => sum + gzipSync(file.body).length, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(60 * 1024);
  });

  it('names every asset by its content, and the page links each one under /assets/', () => {
    for (const name of Object.keys(assets.files)) {
      expect(name).toMatch(/^[a-z]+-[\w-]{8,}\.(js|css|svg)$/);
      expect(assets.html).toContain(`/assets/${name}`);
    }
  });

  it('has no inline script or style and loads nothing from elsewhere (no CDN, no external font)', () => {
    expect(assets.html).not.toMatch(/<script(?![^>]*\bsrc="\/assets\/)[^>]*>/);
    expect(assets.html).not.toMatch(/<style|\sstyle=|\son\w+=/);
    for (const [name, file] of Object.entries(assets.files)) {
      if (name.endsWith('.css')) expect(file.body, name).not.toMatch(/@import|url\((?!data:)/);
    }
    expect(assets.html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('builds the same names from the same sources', async () => {
    expect(Object.keys((await buildWeb()).files).sort()).toEqual(Object.keys(assets.files).sort());
  });
});
