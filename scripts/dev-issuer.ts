// The dev signing key: an RSA key under .data/ signs tokens (`npm run token -- --sub alice`) and
// is the key of the local OpenID provider `npm start` and `npm run dev:lambda` run
// (scripts/oidc-issuer.ts). startDevIssuer, a bare JWKS server, stands in for an issuer where only
// keys are needed (the tests, the bench, the image test).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { SCOPES } from '../core/domain/scopes.js';

export const DEV_ISSUER = 'duet-dev-issuer';
export const DEV_AUDIENCE = 'duet';
const ALG = 'RS256';

/**
 * The folder `npm start`, `npm run dev:lambda` and `npm run token` keep their data in: `.data/`
 * of the working directory (npm runs scripts in the package root), or DUET_DATA_DIR.
 */
export function localDataDir(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  return env.DUET_DATA_DIR ? resolve(cwd, env.DUET_DATA_DIR) : join(cwd, '.data');
}

export const devKeyFile = (dir: string) => join(dir, 'dev-issuer-key.json');

/** The private key (a JWK with its kid), made on first use and kept under `dir`. */
export async function loadOrCreateDevKey(dir: string): Promise<JWK> {
  const path = devKeyFile(dir);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as JWK;
  const jwk = await newKey();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

export async function newKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: ALG, use: 'sig' };
}

export function publicJwk({ kid, alg, use, kty, n, e }: JWK): JWK {
  return { kid, alg, use, kty, n, e } as JWK;
}

export interface TokenOptions {
  sub: string;
  scope?: string;
  /** Lifetime in seconds from now; negative makes an expired token. */
  ttl?: number;
  /** Seconds from now before which the token is not valid. */
  notBefore?: number;
  aud?: string | string[];
  iss?: string;
}

/** A token as the issuer would sign it: both scopes, one hour, the dev audience and issuer. */
export async function signDevToken(key: JWK, options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: options.scope ?? `${SCOPES.read} ${SCOPES.write}` })
    .setProtectedHeader({ alg: ALG, kid: key.kid!, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.iss ?? DEV_ISSUER)
    .setAudience(options.aud ?? DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.ttl ?? 3600));
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(await importJWK(key, ALG));
}

export interface RunningIssuer {
  jwksUrl: string;
  /** The variables that make a runtime trust this issuer. */
  env: { AUTH_ISSUER: string; AUTH_AUDIENCE: string; AUTH_JWKS_URL: string };
  stop(): Promise<void>;
}

/** Serves the key's public half as a JWKS on 127.0.0.1. */
export async function startDevIssuer(key: JWK, port = 0): Promise<RunningIssuer> {
  const jwks = JSON.stringify({ keys: [publicJwk(key)] });
  const server = createServer((req, res) => {
    const found = (req.url ?? '/').split('?')[0] === '/.well-known/jwks.json';
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
    res.end(found ? jwks : '{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
  return {
    jwksUrl,
    env: { AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_URL: jwksUrl },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
