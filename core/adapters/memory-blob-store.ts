import { createHmac } from 'node:crypto';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';

/**
 * The in-memory twin of the S3 blob store. It hands out URLs under `baseUrl` signed with an
 * HMAC of method, key and expiry, and keeps the set of live keys so deletes are observable.
 * Nothing serves those URLs: it is for `--memory` runs and tests that never upload bytes.
 */
export function createMemoryBlobStore({
  clock,
  baseUrl = 'http://127.0.0.1/memory-blobs',
  secret = 'memory-blob-store',
}: {
  clock: Clock;
  baseUrl?: string;
  secret?: string;
}): BlobStore & { keys(): string[] } {
  const live = new Set<string>();
  const sign = (method: string, key: string, expiresInSeconds: number) => {
    const expiresAt = new Date(clock.now().getTime() + expiresInSeconds * 1000);
    const signature = createHmac('sha256', secret).update(`${method}\n${key}\n${expiresAt.toISOString()}`).digest('hex');
    const url = `${baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}?expires=${expiresAt.getTime()}&signature=${signature}`;
    return { url, expiresAt };
  };
  return {
    async presignPut(key, { contentType, expiresInSeconds }) {
      live.add(key);
      return { ...sign('PUT', key, expiresInSeconds), headers: { 'content-type': contentType } };
    },
    async presignGet(key, { expiresInSeconds }) {
      return { ...sign('GET', key, expiresInSeconds), headers: {} };
    },
    async deleteObjects(keys) {
      for (const key of keys) live.delete(key);
    },
    async checkReady() {},
    keys: () => [...live].sort(),
  };
}
