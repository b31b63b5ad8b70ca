'use strict';
// One IAM role per Lambda function, each allowed exactly what its routes send, under the stage's
// role path and with the permissions boundary cdktf owns (cdktf/names.ts: lambdaRolePath,
// lambdaBoundaryName). test/infra/lambda-package.test.ts holds every role to the SDK clients its
// bundle carries, and all of them together to the container's IRSA role.

/** DynamoDB item actions on the table (and its index where a function lists by status), S3 object and bucket actions. */
const ACCESS = {
  routes: {
    // create (one transaction: Put task, Put idempotency record, Update counters), get, list, patch.
    tasks: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], index: true },
    // One Query of the tenant's counter shards.
    stats: { table: ['Query'] },
    // DELETE of a task (Query, then Delete records and Update counters), attachments (presigned PUT/GET, DeleteObjects).
    attachments: { table: ['Query', 'PutItem', 'UpdateItem', 'DeleteItem'], objects: ['PutObject', 'GetObject', 'DeleteObject'] },
    // /readyz: one GetItem and HeadBucket (s3:ListBucket).
    ops: { table: ['GetItem'], bucket: true },
    legacy: {},
    web: {},
  },
  lambdalith: {
    api: { table: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], index: true, objects: ['PutObject', 'GetObject', 'DeleteObject'], bucket: true },
  },
};

const logicalId = (name) => `${name[0].toUpperCase()}${name.slice(1)}`;

function statements(access, { tableArn, bucketArn }) {
  const result = [];
  if (access.table) {
    result.push({
      Effect: 'Allow',
      Action: access.table.map((action) => `dynamodb:${action}`),
      Resource: [tableArn, ...(access.index ? [{ 'Fn::Join': ['', [tableArn, '/index/gsi1']] }] : [])],
    });
  }
  if (access.objects) {
    result.push({ Effect: 'Allow', Action: access.objects.map((action) => `s3:${action}`), Resource: { 'Fn::Join': ['', [bucketArn, '/tenants/*']] } });
  }
  if (access.bucket) result.push({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn });
  return result;
}

module.exports = async ({ resolveVariable }) => {
  const mode = await resolveVariable('param:mode');
  const stage = await resolveVariable('sls:stage');
  const region = await resolveVariable('self:provider.region');
  const arns = { tableArn: await resolveVariable('param:tableArn'), bucketArn: await resolveVariable('param:bucketArn') };
  const functions = ACCESS[mode];
  if (!functions) throw new Error(`unknown mode ${mode} (routes or lambdalith)`);
  return Object.fromEntries(
    Object.entries(functions).map(([name, access]) => [
      `${logicalId(name)}Role`,
      {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: `duet-${stage}-${region}-${name}`,
          Path: `/duet/${stage}/lambda/`,
          PermissionsBoundary: { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/duet-${stage}-lambda-boundary` },
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'access',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [`${logicalId(name)}LogGroup`, 'Arn'] } },
                  ...statements(access, arns),
                ],
              },
            },
          ],
        },
      },
    ]),
  );
};
