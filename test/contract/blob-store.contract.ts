import { describe, expect, it } from 'vitest';
import { objectKey } from '../../core/domain/attachment.js';
import type { BlobStore } from '../../core/ports/blob-store.js';
import { makeClock, nextId } from '../support/fixtures.js';
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

    it('presigns a GET for a filename stored before text was checked (a lone surrogate), instead of failing', async () => {
      const get = await makeStore(makeClock()).presignGet('tenants/t/tasks/x/a', { filename: 'r\ud800.pdf', expiresInSeconds: 30 });
      expect(new URL(get.url).pathname).toContain('tenants/t/tasks/x/a');
    });

    it.each([
      ['.', '%2E'],
      ['..', '%2E%2E'],
      ['a/../b', 'a%2F..%2Fb'],
      ['a\\b', 'a%5Cb'],
      ['%2E%2E', '%252E%252E'],
    ])("keeps the objects of tenant %j under tenants/%s/, whatever a URL parser does with the presigned URLs", async (tenant, segment) => {
      const [taskId, attachmentId] = [nextId(), nextId()];
      const key = objectKey(tenant, taskId, attachmentId);
      const store = makeStore(makeClock());
      const put = await store.presignPut(key, { contentType: 'text/plain', size: 1, expiresInSeconds: 60 });
      const get = await store.presignGet(key, { filename: 'a.txt', expiresInSeconds: 60 });
      expect(key).toBe(`tenants/${segment}/tasks/${taskId}/${attachmentId}`);
      for (const { url } of [put, get]) {
        expect(new URL(url).pathname).toMatch(new RegExp(`/tenants/${encodeURIComponent(segment)}/tasks/${taskId}/${attachmentId}$`));
      }
    });

    it('deletes keys that do not exist without complaint', async () => {
      await expect(makeStore(makeClock()).deleteObjects(['tenants/t/tasks/none/none'])).resolves.toBeUndefined();
    });

    it('reports itself ready', async () => {
      await expect(makeStore(makeClock()).checkReady()).resolves.toBeUndefined();
    });
  });
}
