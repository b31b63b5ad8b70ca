/**
 * The keys for the local stand-ins (s3rver checks signatures against exactly these); static keys
 * also stop the SDK from probing for cloud credentials.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * How long a request that meets a stalled DynamoDB or S3 waits at most before its 503 with
 * Retry-After: one SDK call's deadline plus the rest of the request (the calls that succeeded
 * before the stall began, and the answer). Inside the Lambda timeout (serverless.yml) and the
 * container's drain.
 */
export const DEPENDENCY_STALL_BOUND_MS = 6000;

/** The hard deadline of one SDK call, retries and backoff included (wiring/call-deadline.ts). */
export const SDK_CALL_DEADLINE_MS = 4500;

/**
 * Every attempt gives up fast: 1 s to connect, 1.2 s to the response's headers. Without
 * throwOnRequestTimeout @smithy/node-http-handler only logs that requestTimeout has passed and
 * waits on. Three attempts with the SDK's standard retry (jittered backoff under 150 ms) end by
 * about 3.8 s, inside the call's deadline, which also bounds what the attempts do not: a body
 * that never ends, a throttling backoff, a credential lookup.
 */
export const SDK_CLIENT_OPTIONS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1000, requestTimeout: 1200, throwOnRequestTimeout: true },
} as const;

/** Something built from the configuration, with what releases it (an SDK client's sockets). */
export interface Built<T> {
  value: T;
  close(): void;
}
