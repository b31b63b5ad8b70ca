import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter/index.js';
import { codeDeployRoleName, lambdaBoundaryName, SERVICE, ssmParameterName, type AwsContext, type SsmKey, type Stage } from '../names.js';
import { appDataAccessStatements } from './app-data-access.js';
import { createPolicyDocument } from './policy.js';
import { PrivateBucket } from './private-bucket.js';
import type { DataRef } from './task-data.js';
import type { TokenIssuerRef } from './user-pool.js';

export interface LambdaPlatformOptions {
  aws: AwsContext;
  stage: Stage;
  table: DataRef;
  bucket: DataRef;
  deploymentBucketName: string;
  /** The HTTP API's JWT authorizer checks these (the authorizer finds the keys through the issuer). */
  tokens: Pick<TokenIssuerRef, 'issuer' | 'audience' | 'loginUrl'>;
}

/**
 * What `sls deploy` needs and does not own: the SSM parameters serverless.yml reads (table and
 * bucket names and ARNs, the token issuer and audience), the deployment bucket, and the
 * permissions boundary of every Lambda role. Functions, API, log groups and the Lambda roles
 * belong to serverless.yml alone (one owner per resource).
 */
export class LambdaPlatform extends Construct {
  readonly deploymentBucket: DataRef;
  /** The most any Lambda role of the stage may do: the app's data access and its own logs. */
  readonly roleBoundaryArn: string;
  /** ARNs of the parameters, for the deploy role (CloudFormation reads them as the caller). */
  readonly parameterArns: string[];
  /** The role CodeDeploy shifts the functions' `live` aliases with, watching the release gate's alarms. */
  readonly codeDeployRoleArn: string;

  constructor(scope: Construct, id: string, options: LambdaPlatformOptions) {
    super(scope, id);
    const deployments = new PrivateBucket(this, 'deployments', {
      bucketName: options.deploymentBucketName,
      noncurrentVersionDays: 30,
      abortIncompleteUploadDays: 1,
    });
    this.deploymentBucket = { name: deployments.bucket.bucket, arn: deployments.bucket.arn };

    const { partition, region, accountId } = options.aws;
    const boundary = createPolicyDocument(this, 'role-boundary-document', [
      ...appDataAccessStatements({ tableArn: options.table.arn, bucketArn: options.bucket.arn }),
      {
        sid: 'FunctionLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`arn:${partition}:logs:${region}:${accountId}:log-group:/aws/lambda/${SERVICE}-${options.stage}-*`],
      },
    ]);
    this.roleBoundaryArn = new IamPolicy(this, 'role-boundary', {
      name: lambdaBoundaryName(options.stage),
      description: `duet ${options.stage}: permissions boundary of every Lambda role serverless.yml creates`,
      policy: boundary.json,
    }).arn;

    // The release gate (release/lambda-gate.ts): CodeDeploy moves the stage's aliases and reads
    // the stage's alarms, nothing else.
    const codeDeploy = new IamRole(this, 'codedeploy-role', {
      name: codeDeployRoleName(options.stage),
      assumeRolePolicy: createPolicyDocument(this, 'codedeploy-trust', [
        { sid: 'CodeDeploy', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['codedeploy.amazonaws.com'] }] },
      ]).json,
    });
    const shift = createPolicyDocument(this, 'codedeploy-permissions', [
      {
        sid: 'ShiftAliases',
        actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
        resources: [`arn:${partition}:lambda:${region}:${accountId}:function:${SERVICE}-${options.stage}-*`],
      },
      {
        sid: 'WatchAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${SERVICE}-${options.stage}-*`],
      },
    ]);
    new IamRolePolicy(this, 'codedeploy-policy', { name: 'release-gate', role: codeDeploy.name, policy: shift.json });
    this.codeDeployRoleArn = codeDeploy.arn;

    const values: Record<SsmKey, string> = {
      'table-name': options.table.name,
      'table-arn': options.table.arn,
      'bucket-name': options.bucket.name,
      'bucket-arn': options.bucket.arn,
      'deployment-bucket-name': this.deploymentBucket.name,
      'auth-issuer': options.tokens.issuer,
      'auth-audience': options.tokens.audience,
      'auth-login-url': options.tokens.loginUrl,
      'codedeploy-role-arn': this.codeDeployRoleArn,
    };
    // Type String: CloudFormation's AWS::SSM::Parameter::Value<String> cannot read SecureString,
    // and none of these values is a secret.
    this.parameterArns = Object.entries(values).map(
      ([key, value]) =>
        new SsmParameter(this, key, {
          name: ssmParameterName(options.stage, key as SsmKey),
          type: 'String',
          value,
          description: `duet ${options.stage}: ${key}, published by cdktf for serverless.yml`,
        }).arn,
    );
  }
}
