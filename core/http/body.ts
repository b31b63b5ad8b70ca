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

/** Parses the JSON body without validating it; 415 for other media types, 413 past the limit, 400 when malformed. */
export function readJson(request: HttpRequest, accepted = ['application/json']): unknown {
  assertJsonContentType(request.headers['content-type'], accepted);
  const raw = request.body ?? '';
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (bytes > MAX_BODY_BYTES) throw new PayloadTooLargeError(`The body may hold at most ${MAX_BODY_BYTES} bytes.`);
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
