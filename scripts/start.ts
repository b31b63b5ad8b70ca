// `npm start`: the container server on 127.0.0.1 against an embedded local stack (the dev token
// issuer, DynamoDB Local and s3rver, persisting under .data/), or on the in-memory store with
// `-- --memory`. Tokens from `npm run -s token -- --sub alice` are signed by the issuer's key.
import { join } from 'node:path';
import { runContainer } from '../container/main.js';
import { exitOnSignals } from '../container/server.js';
import { exitOnStartupFailure, startLocalStack } from './local-stack.js';

// The machine runs Node 20; the SDK's notice that Node 22 will be required is known (DESIGN.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let stopStack = async () => {};
try {
  const stack = await startLocalStack(join(process.cwd(), '.data'), { memory: process.argv.includes('--memory') });
  stopStack = stack.stop;
  // Metrics on a free port unless METRICS_PORT says otherwise, so a second `npm start` on another
  // PORT never collides; the "listening" line says where they are.
  const running = await runContainer({ ...process.env, PORT: process.env.PORT ?? '3000', METRICS_PORT: process.env.METRICS_PORT ?? '0', HOST: '127.0.0.1', ...stack.env });
  exitOnSignals(running, running.logger, stopStack);
} catch (error) {
  await stopStack();
  exitOnStartupFailure(error);
}
