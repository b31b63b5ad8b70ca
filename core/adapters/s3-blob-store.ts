import { DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import { wellFormed } from '../domain/text.js';
import { translateAwsError } from './aws-errors.js';

/** DeleteObjects takes at most 1000 keys per request. */
const DELETE_BATCH = 1000;

/** The S3 blob store; the client must be built with requestChecksumCalculation 'WHEN_REQUIRED' so presigned URLs carry no checksum the browser cannot send. */
export function createS3BlobStore({ client, bucketName, clock }: { client: S3Client; bucketName: string; clock: Clock }): BlobStore {
  const send = translateAwsError('S3');
  const expiry = (seconds: number) => new Date(clock.now().getTime() + seconds * 1000);
  return {
    async presignPut(key, { contentType, size, expiresInSeconds }) {
      const command = new PutObjectCommand({ Bucket: bucketName, Key: key, ContentType: contentType, ContentLength: size });
      const url = await getSignedUrl(client, command, {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(['content-type', 'content-length']),
      });
      return { url, headers: { 'content-type': contentType }, expiresAt: expiry(expiresInSeconds) };
    },

    async presignGet(key, { filename, expiresInSeconds }) {
      const command = new GetObjectCommand({
        Bucket: bucketName,
        Key: key,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(wellFormed(filename))}`,
      });
      const url = await getSignedUrl(client, command, { expiresIn: expiresInSeconds });
      return { url, headers: {}, expiresAt: expiry(expiresInSeconds) };
    },

    async deleteObjects(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const batch = keys.slice(start, start + DELETE_BATCH);
        await send(() =>
          client.send(
            new DeleteObjectsCommand({ Bucket: bucketName, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
          ),
        );
      }
    },

    async checkReady(signal) {
      await send(() => client.send(new HeadBucketCommand({ Bucket: bucketName }), { abortSignal: signal }));
    },
  };
}
