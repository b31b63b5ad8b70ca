/** Names shared by cdktf, serverless.yml and the Helm chart. The infra tests cross-check them. */
export const SERVICE = 'duet';

export type Stage = 'dev' | 'prod';

/** The SSM parameters serverless.yml reads at deploy time (CloudFormation parameters). */
export const SSM_KEYS = ['table-name', 'table-arn', 'bucket-name', 'bucket-arn', 'deployment-bucket-name', 'auth-issuer', 'auth-audience', 'auth-login-url', 'codedeploy-role-arn'] as const;
export type SsmKey = (typeof SSM_KEYS)[number];

export function ssmParameterName(stage: Stage, key: SsmKey): string {
  return `/${SERVICE}/${stage}/${key}`;
}

/**
 * serverless.yml's Lambda roles: one per function, under this IAM path, each bounded by the
 * permissions boundary cdktf owns. The CI deploy role may create and change only such roles.
 */
export function lambdaRolePath(stage: Stage): string {
  return `/${SERVICE}/${stage}/lambda/`;
}

/** The role CodeDeploy shifts the stage's `live` aliases with (release/lambda-gate.ts), named in SSM. */
export function codeDeployRoleName(stage: Stage): string {
  return `${SERVICE}-${stage}-codedeploy`;
}

export function lambdaBoundaryName(stage: Stage): string {
  return `${SERVICE}-${stage}-lambda-boundary`;
}

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** The chart's ServiceAccount; the IRSA role trusts exactly this one. */
export const APP_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: 'duet', name: 'duet' };

/** Where the AWS Load Balancer Controller's Helm chart puts its ServiceAccount by default. */
export const LB_CONTROLLER_SERVICE_ACCOUNT: ServiceAccountRef = { namespace: 'kube-system', name: 'aws-load-balancer-controller' };

/** ARN building blocks resolved once per stack (partition and account are data sources). */
export interface AwsContext {
  partition: string;
  region: string;
  accountId: string;
}
