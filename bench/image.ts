import { readFileSync } from 'node:fs';

/** The NODE_OPTIONS the container image sets, so benchmarks run the build the way it ships. */
export function imageNodeOptions(): string {
  return /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(readFileSync('container/Dockerfile', 'utf8'))?.[1] ?? '';
}
