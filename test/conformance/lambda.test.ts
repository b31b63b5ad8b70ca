import { afterAll, beforeAll } from 'vitest';
import { startOffline } from '../../scripts/offline.js';
import type { RunningService } from '../../scripts/local-stack.js';
import { freshStack } from '../support/stack.js';
import { describeApiConformance } from './api.conformance.js';

const stack = await freshStack();
let routes: RunningService | undefined;
let lambdalith: RunningService | undefined;

beforeAll(async () => {
  const env = { ...stack.env, LOG_LEVEL: 'silent' };
  // One after the other: each builds its bundles first, and two builds at once starve a 2-core machine.
  routes = await startOffline({ stage: 'local', env });
  lambdalith = await startOffline({ stage: 'local-lambdalith', env });
}, 240_000);
afterAll(async () => {
  await Promise.all([routes?.stop(), lambdalith?.stop()]);
  stack.close();
});

describeApiConformance('serverless-offline, one function per route group', 'lambda', () => routes!.endpoint);
describeApiConformance('serverless-offline, lambdalith', 'lambda', () => lambdalith!.endpoint);
