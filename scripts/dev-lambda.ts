// `npm run dev:lambda`: the Lambda target under serverless-offline on http://127.0.0.1:3000,
// against the same embedded stack (dev token issuer, DynamoDB Local + s3rver, under .data/) that
// `npm start` uses. `npm run dev:lambda -- --lambdalith` serves one function running the Express app instead.
import { join } from 'node:path';
import { exitOnStartupFailure, startLocalStack } from './local-stack.js';
import { startOffline } from './offline.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let stopStack = async () => {};
try {
  const stack = await startLocalStack(join(process.cwd(), '.data'));
  stopStack = stack.stop;
  const offline = await startOffline({
    stage: process.argv.includes('--lambdalith') ? 'local-lambdalith' : 'local',
    env: stack.env,
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
  exitOnStartupFailure(error);
}
