import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** One route of an HTTP API as serverless/functions-<mode>.yml declares it. */
export interface LambdaRoute {
  /** `GET /v1/tasks/{id}`, or `$default` for the catch-all `'*'`. */
  routeKey: string;
  method: string;
  segments: string[];
  functionName: string;
}

type HttpApiEvent = string | { method: string; path: string };

/** Reads the routes of every function in a serverless functions file, in declaration order. */
export function readRoutes(file: string): { routes: LambdaRoute[]; handlers: Record<string, string> } {
  const functions = parseYaml(readFileSync(file, 'utf8')) as Record<string, { handler: string; events?: { httpApi?: HttpApiEvent }[] }>;
  const routes: LambdaRoute[] = [];
  const handlers: Record<string, string> = {};
  for (const [functionName, fn] of Object.entries(functions)) {
    handlers[functionName] = fn.handler;
    for (const event of fn.events ?? []) {
      if (event.httpApi === undefined) continue;
      const spec = event.httpApi;
      if (spec === '*') {
        routes.push({ routeKey: '$default', method: '*', segments: [], functionName });
        continue;
      }
      const [method, path] = typeof spec === 'string' ? spec.split(' ') : [spec.method, spec.path];
      routes.push({ routeKey: `${method!.toUpperCase()} ${path}`, method: method!.toUpperCase(), segments: path!.split('/').slice(1), functionName });
    }
  }
  return { routes, handlers };
}

/**
 * Picks the route of a request the way an HTTP API does: a route whose method and path match,
 * literal segments before parameters, else `$default`. A trailing slash is ignored.
 */
export function matchRoute(routes: readonly LambdaRoute[], method: string, rawPath: string): { route: LambdaRoute; params: Record<string, string> } | undefined {
  const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
  const parts = path.split('/').slice(1);
  let best: { route: LambdaRoute; params: Record<string, string>; literals: number } | undefined;
  for (const route of routes) {
    if (route.routeKey === '$default' || route.method !== method.toUpperCase() || route.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const matched = route.segments.every((segment, i) => {
      if (segment.startsWith('{')) return (params[segment.slice(1, -1)] = parts[i]!) !== '';
      literals++;
      return segment === parts[i];
    });
    if (matched && (!best || literals > best.literals)) best = { route, params, literals };
  }
  if (best) return { route: best.route, params: best.params };
  const fallback = routes.find((route) => route.routeKey === '$default');
  return fallback && { route: fallback, params: {} };
}
