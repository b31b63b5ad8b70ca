// Builds the container's bundle, dist/main.mjs (npm run build, after the web UI). Plain JavaScript
// so the image's build stage runs it without tsx; npm run bench builds its Server-Timing A/B from
// the same options, so the two bundles differ only by the line the A/B removes.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** esbuild options for container/main.ts; `overrides` for a variant build (the bench's A/B). */
export function containerBuildOptions(overrides = {}) {
  return {
    entryPoints: ['container/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    outfile: 'dist/main.mjs',
    sourcemap: true,
    legalComments: 'none',
    minifySyntax: true,
    minifyWhitespace: true,
    banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
    logLevel: 'warning',
    ...overrides,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await require('esbuild').build(containerBuildOptions());
