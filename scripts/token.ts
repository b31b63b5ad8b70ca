// `npm run -s token -- --sub alice [--scope duet/tasks.read] [--ttl=3600] [--aud duet]`: prints a
// token from the local dev issuer (key under .data/, or DUET_DATA_DIR), which `npm start` and `npm run dev:lambda` trust.
import { parseArgs } from 'node:util';
import { loadOrCreateDevKey, localDataDir, signDevToken } from './dev-issuer.js';
import { lastIssuer } from './oidc-issuer.js';

const USAGE = 'usage: npm run -s token -- --sub <subject> [--scope "<scopes>"] [--ttl=<seconds>] [--aud <audience>]';

try {
  const { values } = parseArgs({
    options: { sub: { type: 'string' }, scope: { type: 'string' }, ttl: { type: 'string' }, aud: { type: 'string' } },
    strict: true,
  });
  if (!values.sub) throw new Error('--sub is required');
  if (values.ttl !== undefined && !/^-?\d+$/.test(values.ttl)) throw new Error('--ttl must be a whole number of seconds');
  const dataDir = localDataDir();
  const key = await loadOrCreateDevKey(dataDir);
  // The issuer `npm start` or `npm run dev:lambda` runs (or ran last) on this data folder.
  const iss = lastIssuer(dataDir);
  const token = await signDevToken(key, {
    sub: values.sub,
    ...(iss && { iss }),
    ...(values.scope !== undefined && { scope: values.scope }),
    ...(values.ttl !== undefined && { ttl: Number(values.ttl) }),
    ...(values.aud !== undefined && { aud: values.aud }),
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
