import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (serverless.yml,
 * custom.esbuild.alias): Lambda puts the function role's credentials in the environment, so the
 * SDK's chain (SSO, STS web identity, ini files, ECS and instance metadata) never finds anything
 * else there, and its clients are no longer bundled. The container keeps the whole chain.
 */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
