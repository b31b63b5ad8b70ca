import type { HttpRequest } from '../http/types.js';

/** Who is calling, as a verified token says: the subject is the tenant of everything they touch. */
export interface Principal {
  subject: string;
  scopes: ReadonlySet<string>;
}

/**
 * Turns a request's credentials into a principal, or throws UnauthenticatedError (401), or
 * DependencyUnavailableError when the issuer's keys cannot be fetched (503).
 */
export interface Authenticator {
  authenticate(request: HttpRequest): Promise<Principal>;
}
