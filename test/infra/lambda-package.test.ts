import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPENDENCY_STALL_BOUND_MS } from '../../container/task-store.js';
import { ROUTE_SPECS, type RouteSpec } from '../../core/http/specs.js';

const run = promisify(execFile);
const cli = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const out = mkdtempSync(join(tmpdir(), 'duet-sls-'));

/**
 * `sls package` into `dir`, with a mode, for a stage (no AWS access needed): `local` is what
 * serverless-offline runs; an undeclared stage (`release`) takes the deployed defaults, with names
 * and the issuer read from SSM as CloudFormation parameters.
 */
async function packageMode(mode: 'routes' | 'lambdalith', stage: 'local' | 'release'): Promise<Record<string, number>> {
  const dir = join(out, mode);
  await run(process.execPath, [cli, 'package', '--package', dir, '--stage', stage, `--param=mode=${mode}`], {
    env: { ...process.env, DUET_BUILD_ID: `test-${mode}`, SLS_TELEMETRY_DISABLED: '1' },
    timeout: 120_000,
  });
  rmSync(join('.esbuild', `test-${mode}-${stage}`), { recursive: true, force: true });
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.zip'))
      .map((name) => [name.replace(/\.zip$/, ''), statSync(join(dir, name)).size]),
  );
}

let routes: Record<string, number>;
let lambdalith: Record<string, number>;
beforeAll(async () => {
  routes = await packageMode('routes', 'release');
  lambdalith = await packageMode('lambdalith', 'local');
}, 240_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('sls package', () => {
  it('builds one zip per route-group function', () => {
    expect(Object.keys(routes).sort()).toEqual(['attachments', 'legacy', 'ops', 'stats', 'tasks']);
  });

  it('builds a single zip for the lambdalith', () => {
    expect(Object.keys(lambdalith)).toEqual(['api']);
  });

  it('keeps every per-route zip smaller than the lambdalith zip', () => {
    for (const [name, size] of Object.entries(routes)) expect(size, name).toBeLessThan(lambdalith.api!);
  });

  it('bundles the S3 client only into the functions that touch attachment objects', async () => {
    const bundles = await Promise.all(
      Object.keys(routes).map(async (name) => {
        const zip = await JSZip.loadAsync(readFileSync(join(out, 'routes', `${name}.zip`)));
        return [name, await zip.file(`handlers/${name}.mjs`)!.async('string')] as const;
      }),
    );
    const withS3 = bundles.filter(([, code]) => code.includes('S3Client')).map(([name]) => name);
    const withDynamoDb = bundles.filter(([, code]) => code.includes('DynamoDB_20120810')).map(([name]) => name);
    expect(withS3.sort()).toEqual(['attachments', 'ops']);
    expect(withDynamoDb.sort()).toEqual(['attachments', 'ops', 'stats', 'tasks']);
  });
});

type Resource = { Type: string; Properties: Record<string, any> };
const template = (mode: 'routes' | 'lambdalith') =>
  JSON.parse(readFileSync(join(out, mode, 'cloudformation-template-update-stack.json'), 'utf8')).Resources as Record<string, Resource>;
const ofType = (resources: Record<string, Resource>, type: string) => Object.values(resources).filter((resource) => resource.Type === type);

/** Route key → the scopes core/http/specs.ts gives it (GET routes have a HEAD twin). */
const PROTECTED = new Map(
  (ROUTE_SPECS as readonly RouteSpec[])
    .filter((spec) => spec.scopes)
    .flatMap((spec) => [[`${spec.method} ${spec.path}`, spec.scopes!], ...(spec.method === 'GET' ? [[`HEAD ${spec.path}`, spec.scopes!] as const] : [])]),
);

describe.each(['routes', 'lambdalith'] as const)('the JWT authorizer (%s mode)', (mode) => {
  it('is one JWT authorizer on the Authorization header', () => {
    const authorizers = ofType(template(mode), 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('guards every route that needs a token with the scopes the core gives it, and nothing else', () => {
    const routes = ofType(template(mode), 'AWS::ApiGatewayV2::Route').map((route) => route.Properties);
    const guarded = Object.fromEntries(routes.filter((route) => route.AuthorizationType === 'JWT').map((route) => [route.RouteKey, route.AuthorizationScopes]));
    expect(guarded).toEqual(Object.fromEntries(PROTECTED));
    const open = routes.filter((route) => route.AuthorizationType !== 'JWT').map((route) => route.RouteKey as string);
    expect(open.filter((key) => key.includes('/v1/'))).toEqual([]);
  });
});

describe.each(['routes', 'lambdalith'] as const)('every function (%s mode)', (mode) => {
  it('outlasts the longest a request waits on a stalled DynamoDB or S3, so it answers the 503 itself', () => {
    const functions = ofType(template(mode), 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.Timeout * 1000).toBeGreaterThan(DEPENDENCY_STALL_BOUND_MS);
  });
});

describe('a deployed stage', () => {
  it("verifies tokens from the issuer and audience cdktf publishes in SSM", () => {
    const [authorizer] = ofType(template('routes'), 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer!.Properties.JwtConfiguration).toEqual({ Issuer: { Ref: 'AuthIssuerParameter' }, Audience: [{ Ref: 'AuthAudienceParameter' }] });
  });

  it("lets the functions trust the authorizer's claims, and tells them the same issuer and audience", () => {
    for (const fn of ofType(template('routes'), 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        AUTH_CLAIMS: 'gateway',
        AUTH_ISSUER: { Ref: 'AuthIssuerParameter' },
        AUTH_AUDIENCE: { Ref: 'AuthAudienceParameter' },
      });
    }
  });
});

describe('the local stage (serverless-offline)', () => {
  it('has the functions verify tokens themselves, since offline does not enforce the authorizer', () => {
    for (const fn of ofType(template('lambdalith'), 'AWS::Lambda::Function')) expect(fn.Properties.Environment.Variables.AUTH_CLAIMS).toBe('token');
    expect(readFileSync('serverless.yml', 'utf8')).toMatch(/serverless-offline:\n(?: {4}.*\n)*? {4}noAuth: true/);
  });
});
