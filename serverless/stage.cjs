'use strict';
// Per-stage values of serverless.yml that YAML alone cannot compute. Deployed stages read
// serverless/stages/<stage>.yml; the local stages (serverless-offline) need none of this.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parse } = require('yaml');

const isLocal = (stage) => stage === 'local' || stage.startsWith('local-');
const deploymentBucketParameter = (stage) => `/duet/${stage}/deployment-bucket-name`;
/** A valid bucket name no bucket has (a dot-free name ending in `.invalid` cannot be created). */
const packagedBucketStandIn = (stage) => `duet-${stage}-deployment-bucket-from-ssm.invalid`;

/** The CLI's commands (`package`, `deploy function`…): the words before the first option. */
function commands() {
  const words = [];
  for (const word of process.argv.slice(2)) {
    if (word.startsWith('-')) break;
    words.push(word);
  }
  return words;
}

async function stageSettings(resolveVariable) {
  const stage = await resolveVariable('sls:stage');
  if (isLocal(stage)) return { stage, local: true };
  const file = join(__dirname, 'stages', `${stage}.yml`);
  if (!existsSync(file)) throw new Error(`stage ${stage} has no serverless/stages/${stage}.yml (deployed stages: dev, prod)`);
  return { stage, local: false, ...parse(readFileSync(file, 'utf8')) };
}

/** What the app's CORS allows (core/http/cors.ts); the gateway answers preflights and its own 401/403 with the same. */
const CORS = {
  allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'x-request-id', 'traceparent'],
  exposedResponseHeaders: ['etag', 'location', 'retry-after', 'idempotent-replayed', 'x-request-id', 'traceparent', 'www-authenticate'],
  maxAge: 600,
};

module.exports = {
  // Not variables: shared with the plugin that swaps the stand-in for the SSM reference.
  isLocal,
  deploymentBucketParameter,
  packagedBucketStandIn,

  /**
   * The deployment bucket cdktf owns, named in SSM. `sls package` never reaches AWS: it takes a
   * stand-in name, which serverless/deployment-bucket-reference.cjs turns into a dynamic reference
   * to that parameter, resolved by CloudFormation at deploy time. Every other command (deploy,
   * remove, …) uploads to the bucket, so it reads the name from SSM itself.
   */
  async deploymentBucket({ resolveVariable }) {
    const { stage, local } = await stageSettings(resolveVariable);
    if (local) return 'duet-local-deployments';
    if (commands()[0] === 'package') return packagedBucketStandIn(stage);
    return resolveVariable(`ssm:${deploymentBucketParameter(stage)}`);
  },

  /** CORS_ORIGINS for the functions: the stage's origins, comma-separated. */
  async corsOrigins({ resolveVariable }) {
    const settings = await stageSettings(resolveVariable);
    return (settings.corsOrigins ?? []).join(',');
  },

  /**
   * The HTTP API's CORS, only where origins are configured. With it API Gateway answers
   * preflights and adds CORS headers to every response, its authorizer's 401/403 included.
   */
  async httpApiCors({ resolveVariable }) {
    const settings = await stageSettings(resolveVariable);
    const origins = settings.corsOrigins ?? [];
    return origins.length > 0 ? { allowedOrigins: origins, ...CORS } : false;
  },

  async throttle({ resolveVariable }) {
    const settings = await stageSettings(resolveVariable);
    return settings.local ? { rateLimit: 100, burstLimit: 200 } : settings.throttle;
  },

  /** Reserved concurrency per function; the local stages reserve none. */
  async reservedConcurrency({ resolveVariable }) {
    const settings = await stageSettings(resolveVariable);
    return settings.local ? {} : settings.reservedConcurrency;
  },
};
