import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's defaults, tightened for a JSON API that no page should frame or load scripts from.
 * Express uses the middleware; the Lambda adapter sends the headers it sets (helmetHeaders).
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
};

export const securityHeaders = () => helmet(HELMET_OPTIONS);

/** The headers helmet sets on a response, captured once from the middleware itself. */
export function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  securityHeaders()({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}
