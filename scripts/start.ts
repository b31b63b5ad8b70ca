// `npm start`: the container server on 127.0.0.1 against an embedded local stack (the dev token
// issuer, DynamoDB Local and s3rver, persisting under .data/), or on the in-memory store with
// `-- --memory`. Tokens from `npm run -s token -- --sub alice` are signed by the issuer's key.
// PORT picks the port (3000; 0 for any free one), DUET_DATA_DIR the data folder.
import { exitOnSignals } from '../container/server.js';
import { writeWebAssets } from '../web/build.mjs';
import { localDataDir } from './dev-issuer.js';
import { localBanner } from './local-banner.js';
import { ensurePortFree, exitOnStartupFailure, startLocalStack } from './local-stack.js';

// The machine may run Node 20 (README, "Node versions"); the SDK's notice that it will need Node 22 is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const HOST = '127.0.0.1';
const memory = process.argv.includes('--memory');
let stopStack = async () => {};
try {
  const port = process.env.PORT ?? '3000';
  // A taken port is found before DynamoDB Local spends seconds starting.
  if (/^\d+$/.test(port)) await ensurePortFree(Number(port), HOST);
  // The UI as web/src has it now; the container imports the build, so it is built first.
  await writeWebAssets();
  const { runContainer } = await import('../container/main.js');
  const stack = await startLocalStack(localDataDir(), { memory });
  stopStack = stack.stop;
  // Metrics on a free port unless METRICS_PORT says otherwise, so a second `npm start` on another
  // PORT never collides; the banner says where they are.
  const running = await runContainer({ ...process.env, PORT: port, METRICS_PORT: process.env.METRICS_PORT ?? '0', HOST, ...stack.env });
  exitOnSignals(running, running.logger, stopStack);
  process.stderr.write(
    localBanner({
      url: running.url,
      serving: `the container target${memory ? ', in-memory store' : ''}`,
      stack: stack.info,
      metricsUrl: running.metricsUrl,
      stopHint: 'Ctrl-C drains the server and stops the rest; request logs follow as JSON lines.',
    }),
  );
} catch (error) {
  await stopStack();
  exitOnStartupFailure(error, 'npm start');
}
