import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../../core/adapters/jwt-authenticator.js';
import { SCOPES } from '../../core/domain/scopes.js';
import { loadOrCreateDevKey, signDevToken } from '../../scripts/dev-issuer.js';
import { DEV_CLIENT_ID, lastIssuer, startOidcIssuer } from '../../scripts/oidc-issuer.js';

const dataDir = mkdtempSync(join(tmpdir(), 'duet-oidc-'));
let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
beforeAll(async () => {
  issuer = await startOidcIssuer(await loadOrCreateDevKey(dataDir), dataDir);
});
afterAll(async () => {
  await issuer?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const APP = 'http://127.0.0.1:45123/';
const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** A browser's part of the code flow, by hand: cookies kept, redirects followed one at a time. */
async function signIn(username: string, { pkce = true } = {}) {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as object), ...(cookie && { cookie }) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      jar.set(name!, value ?? '');
    }
    return response;
  };
  const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const verifier = base64url(randomBytes(32));
  const params = new URLSearchParams({
    client_id: DEV_CLIENT_ID,
    redirect_uri: APP,
    response_type: 'code',
    scope: `openid ${SCOPES.read} ${SCOPES.write}`,
    state: 's1',
    ...(pkce && { code_challenge: base64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256' }),
  });
  let response = await send(`${discovery.authorization_endpoint}?${params}`);
  const pages: string[] = [];
  for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops++) {
    const location = new URL(response.headers.get('location')!, issuer.issuer).href;
    if (location.startsWith(APP)) return { location: new URL(location), discovery, verifier, pages };
    response = await send(location);
    if (response.status === 200 && location.includes('/interaction/')) {
      const html = await response.text();
      pages.push(html);
      const action = /action="([^"]+)"/.exec(html)![1]!;
      response = await send(new URL(action, issuer.issuer).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username }).toString() });
      if (response.status === 400) return { location: undefined, discovery, verifier, pages: [...pages, await response.text()], body: '' };
    }
  }
  const body = await response.text();
  if (process.env.DEBUG_OIDC) console.log(response.status, response.headers.get("location"), body.slice(0, 500));
  return { location: undefined, discovery, verifier, pages, body };
}

describe('the local OpenID provider', () => {
  it('publishes discovery with the code flow, S256 PKCE and its keys where the API looks for them', async () => {
    const discovery = (await (await fetch(`${issuer.issuer}/.well-known/openid-configuration`, { headers: { origin: 'http://127.0.0.1:3000' } })).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: issuer.issuer, jwks_uri: issuer.jwksUrl, code_challenge_methods_supported: ['S256'], response_types_supported: expect.arrayContaining(['code']) });
    expect(discovery.end_session_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(lastIssuer(dataDir)).toBe(issuer.issuer);
  });

  it('signs in any user name with code + PKCE, and issues an access token the API accepts for that tenant', async () => {
    // Act
    const flow = await signIn('carol');
    expect(flow.pages[0]).toContain('User name');
    expect(flow.pages[0]).not.toMatch(/type="password"/);
    expect(flow.location?.searchParams.get('state')).toBe('s1');
    const code = flow.location!.searchParams.get('code')!;
    const tokenResponse = await fetch(flow.discovery.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:45123' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: APP, client_id: DEV_CLIENT_ID, code_verifier: flow.verifier }),
    });
    const tokens = (await tokenResponse.json()) as { access_token: string; refresh_token?: string; id_token: string };

    // Assess
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:45123');
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'RS256' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'carol', aud: 'duet', iss: issuer.issuer });
    expect(tokens.refresh_token).toBeTruthy();
    const api = createJwtAuthenticator({ issuer: issuer.issuer, audience: 'duet', jwksUrl: issuer.jwksUrl });
    const principal = await api.authenticate({ authorizationSent: true, bearerToken: tokens.access_token });
    expect(principal.subject).toBe('carol');
    expect([...principal.scopes].sort()).toEqual([SCOPES.read, SCOPES.write]);
    // npm run token signs with the same key for the same issuer: the API takes both alike.
    const cli = await signDevToken(await loadOrCreateDevKey(dataDir), { sub: 'carol', iss: lastIssuer(dataDir)! });
    expect((await api.authenticate({ authorizationSent: true, bearerToken: cli })).subject).toBe('carol');
  });

  it('refuses a user name that cannot be a tenant, and an authorization request without PKCE', async () => {
    const bad = await signIn('not a tenant/../x');
    expect(bad.location).toBeUndefined();
    expect(bad.pages.at(-1)).toContain('role="alert"');
    const withoutPkce = await signIn('dave', { pkce: false });
    const error = withoutPkce.location?.searchParams.get('error') ?? withoutPkce.body;
    expect(error).toMatch(/invalid_request|code_challenge/);
  });
});
