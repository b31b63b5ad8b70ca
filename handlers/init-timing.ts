// Imported first by every function's entry file (handlers/*.ts), so its clock starts as the
// bundle's own code begins to run: what follows until the first invocation is the function's init.
const loadedAt = performance.now();
let invoked = false;

/**
 * On the sandbox's first invocation, the milliseconds from this module's load to now (the
 * function's init, which Lambda bills as its INIT phase); on every later one, undefined.
 */
export function takeInitDuration(): number | undefined {
  if (invoked) return undefined;
  invoked = true;
  return performance.now() - loadedAt;
}

/** Adds `init;dur=<ms>` to a response's Server-Timing when the invocation was the sandbox's first. */
export function addInitTiming(headers: Record<string, unknown> | undefined, initMs: number | undefined): void {
  if (!headers || initMs === undefined) return;
  const timing = `init;dur=${initMs.toFixed(3)}`;
  headers['server-timing'] = typeof headers['server-timing'] === 'string' ? `${headers['server-timing']}, ${timing}` : timing;
}

/** Wraps a handler that does not go through createLambdaHandler (the lambdalith's). */
export function withInitTiming<E, C, R extends { headers?: Record<string, unknown> }>(handler: (event: E, context: C) => Promise<R>) {
  return async (event: E, context: C): Promise<R> => {
    const initMs = takeInitDuration();
    const result = await handler(event, context);
    addInitTiming(result.headers, initMs);
    return result;
  };
}
