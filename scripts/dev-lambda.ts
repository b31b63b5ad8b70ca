// `npm run dev:lambda`: the Lambda target under serverless-offline on http://127.0.0.1:3000,
// against the same embedded DynamoDB Local + s3rver (under .data/) that `npm start` uses.
// `npm run dev:lambda -- --lambdalith` serves one function running the Express app instead.
import { join } from 'node:path';
import { startLocalIssuer } from './dev-issuer.js';
import { JAVA_MISSING_MESSAGE, JavaMissingError, startLocalStack } from './local-stack.js';
import { startOffline } from './offline.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dataDir = join(process.cwd(), '.data');
const stops: (() => Promise<void>)[] = [];
const stopStack = async () => {
  await Promise.all(stops.map((stop) => stop()));
};
try {
  const issuer = await startLocalIssuer(dataDir);
  stops.push(issuer.stop);
  const stack = await startLocalStack(dataDir);
  stops.push(stack.stop);
  const offline = await startOffline({
    stage: process.argv.includes('--lambdalith') ? 'local-lambdalith' : 'local',
    env: { ...stack.env, ...issuer.env },
    httpPort: Number(process.env.PORT ?? 3000),
    inheritOutput: true,
  });
  const onSignal = async () => {
    await offline.stop();
    await stopStack();
    process.exit(0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
} catch (error) {
  await stopStack();
  console.error(error instanceof JavaMissingError ? JAVA_MISSING_MESSAGE : error instanceof Error ? error.message : error);
  process.exit(1);
}
