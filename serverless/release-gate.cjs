'use strict';
// A local serverless plugin: on deployed stages, the packaged template gets the release gate
// (release/gate.yaml) as Lambda runs it: each function's `live` alias, which API Gateway invokes,
// shifted by CodeDeploy in the gate's steps and rolled back by CloudWatch alarms on the EMF metrics
// of the new version (release/lambda-gate.ts, loaded through tsx). The local stages
// (serverless-offline) keep invoking the functions directly.
const path = require('node:path');
const tsx = require('tsx/cjs/api');

class ReleaseGate {
  constructor(serverless) {
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => {
        const provider = serverless.service.provider;
        if (provider.stage.startsWith('local')) return;
        const root = serverless.serviceDir ?? serverless.config.servicePath;
        const { loadGate } = tsx.require(path.join(root, 'release', 'gate.ts'), __filename);
        const { applyReleaseGate } = tsx.require(path.join(root, 'release', 'lambda-gate.ts'), __filename);
        applyReleaseGate(provider.compiledCloudFormationTemplate, {
          gate: loadGate(path.join(root, 'release', 'gate.yaml')),
          service: serverless.service.service,
          stage: provider.stage,
        });
      },
    };
  }
}

module.exports = ReleaseGate;
