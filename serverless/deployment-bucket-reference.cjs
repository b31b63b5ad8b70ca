'use strict';
// A local serverless plugin: where `sls package` wrote the deployment bucket's stand-in name
// (serverless/stage.cjs), the packaged template gets `{{resolve:ssm:/duet/<stage>/deployment-bucket-name}}`
// instead, so a package built offline deploys to the bucket cdktf publishes.
const { deploymentBucketParameter, packagedBucketStandIn } = require('./stage.cjs');

function replace(value, from, to) {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replace(item, from, to));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replace(item, from, to)]));
  return value;
}

class DeploymentBucketReference {
  constructor(serverless) {
    this.hooks = {
      'before:package:finalize': () => {
        const stage = serverless.service.provider.stage;
        const standIn = packagedBucketStandIn(stage);
        if (serverless.service.provider.deploymentBucket !== standIn) return;
        const provider = serverless.service.provider;
        provider.compiledCloudFormationTemplate = replace(provider.compiledCloudFormationTemplate, standIn, `{{resolve:ssm:${deploymentBucketParameter(stage)}}}`);
      },
    };
  }
}

module.exports = DeploymentBucketReference;
