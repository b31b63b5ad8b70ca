import { createHash } from 'node:crypto';
import type { Config } from '../../config.js';
import { RouteNotFoundError } from '../errors.js';
import { json } from '../response.js';
import type { RouteHandlers } from '../specs.js';
import type { HttpRequest } from '../types.js';

/** The built UI (web/build.mjs): the page, and its assets by content-hashed name. */
export interface WebAssets {
  html: string;
  files: Record<string, { type: string; body: string }>;
}

export interface WebDeps {
  config: Config;
  /** Absent where a runtime serves no UI: `/` and `/assets/*` then answer 404. */
  assets?: WebAssets;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

const originOf = (url: string | undefined) => (url && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol) ? new URL(url).origin : undefined);

/**
 * Where the page may connect: the API (its own origin), the token issuer and its sign-in domain
 * (discovery, token endpoint), and the bucket (presigned uploads). Nothing else, and no inline
 * script or style: the page runs under this policy on every target.
 */
export function contentSecurityPolicy(config: Config): string {
  const bucket =
    config.store !== 'dynamodb'
      ? undefined
      : config.s3Endpoint
        ? originOf(config.s3Endpoint)
        : `https://${config.bucketName}.s3.${config.region}.amazonaws.com`;
  const connect = [...new Set(["'self'", originOf(config.auth.issuer), originOf(config.auth.loginUrl), bucket].filter((origin): origin is string => !!origin))];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** What a client that asks for JSON gets at `/`: where things are. */
const INDEX = {
  service: 'duet',
  links: { app: '/', openapi: '/openapi.json', config: '/config', health: '/healthz', readiness: '/readyz', tasks: '/v1/tasks', stats: '/v1/stats' },
};

/** JSON only when the client asks for it and not for HTML (browsers always name text/html). */
function wantsJson(request: HttpRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /\bapplication\/(?:[\w.-]+\+)?json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
}

/** The web UI: the page at `/` (revalidated every time, by ETag) and its immutable assets under `/assets/`. */
export function webHandlers({ config, assets }: WebDeps) {
  const csp = contentSecurityPolicy(config);
  const etag = assets && `"${createHash('sha256').update(assets.html).update(csp).digest('base64url').slice(0, 22)}"`;
  return {
    async getWebApp({ request }) {
      const vary = { vary: 'accept' };
      if (wantsJson(request)) return json(200, INDEX, { 'cache-control': 'no-cache', ...vary });
      if (!assets || !etag) throw new RouteNotFoundError('This deployment serves no web UI.');
      const headers = { 'cache-control': 'no-cache', etag, ...vary, 'content-security-policy': csp };
      const given = request.headers['if-none-match'];
      if (given && given.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return { status: 304, headers };
      return { status: 200, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body: assets.html };
    },

    async getAsset({ params }) {
      const file = assets?.files[params.name!];
      if (!file) throw new RouteNotFoundError(`No asset ${params.name!.slice(0, 100)}.`);
      return { status: 200, headers: { 'content-type': file.type, 'cache-control': IMMUTABLE }, body: file.body };
    },
  } satisfies RouteHandlers;
}
