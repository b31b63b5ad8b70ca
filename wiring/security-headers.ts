import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet, set for a JSON API as OWASP's REST Security Cheat Sheet asks: no framing, no content
 * sniffing, nothing loaded or referred from a response, HTTPS only, same-origin embedding. The
 * headers that only concern HTML pages or retired browsers (Origin-Agent-Cluster, COOP, DNS
 * prefetch, IE's download options, Flash's cross-domain policies, the XSS auditor) are left off:
 * each costs every response bytes and time for nothing here. Both runtimes send the headers it
 * sets, captured once (helmetHeaders): as an Express middleware it would cost a layer per request.
 */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  originAgentCluster: false,
  crossOriginOpenerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** The headers helmet sets on a response, captured once from the middleware itself. */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * The one place that decides how the security headers meet a response's own: the response's value
 * wins where both set a header, and the policy's fill in the rest. Both runtimes call it, in the
 * form each sends headers in.
 */
export function securityHeaders() {
  const policy = helmetHeaders();
  const entries = Object.entries(policy);
  return {
    /** Appends, as name/value pairs (Node's writeHead list), each policy header the response does not set. */
    appendMissing(responseHeaders: Record<string, string>, list: string[]): void {
      for (const [name, value] of entries) if (!(name in responseHeaders)) list.push(name, value);
    },
    /** The response's headers over the policy's, as one record (an API Gateway result). */
    merge(responseHeaders: Record<string, string>): Record<string, string> {
      return { ...policy, ...responseHeaders };
    },
  };
}
