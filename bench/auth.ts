import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { decodeJwt } from 'jose';
import { newKey, signDevToken, type RunningIssuer } from '../scripts/dev-issuer.js';

/**
 * A dev issuer for the run (a child process, stopped by its pid) and one caller's token: duet is
 * measured authenticated, as it serves; the references get the same header and ignore it.
 */
export async function startBenchIssuer() {
  const key = await newKey();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/issuer-process.ts'], {
    env: { ...process.env, BENCH_ISSUER_KEY: JSON.stringify(key) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const env = JSON.parse(line.toString('utf8')) as RunningIssuer['env'];
  const token = await signDevToken(key, { sub: 'bench', ttl: 4 * 3600 });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  return { env, authorization: `Bearer ${token}`, claims: decodeJwt(token), stop };
}

export type BenchAuth = Awaited<ReturnType<typeof startBenchIssuer>>;
