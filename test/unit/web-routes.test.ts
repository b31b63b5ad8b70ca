import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { contentSecurityPolicy, webHandlers } from '../../core/http/routes/web.js';

const connectSrc = (env: Record<string, string>) => /connect-src ([^;]+)/.exec(contentSecurityPolicy(loadConfig(env, 'container')))![1]!.split(' ');
const COGNITO = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC';

describe("the web UI's content security policy", () => {
  it('lets the deployed page connect to the API, the Cognito issuer, its hosted sign-in domain and the bucket, nothing else', () => {
    const env = { TABLE_NAME: 't', BUCKET_NAME: 'duet-prod-attachments', AWS_REGION: 'eu-west-1', AUTH_ISSUER: COGNITO, AUTH_AUDIENCE: 'client', AUTH_LOGIN_URL: 'https://duet-prod.auth.eu-west-1.amazoncognito.com' };
    expect(connectSrc(env)).toEqual(["'self'", 'https://cognito-idp.eu-west-1.amazonaws.com', 'https://duet-prod.auth.eu-west-1.amazoncognito.com', 'https://duet-prod-attachments.s3.eu-west-1.amazonaws.com']);
  });

  it('locally, the issuer and s3rver on their loopback ports', () => {
    const env = { TABLE_NAME: 't', BUCKET_NAME: 'b', AWS_REGION: 'us-east-1', S3_ENDPOINT: 'http://127.0.0.1:4569', AUTH_ISSUER: 'http://127.0.0.1:4000', AUTH_AUDIENCE: 'duet' };
    expect(connectSrc(env)).toEqual(["'self'", 'http://127.0.0.1:4000', 'http://127.0.0.1:4569']);
  });

  it('only its own origin when the issuer is no URL and there is no bucket', () => {
    expect(connectSrc({ STORE: 'memory', AUTH_ISSUER: 'duet-dev-issuer', AUTH_AUDIENCE: 'duet', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks' })).toEqual(["'self'"]);
  });

  it('never allows inline script or style, framing, or a base or form target elsewhere', () => {
    const policy = contentSecurityPolicy(loadConfig({ STORE: 'memory', AUTH_ISSUER: COGNITO, AUTH_AUDIENCE: 'c' }, 'lambda'));
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(policy).toContain("form-action 'self'");
    expect(policy).not.toMatch(/unsafe|\*/);
  });
});

describe('the web routes without a built UI', () => {
  const handlers = webHandlers({ config: loadConfig({ STORE: 'memory', AUTH_ISSUER: COGNITO, AUTH_AUDIENCE: 'c' }, 'container') });
  const context = (accept: string) => ({ request: { method: 'GET', path: '/', query: {}, headers: { accept } }, params: { name: 'app-x.js' }, requestId: 'r', tenant: null });

  it('answer the JSON index still, and 404 for the page and any asset', async () => {
    expect((await handlers.getWebApp(context('application/json'))).status).toBe(200);
    await expect(handlers.getWebApp(context('text/html'))).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    await expect(handlers.getAsset(context('*/*'))).rejects.toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});
