import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../core/domain/scopes.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../scripts/dev-issuer.js';

const root = resolve(import.meta.dirname, '../..');
const cwd = mkdtempSync(join(tmpdir(), 'duet-token-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** `npm run -s token -- <args>`, run in a scratch folder so its key lands there, not in the repo's .data/. */
function token(...args: string[]) {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  return spawnSync(process.execPath, ['--import', tsx, join(root, 'scripts/token.ts'), ...args], { cwd, encoding: 'utf8' });
}

describe('npm run token', () => {
  it('prints a token for the subject with both scopes, for the dev audience and issuer, signed by a key it keeps private', () => {
    // Act
    const run = token('--sub', 'alice');

    // Assess
    expect(run.status, run.stderr).toBe(0);
    const claims = decodeJwt(run.stdout.trim());
    expect(claims).toMatchObject({ sub: 'alice', aud: DEV_AUDIENCE, iss: DEV_ISSUER, scope: `${SCOPES.read} ${SCOPES.write}` });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(decodeProtectedHeader(run.stdout.trim()).alg).toBe('RS256');
    expect(statSync(join(cwd, '.data', 'dev-issuer-key.json')).mode & 0o777).toBe(0o600);
  });

  it('signs every token with the same kept key', () => {
    const kid = (text: string) => decodeProtectedHeader(text.trim()).kid;
    expect(kid(token('--sub', 'a').stdout)).toBe(kid(token('--sub', 'b').stdout));
  });

  it('takes a scope, a lifetime (negative: already expired) and an audience', () => {
    const claims = decodeJwt(token('--sub', 'bob', '--scope', SCOPES.read, '--ttl=-60', '--aud', 'other').stdout.trim());
    expect(claims).toMatchObject({ sub: 'bob', scope: SCOPES.read, aud: 'other' });
    expect(claims.exp! * 1000).toBeLessThan(Date.now());
  });

  it.each([[[]], [['--sub', 'x', '--ttl', 'soon']], [['--sub', 'x', '--colour', 'red']]])('exits 2 with the usage for %j', (args) => {
    const run = token(...args);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('usage: npm run -s token');
  });
});
