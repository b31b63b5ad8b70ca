import { SCOPES } from '../../core/domain/scopes.js';

/**
 * OpenID Connect authorization code + PKCE for a public client in the browser. The tokens live in
 * this module's memory only; what must survive the redirect to the issuer and back (state, PKCE
 * verifier) stays in sessionStorage until the code is exchanged, then is removed.
 */
interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}
interface Tokens {
  access: string;
  refresh?: string;
  id?: string;
}

const PENDING = 'duet.signin';
const SCOPE = `openid ${SCOPES.read} ${SCOPES.write}`;

let discovery: Discovery | undefined;
let clientId = '';
let issuer = '';
let tokens: Tokens | undefined;

const redirectUri = () => `${location.origin}/`;
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (size = 32) => base64url(crypto.getRandomValues(new Uint8Array(size)));

export class SignInError extends Error {}

/** Learns the issuer and client from the API's /config and the issuer's discovery document. */
export async function configure(config: { auth: { issuer: string; audience: string } }): Promise<void> {
  issuer = config.auth.issuer.replace(/\/$/, '');
  clientId = config.auth.audience;
  if (!/^https?:\/\//.test(issuer)) throw new SignInError(`This deployment's token issuer (${issuer}) is not an OpenID provider, so the page cannot sign in.`);
  const response = await fetch(`${issuer}/.well-known/openid-configuration`).catch(() => undefined);
  if (!response?.ok) throw new SignInError(`The sign-in service at ${issuer} could not be reached.`);
  discovery = (await response.json()) as Discovery;
}

export async function signIn(): Promise<void> {
  const state = random(16);
  const verifier = random();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier }));
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri(), scope: SCOPE, state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${discovery!.authorization_endpoint}?${query}`);
}

async function tokenRequest(body: Record<string, string>): Promise<Tokens> {
  const response = await fetch(discovery!.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, ...body }) });
  const json = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; id_token?: string; error_description?: string; error?: string };
  if (!response.ok || !json.access_token) throw new SignInError(json.error_description ?? json.error ?? `The token endpoint answered ${response.status}.`);
  return { access: json.access_token, ...(json.refresh_token && { refresh: json.refresh_token }), ...(json.id_token && { id: json.id_token }) };
}

/** Back from the issuer: exchanges the code (once) and clears it from the address bar. False when this is no sign-in return. */
export async function completeSignIn(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; verifier: string } | null;
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', '/');
  if (params.has('error')) throw new SignInError(params.get('error_description') ?? params.get('error')!);
  if (!pending || pending.state !== params.get('state')) throw new SignInError('This sign-in was not started here, or already finished. Sign in again.');
  tokens = await tokenRequest({ grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: redirectUri(), code_verifier: pending.verifier });
  return true;
}

/** A fresh access token from the refresh token; false when there is none or it no longer works. */
export async function refresh(): Promise<boolean> {
  if (!tokens?.refresh) return false;
  try {
    const renewed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
    tokens = { ...tokens, ...renewed };
    return true;
  } catch {
    return false;
  }
}

export const accessToken = () => tokens?.access;

/** Who is signed in, from the access token's claims (Cognito's `username`, else `sub`). */
export function userName(): string {
  if (!tokens) return '';
  try {
    const claims = JSON.parse(atob(tokens.access.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; username?: string };
    return claims.username ?? claims.sub ?? '';
  } catch {
    return '';
  }
}

/** Forgets the tokens and ends the issuer's session too (its end_session_endpoint, or Cognito's /logout). */
export function signOut(): void {
  const idToken = tokens?.id;
  tokens = undefined;
  const back = redirectUri();
  if (discovery?.end_session_endpoint) {
    const query = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: back, ...(idToken && { id_token_hint: idToken }) });
    location.assign(`${discovery.end_session_endpoint}?${query}`);
  } else if (discovery) {
    location.assign(`${new URL(discovery.authorization_endpoint).origin}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: back })}`);
  } else {
    location.assign(back);
  }
}
