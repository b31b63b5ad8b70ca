import type { Construct } from 'constructs';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { CiIdentity } from './constructs/ci-identity.js';
import { EksPlatform } from './constructs/eks-platform.js';
import { LambdaPlatform } from './constructs/lambda-platform.js';
import { TaskData } from './constructs/task-data.js';
import { UserPool, type TokenIssuerRef } from './constructs/user-pool.js';
import type { EnvironmentConfig, ProgramSettings } from './environments.js';
import { APP_SERVICE_ACCOUNT, SERVICE, type AwsContext } from './names.js';

/** use_lockfile arrived in Terraform 1.10; an older one would ignore the lock and corrupt state. */
export const TERRAFORM_MIN_VERSION = '1.10.0';

export interface DuetStackOptions {
  environment: EnvironmentConfig;
  settings: ProgramSettings;
}

/** One environment: shared data, both platforms and the CI identity. Stacks only compose. */
export class DuetStack extends TerraformStack {
  constructor(scope: Construct, id: string, { environment: env, settings }: DuetStackOptions) {
    super(scope, id);
    const name = `${SERVICE}-${env.stage}`;

    const backend = new S3Backend(this, {
      bucket: settings.stateBucket,
      key: `${SERVICE}/${env.stage}/terraform.tfstate`,
      region: settings.stateRegion,
      encrypt: true,
      // State kept in another account (e.g. prod's in a shared state account): Terraform assumes this role for it.
      ...(settings.stateRoleArn && { assumeRole: { roleArn: settings.stateRoleArn } }),
    });
    // S3-native state locking (Terraform ≥ 1.10); cdktf 0.21's S3BackendConfig predates the field.
    backend.addOverride('use_lockfile', true);
    this.addOverride('terraform.required_version', `>= ${TERRAFORM_MIN_VERSION}`);

    new AwsProvider(this, 'aws', {
      region: env.region,
      ...(env.accountId && { allowedAccountIds: [env.accountId] }),
      defaultTags: [{ tags: { project: SERVICE, stage: env.stage, 'managed-by': 'cdktf' } }],
    });
    const aws: AwsContext = {
      partition: new DataAwsPartition(this, 'partition').partition,
      region: env.region,
      accountId: new DataAwsCallerIdentity(this, 'account').accountId,
    };

    const data = new TaskData(this, 'task-data', {
      tableName: name,
      bucketName: `${name}-attachments-${aws.accountId}`,
      deletionProtection: env.deletionProtection,
      corsAllowedOrigins: env.corsAllowedOrigins,
      noncurrentVersionDays: env.noncurrentVersionDays,
    });
    const identity = createTokenIssuer(this, env, name, aws.accountId);
    const lambda = new LambdaPlatform(this, 'lambda-platform', {
      aws,
      stage: env.stage,
      table: data.table,
      bucket: data.bucket,
      deploymentBucketName: `${name}-deployments-${aws.accountId}`,
      tokens: identity.tokens,
    });
    const eks = new EksPlatform(this, 'eks-platform', {
      aws,
      clusterName: name,
      kubernetesVersion: env.kubernetesVersion,
      network: {
        cidrBlock: env.vpcCidr,
        availabilityZones: ['a', 'b', 'c'].map((zone) => `${env.region}${zone}`),
        natGateways: env.natGateways,
      },
      apiAccess: env.apiAccess,
      clusterAdminArns: env.clusterAdminArns,
      nodeGroup: env.nodeGroup,
      registry: { repositoryName: name, keepImages: env.keepImages, untaggedExpiryDays: 7 },
      logRetentionDays: env.logRetentionDays,
      table: data.table,
      bucket: data.bucket,
    });
    const ci = new CiIdentity(this, 'ci-identity', {
      aws,
      stage: env.stage,
      repository: settings.repository,
      ...(settings.githubOidcProviderArn && { existingProviderArn: settings.githubOidcProviderArn }),
      deploymentBucketArn: lambda.deploymentBucket.arn,
      parameterArns: lambda.parameterArns,
      lambdaRoleBoundaryArn: lambda.roleBoundaryArn,
      codeDeployRoleArn: lambda.codeDeployRoleArn,
      repositoryArn: eks.registry.arn,
      clusterArn: eks.cluster.arn,
      dataBucketArn: data.bucket.arn,
    });

    const outputs: Record<string, { value: string | string[]; description: string }> = {
      table_name: { value: data.table.name, description: 'TABLE_NAME on both targets' },
      bucket_name: { value: data.bucket.name, description: 'BUCKET_NAME on both targets' },
      lambda_endpoint: {
        value: `sls info --stage ${env.stage} (CloudFormation stack ${name}, output HttpApiUrl)`,
        description: 'The Lambda target: serverless.yml owns the HTTP API, so its URL lives in its stack',
      },
      eks_endpoint: {
        value: `kubectl --namespace ${APP_SERVICE_ACCOUNT.namespace} get ingress (cluster ${name}, ALB made by the load balancer controller)`,
        description: 'The container target: the chart\'s Ingress owns the load balancer, so its address lives there',
      },
      deployment_bucket: { value: lambda.deploymentBucket.name, description: 'provider.deploymentBucket for sls deploy' },
      cluster_name: { value: eks.cluster.name, description: 'aws eks update-kubeconfig --name <this>' },
      cluster_arn: { value: eks.cluster.arn, description: 'the kubeconfig cluster entry update-kubeconfig writes (kubectl config set-cluster <this>)' },
      cluster_endpoint: { value: eks.cluster.endpoint, description: 'the private API endpoint; the jump host forwards a local port to its host on 443' },
      ...(eks.jumpHostId && {
        api_jump_host_id: { value: eks.jumpHostId, description: 'aws ssm start-session --target <this> (port forwarding to the private API endpoint)' },
      }),
      vpc_id: { value: eks.network.vpcId, description: 'the load balancer controller\'s vpcId (helm --set vpcId=<this>)' },
      load_balancer_subnet_cidrs: {
        value: eks.network.loadBalancerSubnetCidrs,
        description: 'the chart\'s networkPolicy.ingressCIDRs: the public subnets the ALB reaches pods from',
      },
      image_repository: { value: eks.registry.url, description: 'where CI pushes the container image' },
      app_role_arn: { value: eks.irsa.appRoleArn, description: `eks.amazonaws.com/role-arn of ServiceAccount ${APP_SERVICE_ACCOUNT.namespace}/${APP_SERVICE_ACCOUNT.name}` },
      lb_controller_role_arn: { value: eks.irsa.lbControllerRoleArn, description: 'eks.amazonaws.com/role-arn of the AWS Load Balancer Controller' },
      ci_deploy_role_arn: {
        value: ci.deployRoleArn,
        description: `role-to-assume of the ${env.stage === 'prod' ? 'promote' : 'release'} workflow (repository variable ${env.stage.toUpperCase()}_DEPLOY_ROLE_ARN)`,
      },
      ci_plan_role_arn: { value: ci.planRoleArn, description: `role-to-assume of the plan workflow (repository variable ${env.stage.toUpperCase()}_PLAN_ROLE_ARN)` },
      auth_issuer: { value: identity.tokens.issuer, description: 'AUTH_ISSUER on both targets (chart: config.authIssuer)' },
      auth_audience: { value: identity.tokens.audience, description: 'AUTH_AUDIENCE on both targets (chart: config.authAudience)' },
      auth_login_url: { value: identity.tokens.loginUrl, description: "AUTH_LOGIN_URL on both targets (chart: config.authLoginUrl): where the web UI's browser signs in and fetches tokens" },
      auth_jwks_url: { value: identity.tokens.jwksUrl, description: 'AUTH_JWKS_URL (chart: config.authJwksUrl; where the container fetches the signing keys)' },
      ...(identity.userPool && {
        auth_user_pool_id: { value: identity.userPool.userPoolId, description: 'aws cognito-idp admin-create-user --user-pool-id <this>' },
        auth_hosted_ui_url: { value: identity.userPool.hostedUiUrl, description: 'Cognito hosted UI: <this>/oauth2/authorize (code flow with PKCE) and <this>/oauth2/token' },
      }),
    };
    for (const [key, output] of Object.entries(outputs)) new TerraformOutput(this, key, output);
  }
}

/**
 * The stage's token issuer: the deployer's own when settings name one (nothing is created), else
 * a Cognito user pool. Either way the app, the authorizer and the chart get issuer and audience.
 */
function createTokenIssuer(scope: Construct, env: EnvironmentConfig, name: string, accountId: string): { tokens: TokenIssuerRef; userPool?: UserPool } {
  const auth = env.auth;
  if (auth.kind === 'external') {
    const jwksUrl = auth.jwksUrl ?? `${auth.issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
    return { tokens: { issuer: auth.issuer, audience: auth.audience, jwksUrl, loginUrl: auth.issuer } };
  }
  const userPool = new UserPool(scope, 'auth', {
    name,
    region: env.region,
    domainPrefix: auth.domainPrefix ?? `${name}-${accountId}`,
    callbackUrls: auth.callbackUrls,
    logoutUrls: auth.logoutUrls,
    deletionProtection: env.deletionProtection,
  });
  return { tokens: userPool.tokens, userPool };
}

/** Both environments, each its own stack (`cdktf deploy duet-dev`). */
export function createStacks(scope: Construct, settings: ProgramSettings, environments: EnvironmentConfig[]): DuetStack[] {
  return environments.map((environment) => new DuetStack(scope, `${SERVICE}-${environment.stage}`, { environment, settings }));
}
