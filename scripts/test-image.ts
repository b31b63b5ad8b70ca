// `npm run test:image`: builds container/Dockerfile for real and runs the image the way the Helm
// chart runs it (user, read-only root, dropped capabilities, tmpfs /tmp), against DynamoDB Local
// and s3rver on 127.0.0.1. Checks health, readiness, a task round trip, metrics on their own port
// only, and a drain on SIGTERM with requests in flight, with tokens from a dev issuer standing in for the chart's Cognito.
// Everything it starts, it stops.
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import { newKey, signDevToken, startDevIssuer } from './dev-issuer.js';
import { buildStandInNodeImage, docker, ensureDockerEngine, imageExists, sh } from './docker.js';
import { renderChart } from './helm.js';
import { ensureBucket, ensureTable, freePort, LOCAL_REGION, startDynamoDbLocal, startS3rver, type RunningService } from './local-stack.js';

// The machine may run Node 20 (README, "Node versions"); the SDK's notice that it will need Node 22 is known.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(import.meta.dirname, '..');
const IMAGE = 'duet:image-test';
const log = (line: string) => console.log(`[test:image] ${line}`);
const cleanups: (() => Promise<unknown>)[] = [];
let passed = 0;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
  passed += 1;
  log(`ok - ${message}`);
}

/** What the chart asks of the pod, read from the rendered dev manifests. */
async function podContract() {
  const objects = parseAllDocuments(await renderChart({ environment: 'dev' })).map((document) => document.toJS());
  const deployment = objects.find((object) => object?.kind === 'Deployment');
  const configMap = objects.find((object) => object?.kind === 'ConfigMap');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const tmp = pod.volumes.find((volume: { name: string }) => volume.name === 'tmp').emptyDir.sizeLimit as string;
  return {
    user: `${container.securityContext.runAsUser}:${container.securityContext.runAsGroup}`,
    readOnlyRoot: container.securityContext.readOnlyRootFilesystem === true,
    dropAll: container.securityContext.capabilities.drop.includes('ALL'),
    noNewPrivileges: container.securityContext.allowPrivilegeEscalation === false,
    tmpfsSize: tmp.replace(/Mi$/, 'm').replace(/Gi$/, 'g'),
    env: configMap.data as Record<string, string>,
    drainBudgetSeconds: pod.terminationGracePeriodSeconds - container.lifecycle.preStop.sleep.seconds,
  };
}

async function waitForReady(base: string, container: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    if ((await docker('inspect', '-f', '{{.State.Running}}', container)) !== 'true') break;
    const status = await fetch(`${base}/readyz`).then((response) => response.status, () => 0);
    if (status === 200) return;
  }
  throw new Error(`the container did not become ready:\n${await docker('logs', container).catch(() => '')}`);
}

/** A POST whose body arrives in two halves, so the request is in flight while the server drains. */
function slowCreate(base: string, title: string, authorization: string) {
  const body = JSON.stringify({ title });
  const half = Math.floor(body.length / 2);
  let finish = () => {};
  const response = new Promise<number>((resolve, reject) => {
    const req = request(`${base}/v1/tasks`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(body.slice(0, half));
    finish = () => req.end(body.slice(half));
  });
  return { response, finish: () => finish() };
}

async function main() {
  const engine = await ensureDockerEngine(log);
  cleanups.push(() => engine.stop());

  const dockerfile = readFileSync(join(root, 'container', 'Dockerfile'), 'utf8');
  const bases = new Set([...dockerfile.matchAll(/^ARG (?:BUILD|RUNTIME)_IMAGE=(\S+)$/gm)].map((match) => match[1]!));
  for (const base of bases) if (!(await imageExists(base))) await buildStandInNodeImage(base, log);

  const sha = await sh('git', ['rev-parse', 'HEAD'], { cwd: root }).catch(() => 'unknown');
  log(`building ${IMAGE} from container/Dockerfile (GIT_SHA=${sha})`);
  const started = Date.now();
  await docker('build', '--network', 'host', '-q', '-f', 'container/Dockerfile', '--build-arg', `GIT_SHA=${sha}`, '-t', IMAGE, root);
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const size = Number(await docker('image', 'inspect', '-f', '{{.Size}}', IMAGE));
  check((await docker('image', 'inspect', '-f', '{{index .Config.Labels "org.opencontainers.image.revision"}}', IMAGE)) === sha, 'the image is labelled with the git sha');
  check((await docker('image', 'inspect', '-f', '{{.Config.User}}', IMAGE)) !== '', 'the image declares a non-root user');

  const s3Dir = mkdtempSync(join(tmpdir(), 'duet-image-s3-'));
  cleanups.push(async () => rmSync(s3Dir, { recursive: true, force: true }));
  const services: RunningService[] = [];
  cleanups.push(() => Promise.all(services.map((service) => service.stop())));
  const dynamo = await startDynamoDbLocal();
  services.push(dynamo);
  const s3 = await startS3rver({ directory: s3Dir });
  services.push(s3);
  await ensureTable(dynamo.endpoint, 'duet-image-test');
  await ensureBucket(s3.endpoint, 'duet-image-test');

  const key = await newKey();
  const issuer = await startDevIssuer(key);
  cleanups.push(() => issuer.stop());
  const authorization = `Bearer ${await signDevToken(key, { sub: 'image-test' })}`;

  const pod = await podContract();
  const port = await freePort();
  const metricsPort = await freePort();
  // SERVICE_VERSION is left to the image (the chart sets it to the same sha: image.tag).
  const { SERVICE_VERSION: _chartVersion, ...chartEnv } = pod.env;
  const env = { ...chartEnv, PORT: String(port), METRICS_PORT: String(metricsPort), HOST: '127.0.0.1', TABLE_NAME: 'duet-image-test', BUCKET_NAME: 'duet-image-test', AWS_REGION: LOCAL_REGION, DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint, LOG_LEVEL: 'warn', ...issuer.env };
  const name = `duet-image-test-${process.pid}`;
  const args = ['run', '-d', '--name', name, '--network', 'host', '--user', pod.user, '--tmpfs', `/tmp:rw,noexec,nosuid,size=${pod.tmpfsSize}`];
  if (pod.readOnlyRoot) args.push('--read-only');
  if (pod.dropAll) args.push('--cap-drop', 'ALL');
  if (pod.noNewPrivileges) args.push('--security-opt', 'no-new-privileges');
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  await docker(...args, IMAGE);
  cleanups.push(() => docker('rm', '-f', name).catch(() => ''));
  log(`running as ${pod.user}, read-only root, capabilities dropped, tmpfs /tmp ${pod.tmpfsSize}, on 127.0.0.1:${port}`);

  const base = `http://127.0.0.1:${port}`;
  await waitForReady(base, name);
  check((await docker('exec', name, 'node', '-e', 'process.stdout.write(String(process.getuid()))')) === pod.user.split(':')[0], 'the process runs as the chart\'s uid');
  const tryWrite = (path: string) => docker('exec', name, 'node', '-e', `require('fs').writeFileSync('${path}', 'x')`).then(() => true, () => false);
  check(!(await tryWrite('/app/probe')) && (await tryWrite('/tmp/probe')), 'the root filesystem is read-only and /tmp is writable');
  const health = await fetch(`${base}/healthz`);
  check(health.status === 200 && ((await health.json()) as { status: string }).status === 'ok', 'GET /healthz answers 200 {"status":"ok"}');
  check((await fetch(`${base}/readyz`)).status === 200, 'GET /readyz answers 200 against DynamoDB Local and s3rver');
  const config = (await (await fetch(`${base}/config`)).json()) as { version: string; target: string };
  check(config.version === sha && config.target === 'container', 'GET /config reports the image\'s SERVICE_VERSION (git sha)');
  const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  check(scraped.status === 200 && /^http_requests_total\{/m.test(await scraped.text()), 'GET /metrics on METRICS_PORT serves Prometheus metrics');
  check((await fetch(`${base}/metrics`)).status === 404, 'GET /metrics on the public port answers 404');

  const anonymous = await fetch(`${base}/v1/tasks`);
  check(anonymous.status === 401 && anonymous.headers.get('www-authenticate') === 'Bearer realm="duet"', 'GET /v1/tasks without a token answers 401 with a Bearer challenge');
  check(anonymous.headers.get('strict-transport-security') !== null && anonymous.headers.get('x-powered-by') === null, "responses carry helmet's headers and no x-powered-by");
  const headers = { 'content-type': 'application/json', authorization };
  const created = await fetch(`${base}/v1/tasks`, { method: 'POST', headers, body: JSON.stringify({ title: 'ship the image' }) });
  check(created.status === 201, 'POST /v1/tasks with a token from the issuer creates a task (201)');
  const location = created.headers.get('location')!;
  const fetched = await fetch(new URL(location, base), { headers: { authorization } });
  check(fetched.status === 200 && ((await fetched.json()) as { title: string }).title === 'ship the image', 'GET on its Location reads it back');

  const inFlight = Array.from({ length: 8 }, (_, index) => slowCreate(base, `in flight ${index}`, authorization));
  await sleep(300);
  const sigtermAt = Date.now();
  await docker('kill', '--signal', 'SIGTERM', name);
  await sleep(1000);
  check((await docker('inspect', '-f', '{{.State.Running}}', name)) === 'true', 'the server keeps running while requests are in flight');
  for (const request of inFlight) request.finish();
  const statuses = await Promise.all(inFlight.map((request) => request.response.catch((error: Error) => error.message)));
  check(statuses.every((status) => status === 201), `every in-flight request completed (${statuses.join(', ')})`);
  const exitCode = Number(await docker('wait', name));
  const seconds = (Date.now() - sigtermAt) / 1000;
  check(exitCode === 0, `the container exited 0 after SIGTERM (exit code ${exitCode})`);
  check(seconds < pod.drainBudgetSeconds, `it stopped within the grace period left after preStop (${seconds.toFixed(1)} s < ${pod.drainBudgetSeconds} s)`);

  log(`image size: ${(size / 1024 / 1024).toFixed(1)} MiB (${size} bytes)`);
}

let failed = false;
try {
  await main();
  log('passed');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup:', error));
}
console.log(`image: ${passed} passed, ${failed ? 1 : 0} failed`);
process.exit(failed ? 1 : 0);
