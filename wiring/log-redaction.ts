const CREDENTIAL_KEYS = ['authorization', 'cookie', 'token', 'password', 'secret'];

/**
 * Where a credential could appear in what both runtimes log (a value, request headers, an error):
 * explicit paths only, since pino's wildcard paths cost 3-5x per line and every request writes one.
 * Its own module so the functions' logger (handlers/logger.ts) takes it without Node pino.
 */
export const REDACT_PATHS = CREDENTIAL_KEYS.flatMap((key) => [key, `headers.${key}`, `req.headers.${key}`, `request.headers.${key}`, `err.${key}`]);
