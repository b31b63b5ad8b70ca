// Stands in for `thread-stream` in the Lambda bundles (serverless.yml, custom.esbuild.alias):
// pino loads it for transports, which run in a worker thread and which the functions never use
// (they write JSON lines to stdout synchronously, wiring/logger.ts).
module.exports = class ThreadStream {
  constructor() {
    throw new Error('pino transports are not bundled into the Lambda functions');
  }
};
