import type { InitializeMiddleware, MiddlewareStack } from '@smithy/types';
import type { Metrics } from '../core/ports/metrics.js';

/** Times every call an SDK client makes (retries included) and reports it to the metrics. */
export function instrumentClient<I extends object, O extends object>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  dependency: 'dynamodb' | 's3',
  metrics: Metrics,
): void {
  const middleware: InitializeMiddleware<I, O> = (next, context) => async (args) => {
    const started = performance.now();
    const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
    const record = (outcome: 'ok' | 'error') => metrics.dependencyCalled({ dependency, operation, outcome }, (performance.now() - started) / 1000);
    try {
      const result = await next(args);
      record('ok');
      return result;
    } catch (error) {
      record('error');
      throw error;
    }
  };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'duetMetrics' });
}
