import { createServer } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { createGatewayAuthenticator } from '../../core/adapters/gateway-authenticator.js';
import { createJwtAuthenticator } from '../../core/adapters/jwt-authenticator.js';
import { principalOf } from '../../core/adapters/principal.js';
import { DependencyUnavailableError } from '../../core/domain/errors.js';
import { createCors } from '../../core/http/cors.js';
import { bearerToken, credentialsOf } from '../../core/http/credentials.js';
import type { HttpRequest } from '../../core/http/types.js';
import { DEV_AUDIENCE, DEV_ISSUER, newKey, publicJwk, signDevToken } from '../../scripts/dev-issuer.js';
import { localAuth } from '../support/auth.js';
import { caughtAsync } from '../support/fixtures.js';

const EXPECTED = { issuer: 'https://issuer.example', audience: 'client-123' };
const request = (headers: Record<string, string> = {}, extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'GET', path: '/v1/tasks', query: {}, headers, ...extra });
/** What the authenticator sees of such a request: the credentials the transport read from it. */
const credentials = (headers: Record<string, string> = {}, extra: Partial<HttpRequest> = {}) => credentialsOf(request(headers, extra));

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Bearer   abc.def-_~+/=', 'abc.def-_~+/='],
  ])('reads %j', (header, token) => {
    expect(bearerToken({ authorization: header })).toBe(token);
  });

  it.each(['', 'Basic YWxpY2U6c2VjcmV0', 'Bearer', 'Bearer two tokens', 'Bearerabc'])('finds no token in %j', (header) => {
    expect(bearerToken({ authorization: header })).toBeUndefined();
  });
});

describe('principalOf', () => {
  const claims = (extra: Record<string, unknown>) => ({ iss: EXPECTED.issuer, sub: 'alice', ...extra });

  it('takes the subject as tenant and the scopes from scope and scp', () => {
    const principal = principalOf(claims({ aud: 'client-123', scope: 'a b', scp: ['c'] }), EXPECTED, 'jwt');
    expect(principal).toEqual({ subject: 'alice', scopes: new Set(['a', 'b', 'c']) });
  });

  it.each(['jwt', 'gateway'] as const)('accepts, from %s claims, a token without aud whose client_id is the audience (Cognito access tokens)', (source) => {
    expect(principalOf(claims({ client_id: 'client-123' }), EXPECTED, source).subject).toBe('alice');
    expect(() => principalOf(claims({ aud: 'other', client_id: 'client-123' }), EXPECTED, source)).toThrow(/audience/);
    expect(() => principalOf(claims({ client_id: 'other client-123' }), EXPECTED, source)).toThrow(/audience/);
  });

  it('accepts from a token an aud that is the audience or an array holding it', () => {
    expect(principalOf(claims({ aud: 'client-123' }), EXPECTED, 'jwt').subject).toBe('alice');
    expect(principalOf(claims({ aud: ['other', 'client-123'] }), EXPECTED, 'jwt').subject).toBe('alice');
  });

  it.each([['other client-123'], ['other,client-123'], ['[other client-123]'], ['client-123 '], [['other client-123']], [[]]])(
    'refuses from a token the aud %j, which only contains the audience',
    (aud) => {
      expect(() => principalOf(claims({ aud, client_id: 'client-123' }), EXPECTED, 'jwt')).toThrow(/audience/);
    },
  );

  it('reads array claims as API Gateway renders them ("[a b]"), and only there', () => {
    const principal = principalOf(claims({ aud: '[other client-123]', scp: '[duet/tasks.read duet/tasks.write]' }), EXPECTED, 'gateway');
    expect([...principal.scopes]).toEqual(['duet/tasks.read', 'duet/tasks.write']);
    expect([...principalOf(claims({ aud: 'client-123', scope: '[duet/tasks.write]' }), EXPECTED, 'jwt').scopes]).toEqual(['[duet/tasks.write]']);
  });

  it.each(['other client-123', 'other,client-123'])('refuses from API Gateway the aud %j, which is one audience, not ours', (aud) => {
    expect(() => principalOf(claims({ aud }), EXPECTED, 'gateway')).toThrow(/audience/);
  });

  const refused: [Record<string, unknown>, string][] = [
    [{ aud: 'client-123', sub: 'alice', iss: 'https://elsewhere' }, 'issuer'],
    [{ aud: 'client-123', iss: EXPECTED.issuer }, 'subject'],
    ...['', '.', '..', '...', 'a/b', '../alice', 'a\\b', 'T#x', 'a b', 'a\nb', 'a\u0000b', 'x'.repeat(129), 42].map(
      (sub): [Record<string, unknown>, string] => [{ aud: 'client-123', iss: EXPECTED.issuer, sub }, 'subject'],
    ),
  ];
  it.each(refused)('refuses %j (%s)', (claims, what) => {
    expect(() => principalOf(claims, EXPECTED, 'jwt')).toThrow(new RegExp(what));
    expect(() => principalOf(claims, EXPECTED, 'gateway')).toThrow(new RegExp(what));
  });

  it.each(['a.b', '.alice', 'alice..', 'google-oauth2|123', 'alice@example.com', '9c1b2f9e-1d1c-4a38-9d5e-2f7d0f8a1b2c'])('accepts the subject %j', (sub) => {
    expect(principalOf(claims({ aud: 'client-123', sub }), EXPECTED, 'jwt').subject).toBe(sub);
  });
});

describe('createJwtAuthenticator', () => {
  it('verifies a token once and remembers it by its text', async () => {
    // Prepare
    const key = await newKey();
    const keys = vi.fn(async () => (await import('jose')).importJWK(publicJwk(key), 'RS256'));
    const authenticator = createJwtAuthenticator({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksUrl: 'http://127.0.0.1:9/jwks.json', keys });
    const token = await signDevToken(key, { sub: 'alice' });

    // Act
    const first = await authenticator.authenticate(credentials({ authorization: `Bearer ${token}` }));
    const second = await authenticator.authenticate(credentials({ authorization: `Bearer ${token}` }));

    // Assess
    expect(first.subject).toBe('alice');
    expect(second).toBe(first);
    expect(keys).toHaveBeenCalledOnce();
  });

  it('says why a token is refused', async () => {
    // Prepare
    const { authenticator, token } = await localAuth();

    // Act
    const expired = await caughtAsync(async () => authenticator.authenticate(credentials({ authorization: `Bearer ${await token('alice', { ttl: -3600 })}` })));
    const early = await caughtAsync(async () => authenticator.authenticate(credentials({ authorization: `Bearer ${await token('alice', { notBefore: 3600 })}` })));
    const missing = await caughtAsync(() => authenticator.authenticate(credentials()));

    // Assess
    expect(expired).toMatchObject({ reason: 'invalid', message: 'The token has expired.' });
    expect(early).toMatchObject({ reason: 'invalid', message: 'The token\'s "nbf" claim is not acceptable.' });
    expect(missing).toMatchObject({ reason: 'missing' });
  });

  it.each(['duet x', 'x duet', 'x,duet', '[x duet]'])('refuses a token whose one aud string is %j, which only contains the audience', async (aud) => {
    const { authenticator, token } = await localAuth();
    const error = await caughtAsync(async () => authenticator.authenticate(credentials({ authorization: `Bearer ${await token('alice', { aud })}` })));
    expect(error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/audience/) });
  });

  it('accepts a token whose aud array holds the audience', async () => {
    const { authenticator, token } = await localAuth();
    const principal = await authenticator.authenticate(credentials({ authorization: `Bearer ${await token('alice', { aud: ['x', DEV_AUDIENCE] })}` }));
    expect(principal.subject).toBe('alice');
  });

  it.each(['.', '..'])('refuses a token whose subject is %j', async (sub) => {
    const { authenticator, token } = await localAuth();
    const error = await caughtAsync(async () => authenticator.authenticate(credentials({ authorization: `Bearer ${await token(sub)}` })));
    expect(error).toMatchObject({ reason: 'invalid', message: expect.stringMatching(/subject/) });
  });

  it('tolerates 30 s of clock skew on exp', async () => {
    const { authenticator, token } = await localAuth();
    const principal = await authenticator.authenticate(credentials({ authorization: `Bearer ${await token('alice', { ttl: -10 })}` }));
    expect(principal.subject).toBe('alice');
  });

  it("answers 503, not 401, when the issuer's JWKS cannot be fetched", async () => {
    // Prepare
    const server = createServer((_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
    const authenticator = createJwtAuthenticator({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwksUrl });
    const token = await signDevToken(await newKey(), { sub: 'alice' });

    // Act
    const error = await caughtAsync(() => authenticator.authenticate(credentials({ authorization: `Bearer ${token}` })));
    await new Promise((resolve) => server.close(resolve));

    // Assess
    expect(error).toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('createGatewayAuthenticator', () => {
  const authenticator = createGatewayAuthenticator(EXPECTED);

  it("reads the claims API Gateway's authorizer verified", async () => {
    const claims = { iss: EXPECTED.issuer, client_id: 'client-123', sub: 'alice', scope: 'duet/tasks.write' };
    expect(await authenticator.authenticate(credentials({}, { authorizerClaims: claims }))).toEqual({ subject: 'alice', scopes: new Set(['duet/tasks.write']) });
  });

  it.each(['other client-123', 'other,client-123'])("refuses claims whose aud is the one string %j, as the authorizer's own check would", async (aud) => {
    const claims = { iss: EXPECTED.issuer, aud, sub: 'alice', scope: 'duet/tasks.write' };
    expect(await caughtAsync(() => authenticator.authenticate(credentials({}, { authorizerClaims: claims })))).toMatchObject({ reason: 'invalid' });
  });

  it.each(['.', '..'])('refuses claims whose subject is %j', async (sub) => {
    const claims = { iss: EXPECTED.issuer, aud: 'client-123', sub };
    expect(await caughtAsync(() => authenticator.authenticate(credentials({}, { authorizerClaims: claims })))).toMatchObject({ reason: 'invalid' });
  });

  it('refuses a request the authorizer did not verify: missing without a header, invalid with one', async () => {
    expect(await caughtAsync(() => authenticator.authenticate(credentials()))).toMatchObject({ reason: 'missing' });
    expect(await caughtAsync(() => authenticator.authenticate(credentials({ authorization: 'Bearer x' })))).toMatchObject({ reason: 'invalid' });
  });
});

describe('createCors', () => {
  const cors = createCors(['https://app.example.com']);

  it('answers a preflight from an allowed origin with the route methods and the headers the API reads', () => {
    const response = cors.preflight(request({ origin: 'https://app.example.com', 'access-control-request-method': 'PATCH' }, { method: 'OPTIONS' }), ['GET', 'PATCH']);
    expect(response).toEqual({
      status: 204,
      headers: {
        allow: 'GET, PATCH',
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-methods': 'GET, PATCH',
        'access-control-allow-headers': expect.stringContaining('authorization'),
        'access-control-max-age': '600',
      },
    });
  });

  it('adds nothing but Vary for an origin off the list, and nothing at all without an Origin', () => {
    const foreign = { status: 200, headers: { vary: 'accept' } };
    cors.decorate(request({ origin: 'https://evil.example' }), foreign);
    const plain = { status: 200, headers: {} };
    cors.decorate(request(), plain);
    expect(foreign.headers).toEqual({ vary: 'accept, origin' });
    expect(plain.headers).toEqual({});
  });
});
