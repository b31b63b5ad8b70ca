// The local Lambda front as its own process (started by compare/targets.ts, stopped by its pid),
// so the load generator's CPU is its own. Configuration comes as JSON in DUET_LAMBDA_FRONT; it
// answers `stats` messages with the sandboxes' counts and stops on `stop` or SIGTERM.
import { startLambdaFront, type LambdaFrontOptions } from './front.js';

const front = await startLambdaFront(JSON.parse(process.env.DUET_LAMBDA_FRONT!) as LambdaFrontOptions);
const stop = async () => {
  await front.stop();
  process.exit(0);
};
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', stats: front.stats() });
  if (message.type === 'stop') void stop();
});
process.once('SIGTERM', () => void stop());
process.send!({ type: 'listening', url: front.url });
