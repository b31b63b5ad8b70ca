import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicConfig } from '../../core/config.js';
import { caught } from '../support/fixtures.js';

const AUTH = { AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc', AUTH_AUDIENCE: 'client-123' };
const AWS_ENV = { TABLE_NAME: 'duet-tasks', BUCKET_NAME: 'duet-attachments', AWS_REGION: 'eu-west-1', ...AUTH };

describe('loadConfig', () => {
  it('reads the table, bucket and region for the DynamoDB store', () => {
    // Prepare
    const env = { ...AWS_ENV };

    // Act
    const config = loadConfig(env, 'lambda');

    // Assess
    expect(config).toMatchObject({ store: 'dynamodb', tableName: 'duet-tasks', bucketName: 'duet-attachments', region: 'eu-west-1', target: 'lambda' });
  });

  it.each(['TABLE_NAME', 'BUCKET_NAME', 'AWS_REGION'] as const)('fails naming %s when it is missing', (key) => {
    // Prepare
    const env: Record<string, string | undefined> = { ...AWS_ENV, [key]: undefined };

    // Act
    const error = caught(() => loadConfig(env, 'container'));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(key);
  });

  it('names every missing key at once', () => {
    // Prepare
    const env = {};

    // Act
    const error = caught(() => loadConfig(env, 'container')) as Error;

    // Assess
    expect(error.message).toMatch(/TABLE_NAME.*BUCKET_NAME.*AWS_REGION.*AUTH_ISSUER.*AUTH_AUDIENCE/);
  });

  it('treats an empty value as missing', () => {
    // Prepare
    const env = { ...AWS_ENV, TABLE_NAME: '' };

    // Act
    const error = caught(() => loadConfig(env, 'container')) as Error;

    // Assess
    expect(error.message).toContain('TABLE_NAME');
  });

  it('needs no table, bucket or region for the memory store', () => {
    // Prepare
    const env = { ...AUTH, STORE: 'memory' };

    // Act
    const config = loadConfig(env, 'container');

    // Assess
    expect(config.store).toBe('memory');
    // A memory configuration has no table, bucket or region at all (the type says so too).
    for (const key of ['tableName', 'bucketName', 'region', 'dynamodbEndpoint', 's3Endpoint']) expect(config).not.toHaveProperty(key);
  });

  it('defaults the log level to info, the port to 3000, the host to 0.0.0.0 and the version to dev', () => {
    // Prepare
    const env = { ...AUTH, STORE: 'memory' };

    // Act
    const config = loadConfig(env, 'container');

    // Assess
    expect(config).toMatchObject({ logLevel: 'info', port: 3000, metricsPort: 9464, host: '0.0.0.0', version: 'dev' });
  });

  it('reads the log level, ports, host and version when given', () => {
    // Prepare
    const env = { ...AUTH, STORE: 'memory', LOG_LEVEL: 'debug', PORT: '8080', METRICS_PORT: '9100', HOST: '127.0.0.1', SERVICE_VERSION: '1.2.3' };

    // Act
    const config = loadConfig(env, 'container');

    // Assess
    expect(config).toMatchObject({ logLevel: 'debug', port: 8080, metricsPort: 9100, host: '127.0.0.1', version: '1.2.3' });
  });

  it.each(['PORT', 'METRICS_PORT'])('rejects values that are not port numbers naming %s', (key) => {
    for (const port of ['abc', '70000', '-1', '80.5', '0x50', '1e3']) {
      // Prepare
      const env = { ...AUTH, STORE: 'memory', [key]: port };

      // Act
      const error = caught(() => loadConfig(env, 'container'));

      // Assess
      expect(error, port).toBeInstanceOf(ConfigError);
      expect((error as Error).message, port).toContain(`${key}:`);
    }
  });

  it('rejects an unknown log level naming LOG_LEVEL', () => {
    // Prepare
    const env = { ...AUTH, STORE: 'memory', LOG_LEVEL: 'loud' };

    // Act
    const error = caught(() => loadConfig(env, 'container'));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('LOG_LEVEL');
  });

  it('rejects an unknown store naming STORE', () => {
    // Prepare
    const env = { ...AWS_ENV, STORE: 'redis' };

    // Act
    const error = caught(() => loadConfig(env, 'container'));

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('STORE');
  });

  it('rejects an endpoint that is not a URL naming the key', () => {
    // Prepare
    const env = { ...AWS_ENV, DYNAMODB_ENDPOINT: 'not a url' };

    // Act
    const error = caught(() => loadConfig(env, 'container')) as Error;

    // Assess
    expect(error.message).toContain('DYNAMODB_ENDPOINT');
  });

  it('never holds a secret value', () => {
    // Prepare
    const env = { ...AWS_ENV, AWS_SECRET_ACCESS_KEY: 'supersecret' };

    // Act
    const config = loadConfig(env, 'lambda');

    // Assess
    expect(JSON.stringify(config)).not.toContain('supersecret');
  });
});

describe('loadConfig: authentication and CORS', () => {
  it.each(['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const)('fails naming %s when it is missing', (key) => {
    // Prepare
    const env = { ...AWS_ENV, [key]: undefined };

    // Act
    const error = caught(() => loadConfig(env, 'container')) as Error;

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(key);
  });

  it("finds the keys at the issuer's well-known JWKS address, as Cognito publishes them", () => {
    // Act
    const config = loadConfig(AWS_ENV, 'container');

    // Assess
    expect(config.auth).toEqual({
      issuer: AUTH.AUTH_ISSUER,
      audience: 'client-123',
      jwksUrl: `${AUTH.AUTH_ISSUER}/.well-known/jwks.json`,
      claims: 'token',
    });
  });

  it('needs AUTH_JWKS_URL when the issuer is not a URL', () => {
    // Prepare
    const env = { ...AWS_ENV, AUTH_ISSUER: 'duet-dev-issuer' };

    // Act
    const error = caught(() => loadConfig(env, 'container')) as Error;

    // Assess
    expect(error.message).toContain('AUTH_JWKS_URL');
    expect(loadConfig({ ...env, AUTH_JWKS_URL: 'http://127.0.0.1:9000/jwks.json' }, 'container').auth.jwksUrl).toBe('http://127.0.0.1:9000/jwks.json');
  });

  it('reads AUTH_CLAIMS=gateway and refuses other values', () => {
    // Act
    const config = loadConfig({ ...AWS_ENV, AUTH_CLAIMS: 'gateway' }, 'lambda');
    const error = caught(() => loadConfig({ ...AWS_ENV, AUTH_CLAIMS: 'trust-me' }, 'lambda')) as Error;

    // Assess
    expect(config.auth.claims).toBe('gateway');
    expect(error.message).toContain('AUTH_CLAIMS');
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins, empty by default', () => {
    // Act
    const config = loadConfig({ ...AWS_ENV, CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }, 'container');

    // Assess
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig(AWS_ENV, 'container').corsOrigins).toEqual([]);
  });

  it('writes embedded metrics unless EMF_METRICS=off, and refuses other values', () => {
    // Act
    const error = caught(() => loadConfig({ ...AWS_ENV, EMF_METRICS: 'false' }, 'lambda')) as Error;

    // Assess
    expect(loadConfig(AWS_ENV, 'lambda').emfMetrics).toBe(true);
    expect(loadConfig({ ...AWS_ENV, EMF_METRICS: 'off' }, 'lambda').emfMetrics).toBe(false);
    expect(error.message).toContain('EMF_METRICS');
  });

  it.each(['https://app.example.com/', 'https://app.example.com/path', '*', 'ftp://files.example.com'])('refuses %s as a CORS origin', (origin) => {
    // Act
    const error = caught(() => loadConfig({ ...AWS_ENV, CORS_ORIGINS: origin }, 'container')) as Error;

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('CORS_ORIGINS');
  });
});

describe('publicConfig', () => {
  it('does not contain a secret value', () => {
    // Prepare
    const config = loadConfig({ ...AWS_ENV, AWS_SECRET_ACCESS_KEY: 'supersecret', AWS_SESSION_TOKEN: 'sessiontoken' }, 'container');

    // Act
    const shown = JSON.stringify(publicConfig(config));

    // Assess
    expect(shown).not.toContain('supersecret');
    expect(shown).not.toContain('sessiontoken');
  });

  it('leaves out the table, bucket, region and JWKS URL, which name the infrastructure behind it', () => {
    // Prepare
    const env = { ...AWS_ENV, AUTH_ISSUER: 'https://issuer.example.com', AUTH_JWKS_URL: 'https://keys.internal.example/jwks.json' };
    const config = loadConfig(env, 'container');

    // Act
    const shown = JSON.stringify(publicConfig(config));

    // Assess
    for (const name of ['duet-tasks', 'duet-attachments', 'eu-west-1', 'keys.internal.example']) expect(shown).not.toContain(name);
  });

  it('leaves out endpoint URLs, which may embed credentials', () => {
    // Prepare
    const config = loadConfig({ ...AWS_ENV, DYNAMODB_ENDPOINT: 'http://user:pa55@localhost:8000', S3_ENDPOINT: 'http://user:pa55@localhost:4569' }, 'container');

    // Act
    const shown = JSON.stringify(publicConfig(config));

    // Assess
    expect(shown).not.toContain('pa55');
  });

  it('shows the service, version, target, store, log level, token issuer and audience, and CORS origins', () => {
    // Prepare
    const config = loadConfig({ ...AUTH, STORE: 'memory', SERVICE_VERSION: '1.2.3', CORS_ORIGINS: 'https://app.example.com' }, 'lambda');

    // Act
    const shown = publicConfig(config);

    // Assess
    expect(shown).toEqual({
      service: 'duet',
      version: '1.2.3',
      target: 'lambda',
      store: 'memory',
      logLevel: 'info',
      auth: { issuer: AUTH.AUTH_ISSUER, audience: 'client-123', claims: 'token' },
      corsOrigins: ['https://app.example.com'],
    });
  });
});
