// `npm start`: the container server on 127.0.0.1 against an embedded local stack (DynamoDB Local
// and s3rver, both persisting under .data/), or on the in-memory store with `-- --memory`.
import { join } from 'node:path';
import { runContainer } from '../container/main.js';
import { exitOnSignals } from '../container/server.js';
import { startLocalIssuer } from './dev-issuer.js';
import { JAVA_MISSING_MESSAGE, JavaMissingError, startLocalStack } from './local-stack.js';

// The machine runs Node 20; the SDK's notice that Node 22 will be required is known (DESIGN.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const memory = process.argv.includes('--memory');
const dataDir = join(process.cwd(), '.data');
const stops: (() => Promise<void>)[] = [];
const stopStack = async () => {
  await Promise.all(stops.map((stop) => stop()));
};

try {
  // Tokens from `npm run -s token -- --sub alice` are signed by the key this issuer publishes.
  const issuer = await startLocalIssuer(dataDir);
  stops.push(issuer.stop);
  let env: Record<string, string | undefined> = { ...process.env, PORT: process.env.PORT ?? '3000', HOST: '127.0.0.1', ...issuer.env };
  if (memory) {
    env = { ...env, STORE: 'memory' };
  } else {
    const stack = await startLocalStack(dataDir);
    stops.push(stack.stop);
    env = { ...env, ...stack.env };
  }
  const running = await runContainer(env);
  exitOnSignals(running, running.logger, stopStack);
} catch (error) {
  await stopStack();
  console.error(error instanceof JavaMissingError ? JAVA_MISSING_MESSAGE : error instanceof Error ? error.message : error);
  process.exit(1);
}
