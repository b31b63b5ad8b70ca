import { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { lambdaRolePath, SERVICE, type AwsContext, type Stage } from '../names.js';
import { createPolicyDocument, type PolicyStatement } from './policy.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * Which workflow jobs may assume which role: the OIDC `sub` claim GitHub gives a job. A job with an
 * `environment` gets `repo:<repo>:environment:<name>`, a pull request job `repo:<repo>:pull_request`,
 * any other job `repo:<repo>:ref:<ref>`. `test/infra/workflows.test.ts` derives these from
 * .github/workflows, so renaming the branch or the environment on one side only fails the suite.
 */
export const GITHUB_TRUST = {
  /** release.yml deploys dev from pushes to this branch (its jobs have no environment). */
  releaseBranch: 'main',
  /** promote.yml deploys prod in this GitHub environment (required reviewers). */
  productionEnvironment: 'production',
} as const;

export function deploySubject(repository: string, stage: Stage): string {
  return stage === 'prod'
    ? `repo:${repository}:environment:${GITHUB_TRUST.productionEnvironment}`
    : `repo:${repository}:ref:refs/heads/${GITHUB_TRUST.releaseBranch}`;
}

export function planSubject(repository: string): string {
  return `repo:${repository}:pull_request`;
}

export interface CiIdentityOptions {
  aws: AwsContext;
  stage: Stage;
  /** `owner/name` of the GitHub repository whose workflows may deploy. */
  repository: string;
  /** An account holds one provider per URL: pass its ARN when another stack already made it. */
  existingProviderArn?: string;
  deploymentBucketArn: string;
  parameterArns: string[];
  /** The boundary every Lambda role must carry; the deploy role can create or change no role without it. */
  lambdaRoleBoundaryArn: string;
  /** The role the release gate's deployment groups act with; the deploy role may pass it to CodeDeploy only. */
  codeDeployRoleArn: string;
  repositoryArn: string;
  clusterArn: string;
  /** The attachments bucket: the plan role reads configuration, never the objects in it. */
  dataBucketArn: string;
}

/**
 * Trust for GitHub Actions: one deploy role per stage that only this repository's release jobs on
 * `main` (dev) or its jobs in the `production` environment (prod) can assume (see GITHUB_TRUST),
 * and one plan role that its pull request jobs can assume to run `terraform plan`. It may `sls deploy` the
 * stage's stack, push images to the stage's repository and describe the cluster. The IAM roles it
 * may create or change are the stage's Lambda roles only, and only with the permissions boundary
 * cdktf owns, so a CI job cannot grant a role (or itself) more than the app's data access. Infra
 * changes (cdktf deploy) stay with a human or an admin pipeline.
 */
export class CiIdentity extends Construct {
  readonly deployRoleArn: string;
  readonly planRoleArn: string;

  constructor(scope: Construct, id: string, options: CiIdentityOptions) {
    super(scope, id);
    const providerArn =
      options.existingProviderArn ??
      new IamOpenidConnectProvider(this, 'github', { url: `https://${GITHUB_OIDC_HOST}`, clientIdList: ['sts.amazonaws.com'] }).arn;

    const trustFor = (id: string, subject: string) =>
      createPolicyDocument(this, id, [
        {
          sid: 'GitHubWorkflow',
          actions: ['sts:AssumeRoleWithWebIdentity'],
          principals: [{ type: 'Federated', identifiers: [providerArn] }],
          conditions: [
            { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: ['sts.amazonaws.com'] },
            { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:sub`, values: [subject] },
          ],
        },
      ]);
    const trust = trustFor('trust', deploySubject(options.repository, options.stage));
    const role = new IamRole(this, 'deploy-role', { name: `${SERVICE}-${options.stage}-github-deploy`, assumeRolePolicy: trust.json, maxSessionDuration: 3600 });
    const permissions = createPolicyDocument(this, 'permissions', deployStatements(options));
    new IamRolePolicy(this, 'deploy-policy', { name: 'deploy', role: role.name, policy: permissions.json });
    this.deployRoleArn = role.arn;

    // terraform plan (-lock=false) of pull requests: AWS's read-only policy for the refresh, minus
    // the application's data, which a plan never needs and a pull request must not read.
    const plan = new IamRole(this, 'plan-role', {
      name: `${SERVICE}-${options.stage}-github-plan`,
      assumeRolePolicy: trustFor('plan-trust', planSubject(options.repository)).json,
      maxSessionDuration: 3600,
    });
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: plan.name, policyArn: `arn:${options.aws.partition}:iam::aws:policy/ReadOnlyAccess` });
    const noData = createPolicyDocument(this, 'plan-no-data', [
      { sid: 'NoTableItems', effect: 'Deny', actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:GetRecords'], resources: ['*'] },
      { sid: 'NoAttachments', effect: 'Deny', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${options.dataBucketArn}/*`] },
      { sid: 'NoSecrets', effect: 'Deny', actions: ['secretsmanager:GetSecretValue'], resources: ['*'] },
    ]);
    new IamRolePolicy(this, 'plan-policy', { name: 'no-data', role: plan.name, policy: noData.json });
    this.planRoleArn = plan.arn;
  }
}

/** What `sls deploy --stage <stage>` and an image push need, each scoped to the stage's own names. */
export function deployStatements(options: CiIdentityOptions): PolicyStatement[] {
  const { partition, region, accountId } = options.aws;
  const stack = `${SERVICE}-${options.stage}`;
  const lambdaRoles = `arn:${partition}:iam::${accountId}:role${lambdaRolePath(options.stage)}*`;
  const logGroups = `arn:${partition}:logs:${region}:${accountId}:log-group`;
  const codeDeploy = `arn:${partition}:codedeploy:${region}:${accountId}`;
  return [
    {
      // Stack ARNs end in a generated id.
      sid: 'ServerlessStack',
      actions: [
        'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResource', 'cloudformation:DescribeStackResources',
        'cloudformation:ListStackResources', 'cloudformation:GetTemplate', 'cloudformation:CreateChangeSet',
        'cloudformation:DescribeChangeSet', 'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet',
      ],
      resources: [`arn:${partition}:cloudformation:${region}:${accountId}:stack/${stack}/*`],
    },
    {
      // ValidateTemplate has no resource type: IAM only accepts "*" for it.
      sid: 'ValidateTemplate',
      actions: ['cloudformation:ValidateTemplate'],
      resources: ['*'],
    },
    {
      sid: 'StackParameters',
      actions: ['ssm:GetParameters', 'ssm:GetParameter'],
      resources: options.parameterArns,
    },
    {
      sid: 'DeploymentBucket',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [options.deploymentBucketArn],
    },
    {
      sid: 'DeploymentArtifacts',
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      resources: [`${options.deploymentBucketArn}/*`],
    },
    {
      // serverless.yml names each function <service>-<stage>-<function>. CloudFormation's Lambda
      // handlers read code signing, recursion and runtime management settings on every change.
      sid: 'StageFunctions',
      actions: [
        'lambda:CreateFunction', 'lambda:DeleteFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:PublishVersion',
        'lambda:ListVersionsByFunction', 'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy',
        'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags',
        'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionRecursionConfig', 'lambda:PutFunctionRecursionConfig',
        'lambda:GetRuntimeManagementConfig', 'lambda:PutRuntimeManagementConfig',
        'lambda:GetFunctionConcurrency', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency',
        'lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:DeleteAlias', 'lambda:GetAlias',
      ],
      resources: [`arn:${partition}:lambda:${region}:${accountId}:function:${stack}-*`],
    },
    {
      // Creating a role, or changing what it may do, only with the boundary: the condition key
      // is the boundary the role has (or gets), so no unbounded role can be made or widened.
      sid: 'BoundedLambdaRoles',
      actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary'],
      resources: [lambdaRoles],
      conditions: [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [options.lambdaRoleBoundaryArn] }],
    },
    {
      sid: 'LambdaRoles',
      actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:TagRole', 'iam:UntagRole', 'iam:DeleteRole'],
      resources: [lambdaRoles],
    },
    {
      sid: 'PassLambdaRoles',
      actions: ['iam:PassRole'],
      resources: [lambdaRoles],
      conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['lambda.amazonaws.com'] }],
    },
    {
      // The release gate (release/lambda-gate.ts): the stage's CodeDeploy application, its
      // deployment groups, and the deployments CloudFormation starts when a `live` alias moves.
      sid: 'ReleaseGateCodeDeploy',
      actions: [
        'codedeploy:CreateApplication', 'codedeploy:GetApplication', 'codedeploy:DeleteApplication',
        'codedeploy:TagResource', 'codedeploy:UntagResource', 'codedeploy:ListTagsForResource',
        'codedeploy:CreateDeploymentGroup', 'codedeploy:UpdateDeploymentGroup', 'codedeploy:DeleteDeploymentGroup', 'codedeploy:GetDeploymentGroup',
        'codedeploy:CreateDeployment', 'codedeploy:GetDeployment', 'codedeploy:StopDeployment',
      ],
      resources: [`${codeDeploy}:application:${stack}`, `${codeDeploy}:deploymentgroup:${stack}/*`],
    },
    {
      // CloudFormation names the deployment config <stack>-<logical id>-<suffix>.
      sid: 'ReleaseGateDeploymentConfig',
      actions: ['codedeploy:CreateDeploymentConfig', 'codedeploy:GetDeploymentConfig', 'codedeploy:DeleteDeploymentConfig'],
      resources: [`${codeDeploy}:deploymentconfig:${stack}-*`],
    },
    {
      sid: 'ReleaseGateAlarms',
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
      resources: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${stack}-*`],
    },
    {
      sid: 'PassCodeDeployRole',
      actions: ['iam:PassRole'],
      resources: [options.codeDeployRoleArn],
      conditions: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['codedeploy.amazonaws.com'] }],
    },
    {
      // The functions' log groups and the HTTP API's access log group (serverless.yml creates both).
      sid: 'StageLogGroups',
      actions: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
      resources: [`${logGroups}:/aws/lambda/${stack}-*`, `${logGroups}:/aws/http-api/${stack}`, `${logGroups}:/aws/http-api/${stack}:*`],
    },
    {
      // DescribeLogGroups is authorised against the account's log-group:* ARN, never a named group.
      sid: 'DescribeLogGroups',
      actions: ['logs:DescribeLogGroups'],
      resources: [`${logGroups}:*`],
    },
    {
      // API Gateway sets up access logging through CloudWatch Logs' log delivery, with the
      // caller's rights; these actions have no resource type, so IAM only accepts "*".
      sid: 'ApiAccessLogDelivery',
      actions: [
        'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies',
      ],
      resources: ['*'],
    },
    {
      // HTTP API ids are generated by API Gateway, so only the collection paths can be named.
      sid: 'HttpApi',
      actions: ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
      resources: [`arn:${partition}:apigateway:${region}::/apis`, `arn:${partition}:apigateway:${region}::/apis/*`, `arn:${partition}:apigateway:${region}::/tags/*`],
    },
    {
      // GetAuthorizationToken is account-wide: IAM only accepts "*" for it.
      sid: 'RegistryLogin',
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
    },
    {
      sid: 'ImagePush',
      actions: [
        'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload',
        'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages',
      ],
      resources: [options.repositoryArn],
    },
    {
      sid: 'DescribeCluster',
      actions: ['eks:DescribeCluster'],
      resources: [options.clusterArn],
    },
  ];
}
