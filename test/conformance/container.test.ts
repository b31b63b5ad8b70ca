import { afterAll, beforeAll } from 'vitest';
import { devIssuer } from '../support/auth.js';
import { runContainer } from '../../container/main.js';
import type { RunningServer } from '../../container/server.js';
import { freshStack } from '../support/stack.js';
import { describeApiConformance } from './api.conformance.js';

const QUIET = { HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0', LOG_LEVEL: 'silent' };
const stack = await freshStack();
let memory: RunningServer;
let dynamo: RunningServer;

beforeAll(async () => {
  memory = await runContainer({ ...QUIET, ...devIssuer().env, STORE: 'memory' });
  dynamo = await runContainer({ ...QUIET, ...stack.env });
});
afterAll(async () => {
  await Promise.all([memory?.shutdown(), dynamo?.shutdown()]);
  stack.close();
});

describeApiConformance('container on the memory store', 'container', () => memory.url);
describeApiConformance('container on DynamoDB Local and s3rver', 'container', () => dynamo.url);
