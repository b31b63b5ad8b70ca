import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../handlers/lambda-credentials.js';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));
afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("the Lambda bundles' credential provider (the SDK's chain cut to the environment)", () => {
  it('answers the role credentials Lambda puts in the environment, session token included', async () => {
    // Arrange
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });

    // Act
    const credentials = await defaultProvider()();

    // Assess
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
  });

  it('fails, looking nowhere else, when the environment has none', async () => {
    // Arrange
    for (const key of KEYS) delete process.env[key];

    // Act
    const resolving = defaultProvider()();

    // Assess
    await expect(resolving).rejects.toThrow(/environment/i);
  });
});
