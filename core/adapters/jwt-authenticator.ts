import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { DependencyUnavailableError, UnauthenticatedError } from '../domain/errors.js';
import type { Authenticator, Principal } from '../ports/authenticator.js';
import { principalOf, type TokenExpectations } from './principal.js';

/** API Gateway's JWT authorizer accepts RSA signatures only; every target accepts the same. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
/** Leeway for clocks that disagree a little on exp and nbf. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** How long a verified token is trusted without checking its signature again (never past its exp). */
const CACHE_MS = 5 * 60_000;

export interface JwtAuthenticatorOptions extends TokenExpectations {
  jwksUrl: string;
  /** Tests inject a key set; production fetches the issuer's JWKS (cached, refreshed on unknown kid). */
  keys?: JWTVerifyGetKey;
}

/** Failing to get the issuer's keys is an outage (503); anything else jose rejects is a bad token (401). */
function isKeySetFailure(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC';
}

const describe = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not acceptable.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return `The token must be signed with one of ${ALGORITHMS.join(', ')}.`;
  if (error instanceof errors.JWKSNoMatchingKey) return "The token was not signed with any of the issuer's keys.";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The token signature does not verify.';
  return 'The token is malformed.';
};

/**
 * Verifies bearer tokens in the process (jose): signature against the issuer's JWKS, issuer,
 * audience, expiry and not-before with a small tolerance. Verified tokens are remembered by
 * their exact text, so a warm process checks each token's signature once.
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const keys =
    options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 2000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  const verified = new LRUCache<string, Principal>({ max: 10_000 });

  async function verify(token: string): Promise<JWTPayload> {
    try {
      // No `audience` here: jose would refuse Cognito access tokens, which carry client_id instead
      // of aud; principalOf checks both by the JWT rules (exact string or array member).
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      if (isKeySetFailure(error)) throw new DependencyUnavailableError("The token issuer's keys could not be fetched.", 5, { cause: error });
      throw new UnauthenticatedError(describe(error), 'invalid', { cause: error });
    }
  }

  return {
    async authenticate({ bearerToken: token }) {
      if (!token) throw new UnauthenticatedError('Send a bearer token: Authorization: Bearer <token>.', 'missing');
      const known = verified.get(token);
      if (known) return known;
      const claims = await verify(token);
      const principal = principalOf(claims, options, 'jwt');
      const ttl = Math.min(CACHE_MS, (claims.exp as number) * 1000 - Date.now());
      if (ttl > 0) verified.set(token, principal, { ttl });
      return principal;
    },
  };
}
