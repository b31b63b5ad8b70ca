/** A presigned request a client sends straight to the blob store. */
export interface PresignedRequest {
  url: string;
  /** Headers the client must send with the request, exactly as given. */
  headers: Record<string, string>;
  expiresAt: Date;
}

/** Object storage for attachment bytes; the service only hands out presigned URLs. */
export interface BlobStore {
  presignPut(key: string, options: { contentType: string; size: number; expiresInSeconds: number }): Promise<PresignedRequest>;
  presignGet(key: string, options: { filename: string; expiresInSeconds: number }): Promise<PresignedRequest>;
  /** Deletes the objects; missing keys are not an error. */
  deleteObjects(keys: string[]): Promise<void>;
  /** Resolves when the bucket answers; rejects otherwise, or once `signal` aborts (the check is then cancelled). */
  checkReady(signal?: AbortSignal): Promise<void>;
}
