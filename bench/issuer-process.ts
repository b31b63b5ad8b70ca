// The bench's dev issuer, in its own process: the cold-start runs block the bench's event loop
// (spawnSync), and a lambdalith verifying its first token must still get the JWKS.
import { startDevIssuer } from '../scripts/dev-issuer.js';

const issuer = await startDevIssuer(JSON.parse(process.env.BENCH_ISSUER_KEY!));
process.stdout.write(`${JSON.stringify(issuer.env)}\n`);
process.once('SIGTERM', () => void issuer.stop().then(() => process.exit(0)));
