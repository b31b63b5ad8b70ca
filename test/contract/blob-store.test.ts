import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../../core/adapters/memory-blob-store.js';
import { createS3BlobStore } from '../../core/adapters/s3-blob-store.js';
import { systemClock } from '../../core/adapters/system.js';
import { objectKey } from '../../core/domain/attachment.js';
import { DependencyUnavailableError } from '../../core/domain/errors.js';
import { nextId } from '../support/fixtures.js';
import { freshStack } from '../support/stack.js';
import { describeBlobStoreContract } from './blob-store.contract.js';
import { S3Client } from '@aws-sdk/client-s3';
import { freePort, LOCAL_CREDENTIALS } from '../../scripts/local-stack.js';

const stack = await freshStack();
afterAll(() => stack.close());
const s3Store = () => createS3BlobStore({ client: stack.s3, bucketName: stack.bucketName, clock: systemClock });

describeBlobStoreContract('memory', (clock) => createMemoryBlobStore({ clock }));
describeBlobStoreContract('s3rver', (clock) => createS3BlobStore({ client: stack.s3, bucketName: stack.bucketName, clock }));

describe('S3 blob store against s3rver', () => {
  it('accepts bytes sent to the presigned PUT and serves them from the presigned GET', async () => {
    const body = Buffer.from('hello attachment');
    const put = await s3Store().presignPut('tenants/t/tasks/1/a', { contentType: 'text/plain', size: body.length, expiresInSeconds: 60 });
    const upload = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(upload.status).toBe(200);
    const get = await s3Store().presignGet('tenants/t/tasks/1/a', { filename: 'hello.txt', expiresInSeconds: 60 });
    const download = await fetch(get.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(body);
    expect(download.headers.get('content-disposition')).toContain('hello.txt');
  });

  it("stores an upload for tenant '..' under tenants/%2E%2E/, inside the tenants/ prefix", async () => {
    const [taskId, attachmentId] = [nextId(), nextId()];
    const put = await s3Store().presignPut(objectKey('..', taskId, attachmentId), { contentType: 'text/plain', size: 1, expiresInSeconds: 60 });
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'x' })).status).toBe(200);
    const listed = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName }));
    const keys = (listed.Contents ?? []).map((object) => object.Key).filter((key) => key?.endsWith(attachmentId));
    expect(keys).toEqual([`tenants/%2E%2E/tasks/${taskId}/${attachmentId}`]);
  });

  it('deletes every object it is given', async () => {
    const keys = ['tenants/t/tasks/2/a', 'tenants/t/tasks/2/b'];
    for (const Key of keys) await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key, Body: 'x' }));
    await s3Store().deleteObjects(keys);
    for (const Key of keys) {
      await expect(stack.s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    }
  });

  it('reports an unreachable S3 as DependencyUnavailableError', async () => {
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${await freePort()}`,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const store = createS3BlobStore({ client, bucketName: 'none', clock: systemClock });
    await expect(store.checkReady()).rejects.toBeInstanceOf(DependencyUnavailableError);
    client.destroy();
  });
});
