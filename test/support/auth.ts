import { createLocalJWKSet } from 'jose';
import { inject } from 'vitest';
import { createJwtAuthenticator } from '../../core/adapters/jwt-authenticator.js';
import { DEV_AUDIENCE, DEV_ISSUER, newKey, publicJwk, signDevToken, type TokenOptions } from '../../scripts/dev-issuer.js';

/** AUTH_* variables for tests that only load a configuration (nothing is fetched from this URL). */
export const OFFLINE_AUTH_ENV = { AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json' };

/** The origin the conformance targets allow (CORS_ORIGINS). */
export const TEST_CORS_ORIGIN = 'https://app.example.test';

/** The dev issuer the global setup runs: what a runtime process needs to trust it, and tokens it signs. */
export function devIssuer() {
  const key = inject('issuerKey');
  return {
    env: { ...inject('authEnv'), CORS_ORIGINS: TEST_CORS_ORIGIN },
    token: (sub: string, options: Omit<TokenOptions, 'sub'> = {}) => signDevToken(key, { sub, ...options }),
  };
}

/** An in-process authenticator over a fresh key, for unit tests of the core (no JWKS server). */
export async function localAuth() {
  const key = await newKey();
  const authenticator = createJwtAuthenticator({
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    jwksUrl: OFFLINE_AUTH_ENV.AUTH_JWKS_URL,
    keys: createLocalJWKSet({ keys: [publicJwk(key)] }),
  });
  return { key, authenticator, token: (sub: string, options: Omit<TokenOptions, 'sub'> = {}) => signDevToken(key, { sub, ...options }) };
}
