import { DependencyUnavailableError } from '../domain/errors.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** True for failures that say the dependency is down or overloaded, not that the request was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const meta = (error as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string }).$metadata;
  const status = meta?.httpStatusCode;
  return (
    NETWORK_CODES.has((error as { code?: string }).code ?? '') ||
    ['TimeoutError', 'AbortError', 'RequestTimeout', 'ThrottlingException', 'ProvisionedThroughputExceededException',
      'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable', 'SlowDown'].includes(error.name) ||
    (status !== undefined && status >= 500)
  );
}

/** Wraps SDK calls so an unreachable or overloaded service surfaces as DependencyUnavailableError. */
export function translateAwsError(service: string) {
  return async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (isUnavailable(error)) throw new DependencyUnavailableError(`${service} is unavailable.`, 1, { cause: error });
      throw error;
    }
  };
}
