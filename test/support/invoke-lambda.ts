// Run as a child process by tests: imports a handler module (argv[2]), answers the API Gateway
// events in DUET_EVENTS (a JSON array) one after the other, prints nothing itself, and exits.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { lambdaContext } from './lambda-events.js';

const { handler } = (await import(pathToFileURL(resolve(process.argv[2]!)).href)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
};
for (const event of JSON.parse(process.env.DUET_EVENTS ?? '[]') as unknown[]) await handler(event, lambdaContext);
// Give pino's stream a turn to write its last line before exiting.
setTimeout(() => process.exit(0), 50);
