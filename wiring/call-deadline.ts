import type { HttpHandlerOptions } from '@smithy/types';

type Send = (command: any, options?: HttpHandlerOptions) => Promise<any>;

/**
 * Bounds every call of an SDK client, retries and backoff included. At the deadline the call's
 * AbortSignal fires, which destroys the socket of the attempt in flight and cancels any retry
 * still to come, and the caller gets a TimeoutError at once, whatever the SDK still waits on (a
 * response body that never ends, a retry delay, credentials). A signal the caller passes applies too.
 */
export function withCallDeadline<C extends { send: Send }>(client: C, deadlineMs: number): C {
  const send: Send = client.send.bind(client);
  const bounded: Send = async (command, options) => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // The name core/adapters/aws-errors.ts counts as "unavailable", as the SDK's own timeouts are.
        const error = Object.assign(new Error(`The call took longer than its ${deadlineMs} ms deadline.`), { name: 'TimeoutError' });
        controller.abort(error);
        reject(error);
      }, deadlineMs);
    });
    const caller = options?.abortSignal as AbortSignal | undefined;
    const abortSignal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
    try {
      return await Promise.race([send(command, { ...options, abortSignal }), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
  client.send = bounded as C['send'];
  return client;
}
