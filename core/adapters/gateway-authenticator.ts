import { UnauthenticatedError } from '../domain/errors.js';
import type { Authenticator } from '../ports/authenticator.js';
import { principalOf, type TokenExpectations } from './principal.js';

/**
 * Trusts the claims API Gateway's JWT authorizer verified (signature, issuer, audience, expiry)
 * and put in the request context. Only for functions behind that authorizer: a request that
 * arrives without claims was not authorized, and is refused.
 */
export function createGatewayAuthenticator(expected: TokenExpectations): Authenticator {
  return {
    async authenticate({ gatewayClaims, authorizationSent }) {
      if (!gatewayClaims) {
        const reason = authorizationSent ? 'invalid' : 'missing';
        throw new UnauthenticatedError('The API Gateway authorizer verified no token for this request.', reason);
      }
      return principalOf(gatewayClaims, expected, 'gateway');
    },
  };
}
