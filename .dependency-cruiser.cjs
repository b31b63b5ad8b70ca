/** Layer rules of docs/design.md ("Architecture rules"), checked by test/unit/architecture.test.ts. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-runtime-neutral',
      comment: 'core/ never imports a runtime framework or Lambda types',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '(^|/)node_modules/(express|@middy|aws-lambda|@types/aws-lambda|@codegenie|@vendia|serverless-http|fastify|koa|hono)(/|$)' },
    },
    {
      name: 'aws-sdk-only-in-adapters',
      comment: 'only core/adapters/** may import @aws-sdk/*',
      severity: 'error',
      from: { path: '^core/', pathNot: '^core/adapters/' },
      to: { path: '(^|/)node_modules/@aws-sdk/' },
    },
    {
      name: 'core-does-not-reach-out',
      comment: 'core/ never imports the runtimes, their composition roots or tooling',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: '^(container|handlers|scripts|cdktf|test)/' },
    },
    {
      name: 'ports-are-interfaces',
      comment: 'ports never import adapters',
      severity: 'error',
      from: { path: '^core/ports/' },
      to: { path: '^core/adapters/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
