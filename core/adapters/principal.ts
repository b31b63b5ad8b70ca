import { UnauthenticatedError } from '../domain/errors.js';
import type { Principal } from '../ports/authenticator.js';

export interface TokenExpectations {
  issuer: string;
  audience: string;
}

/** A subject becomes a tenant, part of table keys and object keys: no separators, bounded. */
const TENANT = /^[A-Za-z0-9._@:|+-]{1,128}$/;

/** A claim holding several strings: an array, a space-separated string, or API Gateway's "[a b]" rendering of an array. */
function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value !== 'string') return [];
  return value.replace(/^\[(.*)\]$/, '$1').split(/[ ,]+/).filter(Boolean);
}

/**
 * The principal of verified claims. Audience follows API Gateway's JWT authorizer: `aud` must
 * name the audience, or, when a token has no `aud` (Cognito access tokens), `client_id` must.
 * Scopes come from `scope` (or `scp`).
 */
export function principalOf(claims: Record<string, unknown>, expected: TokenExpectations): Principal {
  const audiences = strings(claims.aud);
  const audienceOk = audiences.length ? audiences.includes(expected.audience) : claims.client_id === expected.audience;
  if (!audienceOk) throw new UnauthenticatedError('The token was not issued for this service (audience).', 'invalid');
  if (claims.iss !== expected.issuer) throw new UnauthenticatedError('The token was not issued by the trusted issuer.', 'invalid');
  const subject = claims.sub;
  if (typeof subject !== 'string' || !TENANT.test(subject)) {
    throw new UnauthenticatedError('The token subject must be 1-128 letters, digits or ._@:|+- characters.', 'invalid');
  }
  return { subject, scopes: new Set([...strings(claims.scope), ...strings(claims.scp)]) };
}
