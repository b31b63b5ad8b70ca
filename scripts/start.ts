// `npm start`: the container server on 127.0.0.1 against an embedded local stack (DynamoDB Local
// and s3rver, both persisting under .data/), or on the in-memory store with `-- --memory`.
import { join } from 'node:path';
import { runContainer } from '../container/main.js';
import { ensureBucket, ensureTable, JavaMissingError, LOCAL_REGION, startDynamoDbLocal, startS3rver, type RunningService } from './local-stack.js';

// The machine runs Node 20; the SDK's notice that Node 22 will be required is known (DESIGN.md).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LOCAL_TABLE = 'duet-local';
const LOCAL_BUCKET = 'duet-local';
const dataDir = join(process.cwd(), '.data');
const memory = process.argv.includes('--memory');

const stack: RunningService[] = [];
const stopStack = () => Promise.all(stack.splice(0).map((service) => service.stop()));
let env: Record<string, string | undefined> = { ...process.env, PORT: process.env.PORT ?? '3000', HOST: '127.0.0.1' };

try {
  if (memory) {
    env = { ...env, STORE: 'memory' };
  } else {
    const dynamo = await startDynamoDbLocal({ dbPath: join(dataDir, 'dynamodb') });
    stack.push(dynamo);
    const s3 = await startS3rver({ directory: join(dataDir, 's3') });
    stack.push(s3);
    await ensureTable(dynamo.endpoint, LOCAL_TABLE);
    await ensureBucket(s3.endpoint, LOCAL_BUCKET);
    env = {
      ...env,
      STORE: 'dynamodb',
      TABLE_NAME: LOCAL_TABLE,
      BUCKET_NAME: LOCAL_BUCKET,
      AWS_REGION: LOCAL_REGION,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
    };
  }
  const running = await runContainer(env);
  const onSignal = async () => {
    const drained = await running.shutdown();
    await stopStack();
    process.exit(drained ? 0 : 1);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
} catch (error) {
  await stopStack();
  if (error instanceof JavaMissingError) {
    console.error('Java was not found: DynamoDB Local needs Java 17+ (apt-get install openjdk-17-jre-headless); or run on the in-memory store with `npm start -- --memory`.');
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
