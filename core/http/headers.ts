import * as z from 'zod';

/** The request headers the route table documents and the routes validate. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters');
export const IfMatchHeader = z.object({ 'if-match': z.string().optional() });
