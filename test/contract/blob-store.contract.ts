import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { makeClock } from '../support/fixtures.js';
import type { Clock } from '../../core/ports/clock.js';

/** The behaviour every BlobStore adapter must have; run against memory and s3rver. */
export function describeBlobStoreContract(name: string, makeStore: (clock: Clock) => BlobStore) {
  describe(`BlobStore contract: ${name}`, () => {
    it('presigns a PUT that names the content type and expires when asked', async () => {
      const clock = makeClock();
      const put = await makeStore(clock).presignPut('tenants/t/tasks/x/a', { contentType: 'image/png', size: 3, expiresInSeconds: 60 });
      expect(new URL(put.url).protocol).toMatch(/^https?:$/);
      expect(put.headers).toEqual({ 'content-type': 'image/png' });
      expect(put.expiresAt.getTime() - clock.now().getTime()).toBe(60_000);
    });

    it('presigns a GET that expires when asked', async () => {
      const clock = makeClock();
      const get = await makeStore(clock).presignGet('tenants/t/tasks/x/a', { filename: 'ä b.png', expiresInSeconds: 30 });
      expect(new URL(get.url).pathname).toContain('tenants/t/tasks/x/a');
      expect(get.expiresAt.getTime() - clock.now().getTime()).toBe(30_000);
    });

    it('deletes keys that do not exist without complaint', async () => {
      await expect(makeStore(makeClock()).deleteObjects(['tenants/t/tasks/none/none'])).resolves.toBeUndefined();
    });

    it('reports itself ready', async () => {
      await expect(makeStore(makeClock()).checkReady()).resolves.toBeUndefined();
    });
  });
}
