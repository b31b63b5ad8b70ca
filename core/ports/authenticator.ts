/** Who is calling, as a verified token says: the subject is the tenant of everything they touch. */
export interface Principal {
  subject: string;
  scopes: ReadonlySet<string>;
}

/** What a request presents to prove who calls; the transport reads it (core/http/credentials.ts). */
export interface Credentials {
  /** The token of an `Authorization: Bearer <token>` header; absent when there is none or it is not a bearer token. */
  bearerToken?: string;
  /** Whether the request carried an Authorization header at all, whatever its scheme. */
  authorizationSent: boolean;
  /** Claims API Gateway's JWT authorizer verified, when one ran (Lambda only). */
  gatewayClaims?: Record<string, unknown>;
}

/**
 * Turns a request's credentials into a principal, or throws UnauthenticatedError (401), or
 * DependencyUnavailableError when the issuer's keys cannot be fetched (503).
 */
export interface Authenticator {
  authenticate(credentials: Credentials): Promise<Principal>;
}
