import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JWK } from 'jose';
import type { TestProject } from 'vitest/node';
import { newKey, startDevIssuer, type RunningIssuer } from '../../scripts/dev-issuer.js';
import { startDynamoDbLocal, startS3rver, type RunningService } from '../../scripts/local-stack.js';
import { writeWebAssets } from '../../web/build.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    /** The dev issuer's private key: tests sign their callers' tokens with it. */
    issuerKey: JWK;
    /** AUTH_* variables that make a runtime trust the dev issuer the setup runs. */
    authEnv: RunningIssuer['env'];
  }
}

/** Starts DynamoDB Local (in memory), s3rver and the dev token issuer once for the whole run, on free loopback ports. */
export default async function setup(project: TestProject) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'duet-s3-'));
  const services: RunningService[] = [];
  // Every target serves the UI as built from web/src now (web/dist/assets.json).
  await writeWebAssets();
  try {
    const dynamo = await startDynamoDbLocal();
    services.push(dynamo);
    const s3 = await startS3rver({ directory: s3Dir });
    services.push(s3);
    project.provide('dynamoEndpoint', dynamo.endpoint);
    project.provide('s3Endpoint', s3.endpoint);
    const key = await newKey();
    const issuer = await startDevIssuer(key);
    services.push({ endpoint: issuer.jwksUrl, stop: issuer.stop });
    project.provide('issuerKey', key);
    project.provide('authEnv', issuer.env);
  } catch (error) {
    await Promise.all(services.map((service) => service.stop()));
    throw error;
  }
  return async () => {
    await Promise.all(services.map((service) => service.stop()));
    rmSync(s3Dir, { recursive: true, force: true });
  };
}
