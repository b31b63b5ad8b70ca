import { accessToken, refresh } from './auth.js';
import { toProblem, type Problem } from './logic/problem.js';

/** A failed call, carrying the problem document to show. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** Called when a 401 survives a refresh: the page asks to sign in again. */
let onSessionEnded = () => {};
export const whenSessionEnds = (callback: () => void) => {
  onSessionEnded = callback;
};

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Calls the API as the signed-in user; on 401 refreshes the token once and retries. */
export async function api<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ data: T; etag: string | null }> {
  const send = () =>
    fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        ...(accessToken() && { authorization: `Bearer ${accessToken()}` }),
        ...(options.body !== undefined && { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }),
        ...options.headers,
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  let response: Response;
  try {
    response = await send();
    if (response.status === 401 && (await refresh())) response = await send();
  } catch {
    throw new ApiError(toProblem(0, undefined));
  }
  const body = await parse(response);
  if (!response.ok) {
    if (response.status === 401) onSessionEnded();
    throw new ApiError(toProblem(response.status, body, response.statusText));
  }
  return { data: body as T, etag: response.headers.get('etag') };
}

/** PUTs a file to a presigned URL, reporting progress (fetch cannot report an upload's). */
export function upload(url: string, headers: Record<string, string>, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () =>
      request.status >= 200 && request.status < 300
        ? resolve()
        : reject(new ApiError(toProblem(request.status, request.responseText.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '), 'Upload failed')));
    request.onerror = () => reject(new ApiError({ title: 'Upload failed', detail: 'The file storage could not be reached.', status: 0 }));
    request.send(file);
  });
}
