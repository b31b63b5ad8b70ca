import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketCorsConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-cors-configuration/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { createPolicyDocument } from './policy.js';

export interface BucketCorsOptions {
  allowedOrigins: string[];
  allowedMethods: ('GET' | 'PUT' | 'HEAD')[];
  allowedHeaders: string[];
}

export interface PrivateBucketOptions {
  bucketName: string;
  /** Days a replaced or deleted object version is kept before it expires. */
  noncurrentVersionDays: number;
  /** Days before parts of an abandoned multipart upload are removed. */
  abortIncompleteUploadDays: number;
  cors?: BucketCorsOptions;
}

/**
 * A bucket nobody outside the account can reach: public access blocked, ACLs disabled, SSE,
 * versioning with expiry of old versions, TLS-only policy. Both stacks' buckets are this one.
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, options: PrivateBucketOptions) {
    super(scope, id);
    const bucket = new S3Bucket(this, 'bucket', { bucket: options.bucketName, forceDestroy: false });
    this.bucket = bucket;

    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'expire-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: options.noncurrentVersionDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
        {
          id: 'abort-incomplete-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: options.abortIncompleteUploadDays }],
        },
      ],
    });

    // A Deny on every S3 action for every principal is the point of a TLS-only policy.
    const tlsOnly = createPolicyDocument(this, 'tls-only', [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
    // The public access block goes first: S3 checks a new policy against it.
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy: tlsOnly.json, dependsOn: [publicAccess] });

    if (options.cors) {
      new S3BucketCorsConfiguration(this, 'cors', {
        bucket: bucket.id,
        corsRule: [{ ...options.cors, exposeHeaders: ['ETag'], maxAgeSeconds: 3000 }],
      });
    }
  }
}
