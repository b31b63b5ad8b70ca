import { decodeJwt } from 'jose';
import { newKey, signDevToken, startDevIssuer } from '../scripts/dev-issuer.js';

/**
 * A dev issuer for the run and one caller's token: duet is measured authenticated, as it
 * serves; the references get the same header and ignore it.
 */
export async function startBenchIssuer() {
  const key = await newKey();
  const issuer = await startDevIssuer(key);
  const token = await signDevToken(key, { sub: 'bench', ttl: 4 * 3600 });
  return { env: issuer.env, authorization: `Bearer ${token}`, claims: decodeJwt(token), stop: issuer.stop };
}

export type BenchAuth = Awaited<ReturnType<typeof startBenchIssuer>>;
