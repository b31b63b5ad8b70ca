/**
 * The bucket's CORS rule for browser uploads and downloads through presigned URLs (the headers the
 * SDK signs), apart from its origins. cdktf gives it to the deployed bucket (the UI's origins), and
 * scripts/local-stack.ts to the local s3rver bucket (any loopback port), so both answer alike.
 */
export const ATTACHMENT_CORS: { allowedMethods: ('GET' | 'PUT' | 'HEAD')[]; allowedHeaders: string[] } = {
  allowedMethods: ['GET', 'PUT', 'HEAD'],
  allowedHeaders: ['content-type', 'content-length', 'content-md5'],
};
