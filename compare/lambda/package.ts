import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import type { FunctionConfig } from './pool.js';
import { readRoutes, type LambdaRoute } from './routes.js';

const run = promisify(execFile);
export type LambdaMode = 'routes' | 'lambdalith';

/** What decides the zips: a change to any of these packages them again. */
const SOURCES = ['core', 'wiring', 'handlers', 'container', 'serverless', 'serverless.yml', 'package-lock.json', 'patches'];

function sourceHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else hash.update(relative(root, path)).update(readFileSync(path));
  };
  for (const source of SOURCES) walk(join(root, source));
  return hash.digest('hex').slice(0, 16);
}

export interface PackagedMode {
  mode: LambdaMode;
  dir: string;
  functions: Omit<FunctionConfig, 'env'>[];
  /** Each function's environment as packaged (the local stage's values). */
  env: Record<string, Record<string, string>>;
  routes: LambdaRoute[];
  zipBytes: Record<string, number>;
  architecture: string;
}

/**
 * `sls package` for the local stage in one mode (offline: the local stage reads nothing from
 * AWS), the zips unpacked beside it. Kept under `cacheDir` by a hash of the sources, so a second
 * run on the same code reuses them.
 */
export async function packageLambda(mode: LambdaMode, root: string, cacheDir: string): Promise<PackagedMode> {
  const dir = join(cacheDir, `${mode}-${sourceHash(root)}`);
  const template = join(dir, 'cloudformation-template-update-stack.json');
  if (!existsSync(join(dir, '.complete'))) {
    // Zips of older sources are of no more use.
    if (existsSync(cacheDir)) for (const old of readdirSync(cacheDir).filter((name) => name.startsWith(`${mode}-`))) rmSync(join(cacheDir, old), { recursive: true, force: true });
    const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
    const buildId = `compare-${mode}-${process.pid}`;
    await run(process.execPath, [cli, 'package', '--stage', 'local', `--param=mode=${mode}`, '--package', dir], {
      cwd: root,
      env: { ...process.env, DUET_BUILD_ID: buildId, SLS_TELEMETRY_DISABLED: '1' },
      timeout: 300_000,
    });
    rmSync(join(root, '.esbuild', `${buildId}-local`), { recursive: true, force: true });
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.zip'))) {
      const zip = await JSZip.loadAsync(readFileSync(join(dir, file)));
      for (const entry of Object.values(zip.files).filter((item) => !item.dir && !item.name.endsWith('.map'))) {
        const target = join(dir, file.replace(/\.zip$/, ''), entry.name);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, await entry.async('nodebuffer'));
      }
    }
    writeFileSync(join(dir, '.complete'), '');
  }
  const resources = (JSON.parse(readFileSync(template, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> }).Resources;
  const { routes, handlers } = readRoutes(join(root, 'serverless', `functions-${mode}.yml`));
  const functions: PackagedMode['functions'] = [];
  const env: PackagedMode['env'] = {};
  const zipBytes: Record<string, number> = {};
  let architecture = 'arm64';
  for (const [name, handler] of Object.entries(handlers)) {
    const properties = resources[`${name[0]!.toUpperCase()}${name.slice(1)}LambdaFunction`]!.Properties;
    const file = handler.slice(0, handler.lastIndexOf('.'));
    functions.push({
      name,
      bundle: join(dir, name, `${file}.mjs`),
      exportName: handler.slice(handler.lastIndexOf('.') + 1),
      memoryMb: Number(properties.MemorySize ?? 1024),
      timeoutS: Number(properties.Timeout ?? 6),
    });
    env[name] = Object.fromEntries(Object.entries((properties.Environment?.Variables ?? {}) as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    zipBytes[name] = statSync(join(dir, `${name}.zip`)).size;
    architecture = (properties.Architectures as string[] | undefined)?.[0] ?? 'x86_64';
  }
  return { mode, dir, functions, env, routes, zipBytes, architecture };
}
