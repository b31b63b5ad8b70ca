import { UnauthenticatedError } from '../domain/errors.js';
import { isTenant, TENANT_RULE } from '../domain/tenant.js';
import type { Principal } from '../ports/authenticator.js';

export interface TokenExpectations {
  issuer: string;
  audience: string;
}

/**
 * Where claims come from: `jwt`, a verified token's own payload (JSON strings and arrays), or
 * `gateway`, API Gateway's JWT authorizer, which renders every claim as a string and an array as
 * "[a b]". Only the second needs, and may have, the bracket parser: in a token's own `aud`, the
 * string "[other duet]" is one audience, not two.
 */
export type ClaimSource = 'jwt' | 'gateway';

const strings = (values: unknown[]) => values.filter((item): item is string => typeof item === 'string');

/** The members of a claim that may hold several strings; `delimited` splits strings on whitespace (as `scope` is). */
function members(value: unknown, source: ClaimSource, delimited: boolean): string[] {
  if (Array.isArray(value)) return strings(value);
  if (typeof value !== 'string') return [];
  const rendered = source === 'gateway' ? /^\[(.*)\]$/s.exec(value) : null;
  if (rendered) return rendered[1]!.split(/\s+/).filter(Boolean);
  return delimited ? value.split(/\s+/).filter(Boolean) : [value];
}

/**
 * The principal of verified claims. Audience follows the JWT rules, as API Gateway's JWT
 * authorizer applies them: `aud` must be the audience or an array holding it, exactly; a token
 * without `aud` (Cognito access tokens) must carry the audience as `client_id`. Scopes come from
 * `scope` (space-delimited) and `scp`. The subject must be a tenant (core/domain/tenant.ts).
 */
export function principalOf(claims: Record<string, unknown>, expected: TokenExpectations, source: ClaimSource): Principal {
  const audienceOk =
    claims.aud === undefined ? claims.client_id === expected.audience : members(claims.aud, source, false).includes(expected.audience);
  if (!audienceOk) throw new UnauthenticatedError('The token was not issued for this service (audience).', 'invalid');
  if (claims.iss !== expected.issuer) throw new UnauthenticatedError('The token was not issued by the trusted issuer.', 'invalid');
  const subject = claims.sub;
  if (!isTenant(subject)) throw new UnauthenticatedError(`The token subject must be ${TENANT_RULE}.`, 'invalid');
  return { subject, scopes: new Set([...members(claims.scope, source, true), ...members(claims.scp, source, true)]) };
}
