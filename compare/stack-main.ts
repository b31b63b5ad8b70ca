// The local stack of `npm start` (dev token issuer, DynamoDB Local, s3rver) in its own process,
// so the load generator's process does nothing but generate load. Started and stopped by pid by
// compare/stack.ts; sends the stack's environment once ready, stops everything on SIGTERM.
import { startLocalStack } from '../scripts/local-stack.js';

const stack = await startLocalStack(process.env.DUET_COMPARE_DATA!);
process.send!({ type: 'ready', env: stack.env });
process.once('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
