// One local Lambda sandbox: a plain Node process (no TypeScript loader, so its start is Node's
// and the bundle's alone) that imports a function's bundle once, then answers one event at a
// time over IPC, as Lambda's runtime does. Its stdout and stderr are the function's log.
import { pathToFileURL } from 'node:url';

const [bundle, exportName = 'handler'] = process.argv.slice(2);
const module = await import(pathToFileURL(bundle).href);
const handler = module[exportName];
if (typeof handler !== 'function') throw new Error(`${bundle} exports no function ${exportName}`);
process.send({ type: 'ready' });

process.on('message', async ({ id, event, deadlineMs }) => {
  const started = performance.now();
  const context = {
    awsRequestId: event.requestContext?.requestId ?? String(id),
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - (performance.now() - started)),
  };
  try {
    const result = await handler(event, context);
    process.send({ type: 'result', id, result, durationMs: performance.now() - started, rssMb: process.memoryUsage.rss() / 1048576 });
  } catch (error) {
    console.error(JSON.stringify({ errorType: error?.name ?? 'Error', errorMessage: error?.message ?? String(error) }));
    process.send({ type: 'error', id, durationMs: performance.now() - started, rssMb: process.memoryUsage.rss() / 1048576 });
  }
});
