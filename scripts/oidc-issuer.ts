// The local OpenID provider of `npm start` and `npm run dev:lambda` (oidc-provider, a certified
// implementation): authorization code + PKCE for the web UI, its sign-in page asking only for a
// user name (any name is a tenant), access tokens as JWTs for the API (audience `duet`, both
// scopes), signed by the dev key under .data/ that `npm run token` also signs with. The issuer is
// http://127.0.0.1:<port>; the port is kept in .data/ so a restart reuses it and tokens still verify.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { JWK } from 'jose';
import type { default as ProviderClass, Configuration } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { SCOPES } from '../core/domain/scopes.js';
import { isTenant, TENANT_RULE } from '../core/domain/tenant.js';
import { DEV_AUDIENCE, type RunningIssuer } from './dev-issuer.js';

/** The web UI's client: public (no secret, PKCE required), any loopback port (RFC 8252). */
export const DEV_CLIENT_ID = DEV_AUDIENCE;
/** The resource the access tokens are for; the UI need not name it (it is the default). */
const RESOURCE = 'urn:duet:api';
const API_SCOPES = `${SCOPES.read} ${SCOPES.write}`;
const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/;

export const issuerStateFile = (dir: string) => join(dir, 'dev-issuer.json');

/** The issuer URL the last local stack ran (what `npm run token` puts in `iss`), if any. */
export function lastIssuer(dir: string): string | undefined {
  const file = issuerStateFile(dir);
  if (!existsSync(file)) return undefined;
  const { issuer } = JSON.parse(readFileSync(file, 'utf8')) as { issuer?: string };
  return issuer;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The issuer's own pages: plain HTML and CSS, no script, nothing from elsewhere. */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f4f6fb;color:#111}main{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 8px #0002;width:min(22rem,90vw)}label{display:block;font-weight:600;margin-bottom:.25rem}input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:1px solid #667;border-radius:6px}button{margin-top:1rem;width:100%;font:inherit;padding:.6rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer}button.secondary{background:#e5e7eb;color:#111}p.hint{color:#444;font-size:.9rem}p.error{color:#b91c1c}</style></head>
<body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, error?: string): string {
  return page(
    'Sign in to duet (local)',
    `<h1>Sign in to duet</h1><p class="hint">Local development: any user name signs in, and each name has its own tasks. No password.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">User name</label><input id="username" name="username" required autofocus maxlength="128" aria-describedby="rule"><p class="hint" id="rule">${escapeHtml(TENANT_RULE)}</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}<button type="submit">Sign in</button></form>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  return new URLSearchParams(body);
}

/**
 * oidc-provider, imported once. It warns on Node 20 that it wants 22; local runs and the tests use
 * the machine's Node 20.19+ (README, Node versions), where its own suite and ours pass, so that one
 * line is left out of the banner.
 */
async function loadProvider(): Promise<typeof import('oidc-provider')> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Unsupported runtime')) warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

function configuration(key: JWK, errors: (typeof import('oidc-provider'))['errors'], accessTokenTtl: number): Configuration {
  return {
    // The library's own in-memory store, named so it does not warn: sessions end with the process.
    adapter: createMemoryAdapter(15),
    clients: [
      {
        client_id: DEV_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
        post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
      },
    ],
    jwks: { keys: [key as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: { jwks: '/.well-known/jwks.json' },
    scopes: ['openid'],
    claims: { openid: ['sub'] },
    pkce: { required: () => true },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
    // Browsers on loopback origins (the app on any port) may call discovery, token, revocation.
    clientBasedCORS: (_ctx, origin) => LOOPBACK_ORIGIN.test(origin),
    // The UI's session lasts as long as its refresh token; a new sign-in is needed after that.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: accessTokenTtl, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 8 * 3600, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
          return { scope: API_SCOPES, audience: DEV_AUDIENCE, accessTokenTTL: accessTokenTtl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Sign out of duet (local)',
            `<h1>Sign out?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout" autofocus>Yes, sign me out</button><button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Signed out', '<h1>Signed out</h1><p>You have signed out of duet.</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<h1>Sign-in failed</h1><p class="error">${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ''))}</p>`);
    },
  };
}

/**
 * Starts the provider on 127.0.0.1 (the port the data folder remembers when it is free, else any)
 * and records its issuer URL there.
 */
export async function startOidcIssuer(
  key: JWK,
  dataDir: string,
  /** Access token lifetime in seconds (tests shorten it to see the UI refresh). */
  { accessTokenTtl = 3600 } = {},
): Promise<RunningIssuer & { issuer: string }> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handle(req, res));
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const previous = lastIssuer(dataDir);
  const remembered = previous && URL.canParse(previous) ? Number(new URL(previous).port) : 0;
  await listen(remembered).catch(() => listen(0));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(issuerStateFile(dataDir), JSON.stringify({ issuer }));

  const { default: Provider, errors } = await loadProvider();
  const provider: ProviderClass = new Provider(issuer, configuration(key, errors, accessTokenTtl));
  const oidc = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0]!);
    if (!match) return void oidc(req, res);
    interaction(req, res, match[1]!, Boolean(match[2])).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Sign-in error', `<h1>Sign-in failed</h1><p class="error">${escapeHtml(error instanceof Error ? error.message : String(error))}</p><p>Go back to the app and sign in again.</p>`));
    });
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, submitted: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('This sign-in has expired.');
    if (details.prompt.name === 'consent') return consent(req, res, details);
    if (!submitted || req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(uid));
      return;
    }
    const username = (await readForm(req)).get('username')?.trim() ?? '';
    if (!isTenant(username)) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(loginPage(uid, TENANT_RULE));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
  }

  /** One first-party client: no consent screen; it is granted what it asked for (the API's scopes at most). */
  async function consent(req: IncomingMessage, res: ServerResponse, details: Awaited<ReturnType<ProviderClass['interactionDetails']>>) {
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    env: { AUTH_ISSUER: issuer, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_URL: `${issuer}/.well-known/jwks.json` },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
