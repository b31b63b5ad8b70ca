import { TaskNotFoundError, ValidationError } from '../domain/errors.js';
import { Ulid } from '../domain/task.js';
import type { Precondition } from '../use-cases/tasks.js';
import { etag } from './response.js';
import type { HttpRequest } from './types.js';

/** Ids that are not ULIDs cannot exist, so they are a 404, like any unknown id. */
export function taskIdParam(value: string | undefined): string {
  if (!value || !Ulid.safeParse(value).success) throw new TaskNotFoundError(`Task ${value ?? ''} does not exist.`);
  return value;
}

/** Parses If-Match (RFC 9110 §13.1.1): `*`, or a list of strong entity tags; weak tags never match. */
export function ifMatch(request: HttpRequest): Precondition | undefined {
  const header = request.headers['if-match']?.trim();
  if (header === undefined || header === '') return undefined;
  if (header === '*') return () => true;
  const versions = new Set(
    header
      .split(',')
      // Entity tags compare as strings: "01" is not "1".
      .map((tag) => /^"(0|[1-9]\d{0,14})"$/.exec(tag.trim())?.[1])
      .filter((version): version is string => version !== undefined)
      .map(Number),
  );
  return (version) => versions.has(version);
}

/** True when If-None-Match names the current entity tag (or `*`), so a GET can answer 304. */
export function ifNoneMatchHits(request: HttpRequest, version: number): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag(version));
}

/** Reads the query into single values; a parameter given twice is a 400, not a silent pick. */
export function singleQuery(request: HttpRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.query)) {
    if (Array.isArray(value)) {
      throw new ValidationError('The query is not valid.', [{ path: name, message: 'must be given at most once' }]);
    }
    if (value !== undefined) out[name] = value;
  }
  return out;
}
