import * as z from 'zod';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, invalid or unknown fields',
  401: 'No bearer token, or a token that is expired, not yet valid, for another audience or issuer, or not signed by the issuer (see WWW-Authenticate)',
  403: "The token lacks the operation's scope (see WWW-Authenticate)",
  404: 'No such resource',
  409: 'Conflict with the current state (CONFLICT: concurrent writes kept winning; retry after Retry-After seconds)',
  412: 'If-Match does not match the current ETag',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  422: 'Idempotency-Key reused with a different body',
  503: 'A dependency is unavailable; retry after Retry-After seconds',
};

export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: DESCRIPTIONS[status] ?? 'Problem', schema: Problem, contentType: 'application/problem+json' }]),
  );
}
