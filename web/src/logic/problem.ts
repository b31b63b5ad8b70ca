/** An RFC 9457 problem document as the API sends it. */
export interface Problem {
  title: string;
  detail: string;
  status: number;
  code?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

/**
 * What to show for a failed response: the problem document's title and detail when the body is
 * one, else a title from the status and what the body said; never an empty message.
 */
export function toProblem(status: number, body: unknown, statusText = ''): Problem {
  if (body && typeof body === 'object') {
    const doc = body as Record<string, unknown>;
    if (typeof doc.title === 'string') {
      const errors = Array.isArray(doc.errors)
        ? doc.errors.filter((item): item is { path: string; message: string } => !!item && typeof item === 'object' && typeof (item as { message?: unknown }).message === 'string')
        : undefined;
      return {
        title: doc.title,
        detail: typeof doc.detail === 'string' && doc.detail ? doc.detail : doc.title,
        status: typeof doc.status === 'number' ? doc.status : status,
        ...(typeof doc.code === 'string' && { code: doc.code }),
        ...(typeof doc.requestId === 'string' && { requestId: doc.requestId }),
        ...(errors?.length && { errors }),
      };
    }
    // API Gateway's own refusals: {"message":"Unauthorized"}.
    if (typeof doc.message === 'string') return { title: statusTitle(status, statusText), detail: doc.message, status };
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 300) : '';
  return { title: statusTitle(status, statusText), detail: text || (status === 0 ? 'The server could not be reached. Check the connection and try again.' : `The server answered ${status}.`), status };
}

function statusTitle(status: number, statusText: string): string {
  if (status === 0) return 'Network error';
  return statusText ? `${status} ${statusText}` : `Request failed (${status})`;
}

/** One line for a problem: its detail, and each field error as `path: message`. */
export function problemLines(problem: Problem): string[] {
  return [problem.detail, ...(problem.errors ?? []).map((error) => (error.path ? `${error.path}: ${error.message}` : error.message))];
}
