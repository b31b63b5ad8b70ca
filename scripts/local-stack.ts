import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import { ATTACHMENT_CORS } from '../cdktf/attachment-cors.js';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import S3rver from 's3rver';
import { LOCAL_CREDENTIALS } from '../wiring/sdk.js';
import { migrateAttachmentKeys } from '../core/adapters/dynamo-migrations.js';
import { tableDefinition, TTL_ATTRIBUTE } from '../core/adapters/dynamo-table.js';
import { devKeyFile, loadOrCreateDevKey } from './dev-issuer.js';
import { startOidcIssuer } from './oidc-issuer.js';
import type { LocalStackInfo } from './local-banner.js';

export { LOCAL_CREDENTIALS };
export const LOCAL_REGION = 'us-east-1';

export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class JavaMissingError extends Error {}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** Fails with PortInUseError before anything slow starts, when a fixed port is taken. */
export async function ensurePortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/** Starts AWS's DynamoDB Local (shipped inside amplify-dynamodb-simulator) on 127.0.0.1; `pid` is the Java process's own. */
export async function startDynamoDbLocal(options: { port?: number; dbPath?: string } = {}): Promise<RunningService & { pid: number }> {
  const jarDir = join(dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const port = options.port ?? (await freePort());
  const storage = options.dbPath ? ['-sharedDb', '-dbPath', options.dbPath] : ['-inMemory'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child: ChildProcess = spawn(
    'java',
    [`-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`, '-jar', join(jarDir, 'DynamoDBLocal.jar'), ...storage, '-port', String(port), '-disableTelemetry'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new JavaMissingError('java was not found on PATH') : error),
    ),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  // Resolves only once the process is gone (its port closed), SIGKILLed if SIGTERM takes over 5 s.
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    }
  };
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    // About 2 s on an idle machine; a JVM starting on a loaded one can take many times that.
    await Promise.race([spawnError, waitUntil(() => client.send(new ListTablesCommand({})), 90_000, () => child.exitCode !== null)]);
  } catch (error) {
    await stop();
    if (error instanceof JavaMissingError) throw error;
    throw new Error(`DynamoDB Local did not start on ${endpoint}: ${stderr.trim() || String(error)}`, { cause: error });
  } finally {
    client.destroy();
  }
  return { endpoint, stop, pid: child.pid! };
}

/** Starts s3rver in this process on 127.0.0.1, keeping objects under `directory`. */
export async function startS3rver(options: { directory: string; port?: number }): Promise<RunningService> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, directory: options.directory, silent: true });
  const { port } = (await server.run()) as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

/** Creates the table, or brings one kept under .data/ by an earlier version to today's key layout. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    if (TableNames.includes(tableName)) {
      await migrateAttachmentKeys({ client: DynamoDBDocumentClient.from(client), tableName });
      return;
    }
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }),
    );
  } finally {
    client.destroy();
  }
}

/** Where the web UI runs locally: any loopback port (npm start, npm run dev:lambda, the tests). */
export const LOCAL_UI_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*'];

export async function ensureBucket(endpoint: string, bucketName: string): Promise<void> {
  const client = new S3Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucketName })).catch(() => client.send(new CreateBucketCommand({ Bucket: bucketName })));
    // The rule cdktf gives the deployed bucket, for the web UI on any loopback port.
    const rule = { AllowedOrigins: LOCAL_UI_ORIGINS, AllowedMethods: ATTACHMENT_CORS.allowedMethods, AllowedHeaders: ATTACHMENT_CORS.allowedHeaders, ExposeHeaders: ['ETag'], MaxAgeSeconds: 3000 };
    await client.send(new PutBucketCorsCommand({ Bucket: bucketName, CORSConfiguration: { CORSRules: [rule] } }));
  } finally {
    client.destroy();
  }
}

async function waitUntil(probe: () => Promise<unknown>, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (gaveUp() || Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

export const LOCAL_TABLE = 'duet-local';
export const LOCAL_BUCKET = 'duet-local';

/**
 * The embedded stack of `npm start` and `npm run dev:lambda`: the local OpenID provider (its key under
 * `dataDir`, so `npm run token` signs what it publishes) and, unless `memory`, DynamoDB Local and
 * s3rver keeping their data under `dataDir`, with the table and bucket created when missing.
 * Resolves to the environment a composition root reads, and a stop() for all of it.
 */
export async function startLocalStack(
  dataDir: string,
  { memory = false } = {},
): Promise<{ env: Record<string, string>; info: LocalStackInfo; stop(): Promise<void> }> {
  const services: RunningService[] = [];
  const stop = async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
  };
  try {
    const issuer = await startOidcIssuer(await loadOrCreateDevKey(dataDir), dataDir);
    services.push({ endpoint: issuer.jwksUrl, stop: issuer.stop });
    const issuerInfo = { issuer: issuer.env.AUTH_ISSUER, jwksUrl: issuer.jwksUrl, keyFile: devKeyFile(dataDir) };
    if (memory) return { env: { STORE: 'memory', ...issuer.env }, info: { issuer: issuerInfo }, stop };
    const dynamoDir = join(dataDir, 'dynamodb');
    const s3Dir = join(dataDir, 's3');
    const dynamo = await startDynamoDbLocal({ dbPath: dynamoDir });
    services.push(dynamo);
    const s3 = await startS3rver({ directory: s3Dir });
    services.push(s3);
    await ensureTable(dynamo.endpoint, LOCAL_TABLE);
    await ensureBucket(s3.endpoint, LOCAL_BUCKET);
    const env = {
      STORE: 'dynamodb',
      TABLE_NAME: LOCAL_TABLE,
      BUCKET_NAME: LOCAL_BUCKET,
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      ...issuer.env,
    };
    const info = {
      issuer: issuerInfo,
      dynamodb: { endpoint: dynamo.endpoint, table: LOCAL_TABLE, dataDir: dynamoDir },
      s3: { endpoint: s3.endpoint, bucket: LOCAL_BUCKET, dataDir: s3Dir },
    };
    return { env, info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The one line users see when DynamoDB Local cannot start for want of Java. */
export const JAVA_MISSING_MESSAGE =
  'Java was not found: DynamoDB Local needs Java 17+ (apt-get install openjdk-17-jre-headless); or run on the in-memory store with `npm start -- --memory`.';

/**
 * The line users see when the port is taken, with the command to run instead on the next port:
 * `command` is how they started it (`npm start`), `args` what they passed after `--`.
 */
export function portInUseMessage(port: number, host: string, command: string, args: string[] = []): string {
  const again = `PORT=${port + 1} ${command}${args.length ? ` -- ${args.join(' ')}` : ''}`;
  return `Port ${port} on ${host} is already in use (another server, or an earlier run still going?). Pick another port: ${again}`;
}

function startupFailureMessage(error: unknown, command: string, args: string[]): string {
  if (error instanceof JavaMissingError) return JAVA_MISSING_MESSAGE;
  if (error instanceof PortInUseError) return portInUseMessage(error.port, error.host, command, args);
  // A port taken between the check and the listen: the server's own error.
  const listen = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (listen?.code === 'EADDRINUSE' && listen.port !== undefined) return portInUseMessage(listen.port, listen.address ?? '127.0.0.1', command, args);
  return error instanceof Error ? error.message : String(error);
}

/** How `npm start` and `npm run dev:lambda` fail: one line without a stack trace, and exit 1. */
export function exitOnStartupFailure(error: unknown, command: string, args: string[] = process.argv.slice(2)): never {
  console.error(startupFailureMessage(error, command, args));
  process.exit(1);
}
