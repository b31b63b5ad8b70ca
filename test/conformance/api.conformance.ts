import { randomUUID } from 'node:crypto';
import { beforeAll, describe } from 'vitest';
import { SCOPES } from '../../core/domain/scopes.js';
import { devIssuer } from '../support/auth.js';
import { client } from './client.js';
import { attachmentsConformance } from './attachments.conformance.js';
import { authConformance, type Callers } from './auth.conformance.js';
import { badInputConformance, contentEncodingConformance, textConformance } from './bad-input.conformance.js';
import { opsConformance } from './ops.conformance.js';
import { pagingConformance } from './paging.conformance.js';
import { tasksConformance } from './tasks.conformance.js';
import { webConformance } from './web.conformance.js';

/**
 * The black-box HTTP contract of docs/design.md, parameterised by a base URL. Every target runs it;
 * any difference between targets is a failing test. Calls are made as a tenant of the dev issuer
 * the global setup runs (a fresh subject per suite), the auth part with several.
 */
export function describeApiConformance(name: string, target: 'container' | 'lambda', baseUrl: () => string) {
  const issuer = devIssuer();
  const tokens: Record<string, string> = {};
  const as = (caller: string) => client(baseUrl, () => tokens[caller]!);
  const callers: Callers = { alice: as('alice'), bob: as('bob'), reader: as('reader'), anonymous: client(baseUrl), issuer };
  const call = callers.alice;
  const newTenant = async () => {
    const token = await issuer.token(`tenant-${randomUUID()}`);
    return client(baseUrl, () => token);
  };
  beforeAll(async () => {
    const run = randomUUID().slice(0, 8);
    tokens.alice = await issuer.token(`alice-${run}`);
    tokens.bob = await issuer.token(`bob-${run}`);
    tokens.reader = await issuer.token(`alice-${run}`, { scope: SCOPES.read });
  });
  describe(`API conformance: ${name}`, () => {
    describe('operations and legacy routes', () => opsConformance(call, target));
    describe('web UI', () => webConformance(call));
    describe('tasks', () => tasksConformance(call));
    describe('paging', () => pagingConformance(newTenant));
    describe('attachments', () => attachmentsConformance(call));
    describe('bad input', () => badInputConformance(call));
    describe('content encoding', () => contentEncodingConformance(call));
    describe('text fields', () => textConformance(call));
    describe('authentication, tenancy and hardening', () => authConformance(callers));
  });
}
