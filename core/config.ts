import * as z from 'zod';

export type Target = 'lambda' | 'container';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const Env = z.object({
  STORE: z.enum(['dynamodb', 'memory']).default('dynamodb'),
  TABLE_NAME: z.string().min(1).optional(),
  BUCKET_NAME: z.string().min(1).optional(),
  AWS_REGION: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  PORT: z.string().regex(/^\d{1,5}$/, 'must be a port number').default('3000').transform(Number).pipe(z.int().max(65535)),
  METRICS_PORT: z.string().regex(/^\d{1,5}$/, 'must be a port number').default('9464').transform(Number).pipe(z.int().max(65535)),
  HOST: z.string().min(1).default('0.0.0.0'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  SERVICE_VERSION: z.string().min(1).default('dev'),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_CLAIMS: z.enum(['token', 'gateway']).default('token'),
  AUTH_LOGIN_URL: z.url({ protocol: /^https?$/ }).optional(),
  EMF_METRICS: z.enum(['on', 'off']).default('on'),
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, 'must be an origin such as https://app.example.com')))
    .default([]),
});

/** Who issues the bearer tokens the service accepts, and how a runtime learns their claims. */
export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** `gateway`: trust the claims API Gateway's JWT authorizer verified (per-route Lambda functions only). */
  claims: 'token' | 'gateway';
  /** Where the web UI's sign-in and token endpoints live when not at the issuer's origin (Cognito's hosted domain). */
  loginUrl?: string;
}

/**
 * The configuration, as loadConfig builds it: a union by store, so a memory configuration has no
 * table, bucket or region and a DynamoDB one always has all three (narrow on `config.store`).
 */
export type Config = ReturnType<typeof loadConfig>;
/** A configuration whose data lives in DynamoDB and S3. */
export type DynamoConfig = Extract<Config, { store: 'dynamodb' }>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration once, at a composition root. Fails fast, naming every missing or
 * invalid variable. STORE=memory (local runs only) drops the need for a table and a bucket.
 */
export function loadConfig(env: Record<string, string | undefined>, target: Target) {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const values = parsed.data;
  const required = [...(values.STORE === 'dynamodb' ? (['TABLE_NAME', 'BUCKET_NAME', 'AWS_REGION'] as const) : []), 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const;
  const missing = required.filter((key) => !values[key]);
  if (missing.length) throw new ConfigError(`Missing required environment variable(s): ${missing.join(', ')}`);
  const issuer = values.AUTH_ISSUER!;
  const auth: AuthConfig = {
    issuer,
    audience: values.AUTH_AUDIENCE!,
    jwksUrl: values.AUTH_JWKS_URL ?? jwksUrlOf(issuer),
    claims: values.AUTH_CLAIMS,
    ...(values.AUTH_LOGIN_URL && { loginUrl: values.AUTH_LOGIN_URL }),
  };
  return {
    service: 'duet' as const,
    version: values.SERVICE_VERSION,
    target,
    logLevel: values.LOG_LEVEL,
    port: values.PORT,
    /** The container's Prometheus port (GET /metrics), apart from the API so no ingress routes it. */
    metricsPort: values.METRICS_PORT,
    host: values.HOST,
    auth,
    /** Origins allowed to call the API from a browser (exact matches; empty: none). */
    corsOrigins: values.CORS_ORIGINS,
    /** Lambda only: write CloudWatch embedded metrics to stdout (off on the local stages, where nothing reads them). */
    emfMetrics: values.EMF_METRICS === 'on',
    ...storeOf(values),
  };
}

/** Where the data lives: nothing more for the memory store; table, bucket, region (and local endpoints) for DynamoDB. */
function storeOf(values: z.output<typeof Env>) {
  if (values.STORE === 'memory') return { store: 'memory' as const };
  return {
    store: 'dynamodb' as const,
    // loadConfig has refused an environment without them.
    region: values.AWS_REGION!,
    tableName: values.TABLE_NAME!,
    bucketName: values.BUCKET_NAME!,
    /** Local stand-ins only (DynamoDB Local, s3rver); the SDK then uses static local keys. */
    ...(values.DYNAMODB_ENDPOINT && { dynamodbEndpoint: values.DYNAMODB_ENDPOINT }),
    ...(values.S3_ENDPOINT && { s3Endpoint: values.S3_ENDPOINT }),
  };
}

/** An OpenID issuer (Cognito's among them) publishes its keys at `<issuer>/.well-known/jwks.json`. */
function jwksUrlOf(issuer: string): string {
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) {
    throw new ConfigError('AUTH_JWKS_URL is required when AUTH_ISSUER is not an http(s) URL');
  }
  return `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
}

/**
 * What the public GET /config shows: what a client may know (which build and target answers, and
 * whose tokens it takes). Never the table, bucket, region, endpoints or JWKS URL (they name the
 * infrastructure an attacker would aim at; operators have them from cdktf and the chart), nor
 * which credentials the environment holds.
 */
export function publicConfig(config: Config) {
  return {
    service: config.service,
    version: config.version,
    target: config.target,
    store: config.store,
    logLevel: config.logLevel,
    auth: { issuer: config.auth.issuer, audience: config.auth.audience, claims: config.auth.claims },
    corsOrigins: config.corsOrigins,
  };
}
