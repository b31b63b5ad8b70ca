// Builds the web UI (web/src, Preact) into web/dist/assets.json: the page and its assets, named by
// content hash, which every target serves from memory (core/http/routes/web.ts). Plain JavaScript
// so the image's build stage runs it without tsx: `node web/build.mjs` (npm run build:web).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const WEB = dirname(fileURLToPath(import.meta.url));
export const ASSETS_FILE = join(WEB, 'dist', 'assets.json');

const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const typeOf = (name) => TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
const hashed = (stem, ext, body) => `${stem}-${createHash('sha256').update(body).digest('base64url').slice(0, 10)}${ext}`;

/** Builds the UI in memory; resolves to { html, files: { name: { type, body } } }. */
export async function buildWeb() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: WEB,
    entryPoints: { app: 'src/main.tsx' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome115', 'firefox115', 'safari16'],
    entryNames: '[name]-[hash]',
    outdir: 'out',
    write: false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = {};
  for (const output of result.outputFiles) files[basename(output.path)] = { type: typeOf(output.path), body: output.text };
  const icon = readFileSync(join(WEB, 'src', 'icon.svg'), 'utf8');
  files[hashed('icon', '.svg', icon)] = { type: typeOf('.svg'), body: icon };
  const find = (prefix, ext) => Object.keys(files).find((name) => name.startsWith(prefix) && name.endsWith(ext));
  const html = readFileSync(join(WEB, 'src', 'index.html'), 'utf8')
    .replace('%ICON%', `/assets/${find('icon-', '.svg')}`)
    .replace('%CSS%', `/assets/${find('app-', '.css')}`)
    .replace('%JS%', `/assets/${find('app-', '.js')}`);
  return { html, files };
}

/** Writes web/dist/assets.json, which the composition roots import. */
export async function writeWebAssets() {
  const assets = await buildWeb();
  const text = JSON.stringify(assets);
  // Unchanged: left alone, so a bundler or server reading it meanwhile never sees it half written.
  if (existsSync(ASSETS_FILE) && readFileSync(ASSETS_FILE, 'utf8') === text) return assets;
  mkdirSync(dirname(ASSETS_FILE), { recursive: true });
  writeFileSync(ASSETS_FILE, text);
  return assets;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeWebAssets();
