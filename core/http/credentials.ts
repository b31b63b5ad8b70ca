import type { Credentials } from '../ports/authenticator.js';
import type { HttpRequest } from './types.js';

/** The bearer token of an Authorization header, or undefined when there is none. */
export function bearerToken(headers: HttpRequest['headers']): string | undefined {
  const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** What the authenticator needs of a request, and nothing else of it. */
export function credentialsOf(request: HttpRequest): Credentials {
  const token = bearerToken(request.headers);
  return {
    authorizationSent: Boolean(request.headers.authorization),
    ...(token !== undefined && { bearerToken: token }),
    ...(request.authorizerClaims && { gatewayClaims: request.authorizerClaims }),
  };
}
