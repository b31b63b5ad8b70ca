// `npm run smoke -- --url <base URL> --token <bearer> [--expect-version <sha>] [--wait <seconds>]`:
// a subset of the conformance suite (test/conformance) against any deployment. It creates, reads,
// patches and deletes one task of the token's tenant and removes whatever it created, also when a
// check fails. Prints one line per failed check and a one-line summary; exits 0 when all pass,
// 1 when one fails, 2 on bad arguments. With --expect-version it first waits (up to --wait
// seconds, default 0) until GET /config reports that version: how CI learns that a rollout is done.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

export const SMOKE_USAGE = 'usage: npm run smoke -- --url <base URL> --token <bearer token> [--expect-version <sha>] [--wait <seconds>]';

export interface SmokeOptions {
  url: string;
  token: string;
  expectVersion?: string;
  waitSeconds?: number;
  /** Per request. */
  timeoutMs?: number;
}

export interface SmokeResult {
  ok: boolean;
  checks: { name: string; ok: boolean; detail?: string }[];
  summary: string;
}

interface Reply {
  status: number;
  headers: Headers;
  json: any;
}

class CheckFailed extends Error {}

function expect(condition: boolean, detail: string): asserts condition {
  if (!condition) throw new CheckFailed(detail);
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const call = async (method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; auth?: string | null } = {}): Promise<Reply> => {
    const auth = init.auth === undefined ? `Bearer ${options.token}` : init.auth;
    const headers: Record<string, string> = { ...(auth && { authorization: auth }), ...init.headers };
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json };
  };

  const checks: SmokeResult['checks'] = [];
  const check = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      checks.push({ name, ok: true });
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    }
  };

  if (options.expectVersion) {
    await check(`serves version ${options.expectVersion}`, async () => {
      const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
      let seen = 'nothing';
      for (;;) {
        try {
          const reply = await call('GET', '/config', { auth: null });
          seen = reply.status === 200 ? String(reply.json?.version) : `status ${reply.status}`;
          if (seen === options.expectVersion) return;
        } catch (error) {
          seen = error instanceof Error ? error.message : String(error);
        }
        if (Date.now() >= deadline) throw new CheckFailed(`GET /config reports ${seen}`);
        await sleep(Math.min(5_000, Math.max(0, deadline - Date.now())));
      }
    });
  }

  await check('GET /healthz is 200 ok', async () => {
    const reply = await call('GET', '/healthz', { auth: null });
    expect(reply.status === 200 && reply.json?.status === 'ok', `status ${reply.status}`);
  });
  await check('GET /readyz is 200 with every check ok', async () => {
    const reply = await call('GET', '/readyz', { auth: null });
    const failing = Object.entries(reply.json?.checks ?? {}).filter(([, value]) => value !== 'ok');
    expect(reply.status === 200 && failing.length === 0, `status ${reply.status}, checks ${JSON.stringify(reply.json?.checks)}`);
  });
  await check('legacy POST /v1 reverses and upper-cases', async () => {
    const reply = await call('POST', '/v1', { body: { data: 'smoke test' }, auth: null });
    expect(reply.status === 200 && reply.json === 'TSET EKOMS', `status ${reply.status}, body ${JSON.stringify(reply.json)}`);
  });
  await check('no token is 401 with WWW-Authenticate', async () => {
    const reply = await call('GET', '/v1/tasks', { auth: null });
    expect(reply.status === 401, `status ${reply.status}`);
    expect(/^Bearer\b/.test(reply.headers.get('www-authenticate') ?? ''), `WWW-Authenticate ${reply.headers.get('www-authenticate')}`);
  });
  await check('a forged token is 401', async () => {
    const reply = await call('GET', '/v1/tasks', { auth: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzbW9rZSJ9.c2lnbmF0dXJl' });
    expect(reply.status === 401, `status ${reply.status}`);
  });

  const tag = `smoke-${randomUUID().slice(0, 8)}`;
  const created: string[] = [];
  await check('create, read, patch and delete a task', async () => {
    const create = await call('POST', '/v1/tasks', { body: { title: 'duet smoke test', tags: [tag] } });
    expect(create.status === 201 && typeof create.json?.id === 'string', `create: status ${create.status}`);
    const id: string = create.json.id;
    created.push(id);
    const read = await call('GET', `/v1/tasks/${id}`);
    expect(read.status === 200 && read.json?.title === 'duet smoke test', `read: status ${read.status}`);
    const patch = await call('PATCH', `/v1/tasks/${id}`, {
      body: { status: 'done' },
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': read.headers.get('etag') ?? '"1"' },
    });
    expect(patch.status === 200 && patch.json?.status === 'done' && patch.json?.version === 2, `patch: status ${patch.status}`);
    const list = await call('GET', `/v1/tasks?tag=${tag}`);
    expect(list.status === 200 && list.json?.items?.length === 1, `list by tag: status ${list.status}, ${list.json?.items?.length} items`);
    const remove = await call('DELETE', `/v1/tasks/${id}`);
    expect(remove.status === 204, `delete: status ${remove.status}`);
    created.pop();
    const gone = await call('GET', `/v1/tasks/${id}`);
    expect(gone.status === 404, `read after delete: status ${gone.status}`);
  });
  // Whatever a failed check left behind.
  for (const id of created) await call('DELETE', `/v1/tasks/${id}`).catch(() => undefined);

  const failed = checks.filter((item) => !item.ok);
  const summary = failed.length
    ? `smoke ${base}: FAILED ${failed.length} of ${checks.length} checks (${failed.map((item) => item.name).join('; ')})`
    : `smoke ${base}: ok, ${checks.length} checks passed`;
  return { ok: failed.length === 0, checks, summary };
}

export function parseSmokeArgs(argv: string[]): SmokeOptions {
  const { values } = parseArgs({
    args: argv,
    options: { url: { type: 'string' }, token: { type: 'string' }, 'expect-version': { type: 'string' }, wait: { type: 'string' } },
    strict: true,
  });
  if (!values.url || !/^https?:\/\/[^\s/]+/.test(values.url)) throw new Error('--url must be an http(s) base URL');
  if (!values.token) throw new Error('--token is required (a bearer token of the deployment\'s issuer)');
  if (values.wait !== undefined && !/^\d+$/.test(values.wait)) throw new Error('--wait must be a whole number of seconds');
  return {
    url: values.url,
    token: values.token,
    ...(values['expect-version'] && { expectVersion: values['expect-version'] }),
    ...(values.wait !== undefined && { waitSeconds: Number(values.wait) }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let options: SmokeOptions;
  try {
    options = parseSmokeArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`smoke: ${error instanceof Error ? error.message : String(error)}\n${SMOKE_USAGE}`);
    process.exit(2);
  }
  const result = await runSmoke(options);
  for (const item of result.checks) if (!item.ok) console.error(`FAIL ${item.name}: ${item.detail}`);
  console.log(result.summary);
  process.exit(result.ok ? 0 : 1);
}
