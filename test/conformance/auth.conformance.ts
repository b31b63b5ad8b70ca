import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { expect, inject, it } from 'vitest';
import { helmetHeaders } from '../../wiring/security-headers.js';
import { SCOPES } from '../../core/domain/scopes.js';
import { ROUTE_SPECS, type RouteSpec } from '../../core/http/specs.js';
import { DEV_AUDIENCE, DEV_ISSUER, newKey, signDevToken } from '../../scripts/dev-issuer.js';
import type { devIssuer } from '../support/auth.js';
import { TEST_CORS_ORIGIN } from '../support/auth.js';
import { expectProblem, type Call, type Reply } from './client.js';

export interface Callers {
  /** Two tenants with both scopes, a read-only token for alice's tenant, and no token at all. */
  alice: Call;
  bob: Call;
  reader: Call;
  anonymous: Call;
  issuer: ReturnType<typeof devIssuer>;
}

const SOME_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const PROTECTED = (ROUTE_SPECS as readonly RouteSpec[]).filter((spec) => spec.scopes);
const PUBLIC = (ROUTE_SPECS as readonly RouteSpec[]).filter((spec) => !spec.scopes);
const concrete = (path: string) => path.replaceAll(/\{\w+\}/g, SOME_ID);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Tokens that must never get in: each is otherwise a perfectly good token for the suite's issuer. */
async function badTokens(sub: string): Promise<Record<string, string>> {
  const key = inject('issuerKey');
  const good = await signDevToken(key, { sub });
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const otherKey = await newKey();
  const ec = await generateKeyPair('ES256', { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  return {
    expired: await signDevToken(key, { sub, ttl: -3600 }),
    'not yet valid': await signDevToken(key, { sub, notBefore: 3600 }),
    'wrong audience': await signDevToken(key, { sub, aud: 'someone-else' }),
    'wrong issuer': await signDevToken(key, { sub, iss: 'https://evil.example' }),
    'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    'wrong key': await signDevToken({ ...otherKey, kid: key.kid! }, { sub }),
    'unknown key': await signDevToken(otherKey, { sub }),
    'tampered payload': `${header}.${base64url({ ...claims, sub: `${sub}-other` })}.${signature}`,
    'tampered signature': `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
    'not RSA (ES256)': await new SignJWT({ scope: `${SCOPES.read} ${SCOPES.write}` })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid! })
      .setSubject(sub)
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime(now + 600)
      .sign(ec.privateKey),
    'a subject that is no tenant': await signDevToken(key, { sub: '../alice' }),
    'for the subject "."': await signDevToken(key, { sub: '.' }),
    'for the subject ".."': await signDevToken(key, { sub: '..' }),
    'addressed to the one audience "other duet"': await signDevToken(key, { sub, aud: `other ${DEV_AUDIENCE}` }),
    'addressed to the one audience "other,duet"': await signDevToken(key, { sub, aud: `other,${DEV_AUDIENCE}` }),
    'addressed to the one audience "[other duet]"': await signDevToken(key, { sub, aud: `[other ${DEV_AUDIENCE}]` }),
    'not a JWT': 'not-a-jwt',
  };
}

function expect401(reply: Reply, error: 'missing' | 'invalid_token') {
  expectProblem(reply, 401, 'UNAUTHENTICATED');
  const challenge = reply.headers.get('www-authenticate') ?? '';
  if (error === 'missing') expect(challenge).toBe('Bearer realm="duet"');
  else expect(challenge).toMatch(/^Bearer realm="duet", error="invalid_token", error_description="[^"]+"$/);
}

export function authConformance({ alice, bob, reader, anonymous, issuer }: Callers) {
  // Made once per suite (two key pairs and a dozen signatures), for a subject no other test uses.
  const mallory = `mallory-${randomUUID().slice(0, 8)}`;
  let made: Promise<Record<string, string>> | undefined;
  const bad = () => (made ??= badTokens(mallory));

  const createTask = async (call: Call, title = 'private plans') => {
    const reply = await call('POST', '/v1/tasks', { body: { title, tags: ['secret'] } });
    expect(reply.status, reply.text).toBe(201);
    return reply.json as { id: string; version: number };
  };

  it('answers every operation that needs a token with 401 and a Bearer challenge when none is sent', async () => {
    for (const spec of PROTECTED) {
      const body = spec.method === 'GET' || spec.method === 'DELETE' ? {} : { body: { title: 'x' } };
      expect401(await anonymous(spec.method, concrete(spec.path), body), 'missing');
    }
    const head = await anonymous('HEAD', `/v1/tasks/${SOME_ID}`);
    expect(head.status).toBe(401);
    expect(head.headers.get('www-authenticate')).toBe('Bearer realm="duet"');
  });

  it('treats a scheme other than Bearer as no token', async () => {
    expect401(await anonymous('GET', '/v1/tasks', { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }), 'missing');
  });

  it.each([
    'expired',
    'not yet valid',
    'wrong audience',
    'wrong issuer',
    'alg none',
    'wrong key',
    'unknown key',
    'tampered payload',
    'tampered signature',
    'not RSA (ES256)',
    'a subject that is no tenant',
    'for the subject "."',
    'for the subject ".."',
    'addressed to the one audience "other duet"',
    'addressed to the one audience "other,duet"',
    'addressed to the one audience "[other duet]"',
    'not a JWT',
  ])('refuses a token that is %s with 401 invalid_token on every protected operation', async (kind) => {
    const token = (await bad())[kind]!;
    for (const spec of PROTECTED) {
      const body = spec.method === 'GET' || spec.method === 'DELETE' ? {} : { body: { title: 'x' } };
      expect401(await anonymous(spec.method, concrete(spec.path), { ...body, headers: { authorization: `Bearer ${token}` } }), 'invalid_token');
    }
  });

  it('creates nothing for a refused token', async () => {
    for (const token of Object.values(await bad())) {
      expect((await anonymous('POST', '/v1/tasks', { body: { title: 'sneaky' }, headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }
    const asMallory = await anonymous('GET', '/v1/tasks', { headers: { authorization: `Bearer ${await issuer.token(mallory)}` } });
    expect(asMallory.status).toBe(200);
    expect(asMallory.json.items).toEqual([]);
  });

  it('keeps the public routes public', async () => {
    for (const spec of PUBLIC) {
      const options = spec.method === 'POST' ? { body: { data: 'hello, world!' } } : {};
      const reply = await anonymous(spec.method, spec.path, options);
      expect(reply.status, `${spec.method} ${spec.path}`).not.toBe(401);
      expect(reply.headers.get('www-authenticate')).toBeNull();
    }
    expect((await anonymous('POST', '/v1', { body: { data: 'hello, world!' } })).json).toBe('!DLROW ,OLLEH');
  });

  it('answers 404 and 405 before asking for a token, as API Gateway routes them', async () => {
    expectProblem(await anonymous('GET', '/v1/nowhere'), 404, 'ROUTE_NOT_FOUND');
    expectProblem(await anonymous('PUT', `/v1/tasks/${SOME_ID}`, { body: {} }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('asks for a token before reading an oversized body', async () => {
    const huge = JSON.stringify({ title: 'x', description: 'y'.repeat(70 * 1024) });
    expect401(await anonymous('POST', '/v1/tasks', { raw: huge, headers: { 'content-type': 'application/json' } }), 'missing');
  });

  it('lets a read-only token read and answers 403 insufficient_scope to every write, changing nothing', async () => {
    const task = await createTask(alice);
    expect((await reader('GET', `/v1/tasks/${task.id}`)).status).toBe(200);
    expect((await reader('GET', '/v1/tasks')).status).toBe(200);
    expect((await reader('GET', `/v1/tasks/${task.id}/attachments`)).status).toBe(200);
    const writes: [string, string, Record<string, unknown>][] = [
      ['POST', '/v1/tasks', { body: { title: 'x' } }],
      ['PATCH', `/v1/tasks/${task.id}`, { raw: '{"title":"changed"}', headers: { 'content-type': 'application/merge-patch+json' } }],
      ['DELETE', `/v1/tasks/${task.id}`, {}],
      ['POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'a.txt', contentType: 'text/plain', size: 1 } }],
      ['DELETE', `/v1/tasks/${task.id}/attachments/${SOME_ID}`, {}],
    ];
    for (const [method, path, options] of writes) {
      const reply = await reader(method, path, options);
      expectProblem(reply, 403, 'INSUFFICIENT_SCOPE');
      expect(reply.headers.get('www-authenticate')).toBe(`Bearer realm="duet", error="insufficient_scope", scope="${SCOPES.write}"`);
    }
    const after = await alice('GET', `/v1/tasks/${task.id}`);
    expect(after.json).toMatchObject({ title: 'private plans', version: 1 });
    expect((await alice('GET', `/v1/tasks/${task.id}/attachments`)).json.items).toEqual([]);
  });

  it("never lets one tenant read, list, change or delete another tenant's task", async () => {
    const task = await createTask(alice);
    expectProblem(await bob('GET', `/v1/tasks/${task.id}`), 404, 'TASK_NOT_FOUND');
    expect((await bob('HEAD', `/v1/tasks/${task.id}`)).status).toBe(404);
    expectProblem(
      await bob('PATCH', `/v1/tasks/${task.id}`, { raw: '{"title":"mine now"}', headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' } }),
      404,
      'TASK_NOT_FOUND',
    );
    expectProblem(await bob('DELETE', `/v1/tasks/${task.id}`), 404, 'TASK_NOT_FOUND');
    const listed = await bob('GET', '/v1/tasks', {});
    expect(listed.json.items.map((item: { id: string }) => item.id)).not.toContain(task.id);
    const filtered = await bob('GET', '/v1/tasks?status=todo&tag=secret');
    expect(filtered.json.items.map((item: { id: string }) => item.id)).not.toContain(task.id);
    const still = await alice('GET', `/v1/tasks/${task.id}`);
    expect(still.status).toBe(200);
    expect(still.json).toMatchObject({ title: 'private plans', version: 1 });
  });

  it("never lets one tenant see, add or delete another tenant's attachments", async () => {
    const task = await createTask(alice);
    const added = await alice('POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'plan.pdf', contentType: 'application/pdf', size: 10 } });
    expect(added.status).toBe(201);
    const attachmentId = added.json.attachment.id as string;
    expectProblem(await bob('GET', `/v1/tasks/${task.id}/attachments`), 404, 'TASK_NOT_FOUND');
    expectProblem(
      await bob('POST', `/v1/tasks/${task.id}/attachments`, { body: { filename: 'evil.pdf', contentType: 'application/pdf', size: 10 } }),
      404,
      'TASK_NOT_FOUND',
    );
    expectProblem(await bob('DELETE', `/v1/tasks/${task.id}/attachments/${attachmentId}`), 404);
    const mine = await alice('GET', `/v1/tasks/${task.id}/attachments`);
    expect(mine.json.items.map((item: { id: string }) => item.id)).toEqual([attachmentId]);
  });

  it('counts stats per tenant', async () => {
    const before = (await bob('GET', '/v1/stats')).json;
    await createTask(alice);
    expect((await bob('GET', '/v1/stats')).json).toEqual(before);
  });

  it("keeps Idempotency-Keys per tenant: the same key and body from another tenant creates that tenant's own task", async () => {
    const key = randomUUID();
    const first = await alice('POST', '/v1/tasks', { body: { title: 'same body' }, headers: { 'idempotency-key': key } });
    const other = await bob('POST', '/v1/tasks', { body: { title: 'same body' }, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.json.id).not.toBe(first.json.id);
    expect((await bob('GET', `/v1/tasks/${first.json.id}`)).status).toBe(404);
  });

  it("gives another tenant nothing of alice's through her list cursor", async () => {
    await createTask(alice, 'page one');
    await createTask(alice, 'page two');
    const page = await alice('GET', '/v1/tasks?limit=1');
    expect(page.json.nextCursor).toEqual(expect.any(String));
    const stolen = await bob('GET', `/v1/tasks?limit=100&cursor=${encodeURIComponent(page.json.nextCursor)}`);
    expect(stolen.status).toBe(200);
    const aliceIds = new Set((await alice('GET', '/v1/tasks?limit=100')).json.items.map((item: { id: string }) => item.id));
    expect(stolen.json.items.filter((item: { id: string }) => aliceIds.has(item.id))).toEqual([]);
  });

  it("sends helmet's security headers and no x-powered-by on every kind of response", async () => {
    const expected = helmetHeaders();
    const huge = JSON.stringify({ title: 'x', description: 'y'.repeat(70 * 1024) });
    const replies = [
      await alice('GET', '/v1/tasks'),
      await anonymous('GET', '/v1/tasks'),
      await anonymous('GET', '/nowhere'),
      await alice('POST', '/v1/tasks', { raw: huge, headers: { 'content-type': 'application/json' } }),
      await anonymous('GET', '/healthz'),
    ];
    for (const reply of replies) {
      for (const [name, value] of Object.entries(expected)) expect(reply.headers.get(name), `${name} on a ${reply.status}`).toBe(value);
      expect(reply.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers a CORS preflight from an allowed origin without a token, and ignores other origins', async () => {
    const preflight = await anonymous('OPTIONS', `/v1/tasks/${SOME_ID}`, {
      headers: { origin: TEST_CORS_ORIGIN, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'authorization, content-type, if-match' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(TEST_CORS_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization.*content-type.*if-match/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const foreign = await anonymous('OPTIONS', `/v1/tasks/${SOME_ID}`, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets an allowed origin read responses and their headers, errors included, and no other origin', async () => {
    const ok = await alice('GET', '/v1/tasks', { headers: { origin: TEST_CORS_ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(TEST_CORS_ORIGIN);
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/etag.*location/);
    expect(ok.headers.get('vary')).toMatch(/origin/i);
    const refused = await anonymous('GET', '/v1/tasks', { headers: { origin: TEST_CORS_ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(TEST_CORS_ORIGIN);
    const foreign = await alice('GET', '/v1/tasks', { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
}
