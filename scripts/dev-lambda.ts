// `npm run dev:lambda`: the Lambda target under serverless-offline on http://127.0.0.1:3000,
// against the same embedded stack (dev token issuer, DynamoDB Local + s3rver, under .data/) that
// `npm start` uses. `npm run dev:lambda -- --lambdalith` serves one function running the Express app instead.
// It prints a banner, then one JSON line per request (errors with their cause): serverless-offline's
// own chatter is off (`-- --verbose` brings it back) and so are embedded metrics (EMF_METRICS=on).
import { localDataDir } from './dev-issuer.js';
import { localBanner } from './local-banner.js';
import { ensurePortFree, exitOnStartupFailure, startLocalStack } from './local-stack.js';
import { startOffline } from './offline.js';
import { writeWebAssets } from '../web/build.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HOST = '127.0.0.1';
const lambdalith = process.argv.includes('--lambdalith');
let stopStack = async () => {};
try {
  const port = Number(process.env.PORT ?? 3000);
  // A taken port is found before DynamoDB Local and the bundling spend their seconds.
  await ensurePortFree(port, HOST);
  // The web function bundles the UI as web/src has it now.
  await writeWebAssets();
  const stack = await startLocalStack(localDataDir());
  stopStack = stack.stop;
  const offline = await startOffline({
    stage: lambdalith ? 'local-lambdalith' : 'local',
    env: stack.env,
    httpPort: port,
    inheritOutput: true,
    quiet: !process.argv.includes('--verbose'),
  });
  const onSignal = () => {
    offline.stop().then(() => stopStack()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.stderr.write(
    localBanner({
      url: offline.endpoint,
      serving: `the Lambda target under serverless-offline, ${lambdalith ? 'one function running the Express app' : 'one function per route group'}`,
      stack: stack.info,
      stopHint: "Ctrl-C stops it all; each request logs one JSON line (the function's), errors with their cause.",
    }),
  );
} catch (error) {
  await stopStack();
  exitOnStartupFailure(error, 'npm run dev:lambda');
}
