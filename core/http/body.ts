import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type * as z from 'zod';
import type { ZodType } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';
import type { HttpRequest } from './types.js';

export const MAX_BODY_BYTES = 64 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Accepts `application/json` and `+json` types, in UTF-8 (the only charset JSON allows on the wire). */
function assertJsonContentType(header: string | undefined, accepted: string[]): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replaceAll('"', '');
  if (!accepted.includes(type) || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new UnsupportedMediaTypeError(`Send the body as ${accepted.join(' or ')} in UTF-8.`);
  }
}

export function toZodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

export function validate<S extends ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`The ${what} is not valid.`, toZodIssues(parsed.error));
  return parsed.data;
}

const DECODERS: Record<string, typeof gunzipSync> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/**
 * Undoes the body's Content-Encoding (API Gateway passes it on as sent, base64-encoded; the
 * container's body parser has already done it). Decoded output past the limit is a 413, so a small
 * compressed body cannot expand into a large one; bytes the coding cannot decode are a 400.
 */
function decodeContent(raw: string | Uint8Array, header: string | undefined): string | Uint8Array {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return raw;
  if (!Object.hasOwn(DECODERS, coding)) throw new UnsupportedMediaTypeError(`Content-Encoding ${coding} is not supported: send identity, gzip, deflate or br.`);
  const decode = DECODERS[coding]!;
  try {
    return decode(typeof raw === 'string' ? Buffer.from(raw) : raw, { maxOutputLength: MAX_BODY_BYTES + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes once decoded.`);
    throw new MalformedJsonError(`The body is not valid ${coding} data.`);
  }
}

/** Parses the JSON body without validating it; 415 for other media types, 413 past the limit, 400 when malformed. */
export function readJson(request: HttpRequest, accepted = ['application/json']): unknown {
  assertJsonContentType(request.headers['content-type'], accepted);
  const sent = request.body ?? '';
  const bytes = typeof sent === 'string' ? Buffer.byteLength(sent) : sent.byteLength;
  if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes.`);
  const raw = decodeContent(sent, request.headers['content-encoding']);
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : decoder.decode(raw);
  } catch {
    throw new MalformedJsonError('The body is not valid UTF-8.');
  }
  if (text.trim() === '') throw new MalformedJsonError('The body is empty; send a JSON document.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedJsonError(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

export function readBody<S extends ZodType>(request: HttpRequest, schema: S, accepted?: string[]): z.output<S> {
  return validate(schema, readJson(request, accepted), 'request body');
}
