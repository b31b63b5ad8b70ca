import { createGatewayAuthenticator } from '../core/adapters/gateway-authenticator.js';
import { config } from './compose.js';

/**
 * How the per-route functions that need a token learn who calls. Behind API Gateway's JWT
 * authorizer (AUTH_CLAIMS=gateway) they read the claims it verified; elsewhere (serverless-offline,
 * which does not enforce it) they verify the token, and only then load jose. The lambdalith always
 * verifies (lambdalith.ts).
 */
export const authenticator =
  config.auth.claims === 'gateway'
    ? createGatewayAuthenticator(config.auth)
    : (await import('../core/adapters/jwt-authenticator.js')).createJwtAuthenticator(config.auth);
