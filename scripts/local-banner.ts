import { relative } from 'node:path';

/** Where the embedded stack of `npm start` and `npm run dev:lambda` runs and keeps its data. */
export interface LocalStackInfo {
  issuer: { issuer: string; jwksUrl: string; keyFile: string };
  dynamodb?: { endpoint: string; table: string; dataDir: string };
  s3?: { endpoint: string; bucket: string; dataDir: string };
}

/** A path as the user typed their way there: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function shellQuoted(value: string): string {
  return /^[\w./:=@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The exact command that prints a token this stack's issuer signed (its key lives in the data folder). */
export function tokenCommand(env: Record<string, string | undefined> = process.env): string {
  const prefix = env.DUET_DATA_DIR ? `DUET_DATA_DIR=${shellQuoted(env.DUET_DATA_DIR)} ` : '';
  return `${prefix}npm run -s token -- --sub alice`;
}

/**
 * The few lines `npm start` and `npm run dev:lambda` print once they listen: where to send
 * requests, what runs behind it and where its data lives, and how to get a token. Plain text, so
 * it reads the same on every Node and terminal.
 */
export function localBanner(options: { url: string; serving: string; stack: LocalStackInfo; stopHint: string; metricsUrl?: string; env?: Record<string, string | undefined>; cwd?: string }): string {
  const { url, serving, stack, stopHint, metricsUrl, env = process.env, cwd = process.cwd() } = options;
  const { dynamodb, s3, issuer } = stack;
  const lines = [
    `duet is listening on ${url} (${serving})`,
    dynamodb
      ? `  tasks   DynamoDB Local ${dynamodb.endpoint}, table ${dynamodb.table}, data in ${shown(dynamodb.dataDir, cwd)}`
      : '  tasks   in memory (--memory): gone when it stops',
    s3
      ? `  files   s3rver ${s3.endpoint}, bucket ${s3.bucket}, data in ${shown(s3.dataDir, cwd)}`
      : '  files   in memory: upload URLs are signed but nothing serves them',
    `  issuer  ${issuer.issuer} (OpenID; ${url}/ signs in with any user name), signing key ${shown(issuer.keyFile, cwd)}`,
    `  token   TOKEN=$(${tokenCommand(env)})`,
    `  try     curl -s -H "authorization: Bearer $TOKEN" ${url}/v1/tasks   (API: ${url}/openapi.json)`,
    ...(metricsUrl ? [`  metrics ${metricsUrl}/metrics (Prometheus; METRICS_PORT picks the port)`] : []),
    `  ${stopHint}`,
  ];
  return `${lines.join('\n')}\n`;
}
