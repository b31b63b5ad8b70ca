import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lambdaBoundaryName, lambdaRolePath, ssmParameterName, SSM_KEYS } from '../../cdktf/names.js';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE_SECONDS } from '../../core/http/cors.js';
import { DEPENDENCY_STALL_BOUND_MS } from '../../wiring/sdk.js';
import { ROUTE_SPECS, type RouteSpec } from '../../core/http/specs.js';
import { makeSettings, parse, roleNamed, synthStacks } from './cdktf-support.js';
import { codeDeployTrafficRouting, codeDeployWeights, loadGate } from '../../release/gate.js';
import { ALIAS, CODEDEPLOY_ROLE_PARAMETER, gateAlarms } from '../../release/lambda-gate.js';
import { only, render } from './manifests.js';
import { cfnLint, COMBINATIONS, NO_NETWORK, packageAll, type LintFinding, type Mode, type Packaged, type PackagedStage } from './sls-package.js';

/*
 * `sls package` of every deployed stage in both modes, and of the local stage, each once per run,
 * with no network and no AWS credentials; every test below reads those packages.
 */
let packages: Packaged[];
let cleanup = () => {};
let lint: { version: string; findings: LintFinding[] };
beforeAll(async () => {
  ({ packages, cleanup } = await packageAll());
  lint = await cfnLint(packages.map((pkg) => join(pkg.dir, 'cloudformation-template-update-stack.json')));
}, 600_000);
afterAll(() => cleanup());

const DEPLOYED = ['dev', 'prod'] as const;
const packaged = (mode: Mode, stage: PackagedStage) => packages.find((pkg) => pkg.mode === mode && pkg.stage === stage)!;
type Resource = Packaged['template']['Resources'][string];
const ofType = (pkg: Packaged, type: string) => Object.values(pkg.template.Resources).filter((resource) => resource.Type === type);
const functionsOf = (pkg: Packaged) => Object.entries(pkg.template.Resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
const stageFile = (stage: 'dev' | 'prod') => parseYaml(readFileSync(join('serverless', 'stages', `${stage}.yml`), 'utf8'));
const bundle = async (pkg: Packaged, name: string) => {
  const zip = await JSZip.loadAsync(readFileSync(join(pkg.dir, `${name}.zip`)));
  return zip.file(`handlers/${name === 'api' ? 'lambdalith' : name}.mjs`)!.async('string');
};

describe(`sls package with no network (${NO_NETWORK})`, () => {
  it.each(COMBINATIONS.map(({ mode, stage }) => [stage, mode]))('packages stage %s (%s) offline', (stage, mode) => {
    expect(packaged(mode as Mode, stage as PackagedStage).zips.length).toBeGreaterThan(0);
  });

  it.each(DEPLOYED)('leaves the %s deployment bucket to CloudFormation, which reads the name cdktf publishes in SSM', (stage) => {
    for (const mode of ['routes', 'lambdalith'] as const) {
      for (const [name, fn] of functionsOf(packaged(mode, stage))) {
        expect(fn.Properties.Code.S3Bucket, name).toBe(`{{resolve:ssm:${ssmParameterName(stage, 'deployment-bucket-name')}}}`);
      }
    }
    expect(SSM_KEYS).toContain('deployment-bucket-name');
  });
});

describe('cfn-lint over every packaged template', () => {
  it('is cfn-lint 1.x', () => {
    expect(lint.version).toMatch(/^cfn-lint 1\.\d+/);
  });

  it('finds no error in any stage or mode', () => {
    const errors = lint.findings.filter((finding) => finding.Level === 'Error').map((finding) => `${finding.Filename}: ${finding.Rule.Id} ${finding.Message}`);
    expect(errors).toEqual([]);
  });
});

describe('the routes mode', () => {
  it('builds one zip per route-group function', () => {
    expect(packaged('routes', 'dev').zips.sort()).toEqual(['attachments', 'legacy', 'ops', 'stats', 'tasks', 'web']);
  });

  it('builds a single zip for the lambdalith', () => {
    expect(packaged('lambdalith', 'dev').zips).toEqual(['api']);
  });

  it('keeps every per-route zip smaller than the lambdalith zip', async () => {
    const size = async (pkg: Packaged, name: string) => readFileSync(join(pkg.dir, `${name}.zip`)).length;
    const lambdalith = await size(packaged('lambdalith', 'dev'), 'api');
    for (const name of packaged('routes', 'dev').zips) expect(await size(packaged('routes', 'dev'), name), name).toBeLessThan(lambdalith);
  });

  it('bundles the S3 client only into the functions that touch attachment objects', async () => {
    const pkg = packaged('routes', 'dev');
    const bundles = await Promise.all(pkg.zips.map(async (name) => [name, await bundle(pkg, name)] as const));
    expect(bundles.filter(([, code]) => code.includes('S3Client')).map(([name]) => name).sort()).toEqual(['attachments', 'ops']);
    expect(bundles.filter(([, code]) => code.includes('DynamoDB_20120810')).map(([name]) => name).sort()).toEqual(['attachments', 'ops', 'stats', 'tasks']);
  });

  it.each(['routes', 'lambdalith'] as const)("leaves out what Lambda never runs (%s): the SDK's SSO and STS credential clients, pino's transport worker", async (mode) => {
    const pkg = packaged(mode, 'dev');
    const found: string[] = [];
    for (const name of pkg.zips) {
      const code = await bundle(pkg, name);
      for (const marker of ['AssumeRoleWithWebIdentity', 'SSOOIDC', 'GetRoleCredentials', 'the worker has exited']) if (code.includes(marker)) found.push(`${name}: ${marker}`);
      if (code.includes('DynamoDB_20120810') && !code.includes('AWS_SECRET_ACCESS_KEY')) found.push(`${name}: no environment credentials`);
    }
    expect(found).toEqual([]);
  });
});

/** SDK operations a bundle can send → the IAM actions they need (a transaction needs each item's action). */
const OPERATION_ACTIONS: Record<string, string[]> = {
  GetItem: ['dynamodb:GetItem'],
  Query: ['dynamodb:Query'],
  UpdateItem: ['dynamodb:UpdateItem'],
  TransactWriteItems: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
  PutObject: ['s3:PutObject'],
  GetObject: ['s3:GetObject'],
  DeleteObjects: ['s3:DeleteObject'],
  HeadBucket: ['s3:ListBucket'],
};

const roleOf = (pkg: Packaged, fn: Resource) => pkg.template.Resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
const statementsOf = (role: Resource) => role.Properties.Policies.flatMap((policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement) as {
  Action: string | string[];
  Resource: unknown;
}[];
const actionsOf = (role: Resource) => statementsOf(role).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((action) => !action.startsWith('logs:'));

describe.each(DEPLOYED)('the Lambda roles of %s', (stage) => {
  const app = () => roleNamed(parse(synthStacks(makeSettings())[stage]), `duet-${stage}-app`).permissions.flatMap((s) => s.actions);

  it.each(['routes', 'lambdalith'] as const)('are one per function (%s), under the stage\'s role path, bounded by the policy cdktf creates', (mode) => {
    const pkg = packaged(mode, stage);
    const roles = functionsOf(pkg).map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0] as string);
    expect(new Set(roles).size).toBe(functionsOf(pkg).length);
    expect(ofType(pkg, 'AWS::IAM::Role')).toHaveLength(roles.length);
    for (const role of roles.map((id) => pkg.template.Resources[id]!)) {
      expect(role.Properties.Path).toBe(lambdaRolePath(stage));
      expect(role.Properties.PermissionsBoundary).toEqual({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/${lambdaBoundaryName(stage)}` });
      expect(role.Properties.RoleName.length).toBeLessThanOrEqual(64);
    }
    expect(pkg.template.Resources).not.toHaveProperty('IamRoleLambdaExecution');
  });

  it.each(['routes', 'lambdalith'] as const)('let each function (%s) write only its own log group', (mode) => {
    const pkg = packaged(mode, stage);
    for (const [id, fn] of functionsOf(pkg)) {
      const logs = statementsOf(roleOf(pkg, fn)).filter((s) => [s.Action].flat().some((action) => action.startsWith('logs:')));
      expect(logs, id).toEqual([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [id.replace(/LambdaFunction$/, 'LogGroup'), 'Arn'] } }]);
    }
  });

  it('grant each function only what the SDK operations in its bundle need: legacy nothing, tasks and stats no S3', async () => {
    const pkg = packaged('routes', stage);
    for (const [id, fn] of functionsOf(pkg)) {
      const name = fn.Properties.Handler.replace(/^handlers\/(\w+)\.handler$/, '$1');
      const code = await bundle(pkg, name);
      const possible = new Set(Object.entries(OPERATION_ACTIONS).filter(([operation]) => code.includes(`"${operation}"`)).flatMap(([, actions]) => actions));
      expect(actionsOf(roleOf(pkg, fn)).filter((action) => !possible.has(action)), id).toEqual([]);
    }
    const byName = Object.fromEntries(functionsOf(pkg).map(([id, fn]) => [id.replace(/LambdaFunction$/, '').toLowerCase(), actionsOf(roleOf(pkg, fn))]));
    expect(byName.legacy).toEqual([]);
    expect(byName.web).toEqual([]);
    expect(byName.stats).toEqual(['dynamodb:Query']);
    expect([...byName.tasks!, ...byName.stats!].filter((action) => action.startsWith('s3:'))).toEqual([]);
  });

  it.each(['routes', 'lambdalith'] as const)('grant together (%s) exactly the data actions of the container\'s IRSA role', (mode) => {
    const pkg = packaged(mode, stage);
    const granted = new Set(functionsOf(pkg).flatMap(([, fn]) => actionsOf(roleOf(pkg, fn))));
    expect(granted).toEqual(new Set(app()));
  });
});

describe.each(DEPLOYED)('the HTTP API of %s', (stage) => {
  const settings = () => stageFile(stage);

  it.each(['routes', 'lambdalith'] as const)('reserves concurrency per function as serverless/stages/%s.yml says (%s)', (mode) => {
    const pkg = packaged(mode, stage);
    const reserved = Object.fromEntries(functionsOf(pkg).map(([, fn]) => [fn.Properties.FunctionName.replace(`duet-${stage}-`, ''), fn.Properties.ReservedConcurrentExecutions]));
    const expected = Object.fromEntries(Object.keys(reserved).map((name) => [name, settings().reservedConcurrency[name]]));
    expect(reserved).toEqual(expected);
    for (const value of Object.values(reserved)) expect(value).toBeGreaterThan(0);
    // A default account allows 1,000 concurrent executions and keeps 100 unreserved.
    expect(Object.values(reserved).reduce((sum: number, value) => sum + (value as number), 0)).toBeLessThanOrEqual(900);
  });

  it('throttles the whole stage', () => {
    const [apiStage] = ofType(packaged('routes', stage), 'AWS::ApiGatewayV2::Stage');
    expect(apiStage!.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: settings().throttle.rateLimit, ThrottlingBurstLimit: settings().throttle.burstLimit });
  });

  it('writes an access log line per request, with the authorizer\'s errors, to a log group with retention', () => {
    const pkg = packaged('routes', stage);
    const [apiStage] = ofType(pkg, 'AWS::ApiGatewayV2::Stage');
    const { DestinationArn, Format } = apiStage!.Properties.AccessLogSettings;
    const group = pkg.template.Resources[DestinationArn['Fn::GetAtt'][0]]!;
    expect(group.Properties).toMatchObject({ LogGroupName: `/aws/http-api/duet-${stage}`, RetentionInDays: expect.any(Number) });
    expect(Object.keys(JSON.parse(Format))).toEqual(expect.arrayContaining(['requestId', 'status', 'routeKey', 'authorizerError', 'integrationError']));
  });

  it('answers CORS at the gateway exactly where origins are configured, with the app\'s headers', () => {
    const origins: string[] = settings().corsOrigins;
    for (const mode of ['routes', 'lambdalith'] as const) {
      const [api] = ofType(packaged(mode, stage), 'AWS::ApiGatewayV2::Api');
      const cors = api!.Properties.CorsConfiguration;
      if (origins.length === 0) {
        expect(cors).toBeUndefined();
        continue;
      }
      expect(cors).toMatchObject({ AllowOrigins: origins, AllowHeaders: [...CORS_ALLOW_HEADERS], ExposeHeaders: [...CORS_EXPOSE_HEADERS], MaxAge: CORS_MAX_AGE_SECONDS });
      expect(cors.AllowCredentials).toBeUndefined();
      const methods = new Set((ROUTE_SPECS as readonly RouteSpec[]).map((spec) => spec.method));
      for (const method of methods) expect(cors.AllowMethods).toContain(method);
      for (const [, fn] of functionsOf(packaged(mode, stage))) expect(fn.Properties.Environment.Variables.CORS_ORIGINS).toBe(origins.join(','));
    }
  });
});

/** Route key → the scopes core/http/specs.ts gives it (GET routes have a HEAD twin). */
const PROTECTED = new Map(
  (ROUTE_SPECS as readonly RouteSpec[])
    .filter((spec) => spec.scopes)
    .flatMap((spec) => [[`${spec.method} ${spec.path}`, spec.scopes!], ...(spec.method === 'GET' ? [[`HEAD ${spec.path}`, spec.scopes!] as const] : [])]),
);

describe.each(['routes', 'lambdalith'] as const)('the JWT authorizer (%s mode)', (mode) => {
  it('is one JWT authorizer on the Authorization header', () => {
    const authorizers = ofType(packaged(mode, 'dev'), 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]!.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('guards every route that needs a token with the scopes the core gives it, and nothing else', () => {
    const routes = ofType(packaged(mode, 'dev'), 'AWS::ApiGatewayV2::Route').map((route) => route.Properties);
    const guarded = Object.fromEntries(routes.filter((route) => route.AuthorizationType === 'JWT').map((route) => [route.RouteKey, route.AuthorizationScopes]));
    expect(guarded).toEqual(Object.fromEntries(PROTECTED));
    const open = routes.filter((route) => route.AuthorizationType !== 'JWT').map((route) => route.RouteKey as string);
    expect(open.filter((key) => key.includes('/v1/'))).toEqual([]);
  });
});

describe.each(['routes', 'lambdalith'] as const)('every function (%s mode)', (mode) => {
  it('outlasts the longest a request waits on a stalled DynamoDB or S3, so it answers the 503 itself', () => {
    for (const stage of DEPLOYED) {
      const functions = functionsOf(packaged(mode, stage));
      expect(functions.length).toBeGreaterThan(0);
      for (const [, fn] of functions) expect(fn.Properties.Timeout * 1000).toBeGreaterThan(DEPENDENCY_STALL_BOUND_MS);
    }
  });
});

describe('a deployed stage', () => {
  it('verifies tokens from the issuer and audience cdktf publishes in SSM', () => {
    const [authorizer] = ofType(packaged('routes', 'prod'), 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer!.Properties.JwtConfiguration).toEqual({ Issuer: { Ref: 'AuthIssuerParameter' }, Audience: [{ Ref: 'AuthAudienceParameter' }] });
  });

  it("lets the functions trust the authorizer's claims, and tells them the same issuer and audience", () => {
    for (const [, fn] of functionsOf(packaged('routes', 'prod'))) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        AUTH_CLAIMS: 'gateway',
        AUTH_ISSUER: { Ref: 'AuthIssuerParameter' },
        AUTH_AUDIENCE: { Ref: 'AuthAudienceParameter' },
      });
    }
  });

  it('writes CloudWatch embedded metrics from every function', () => {
    for (const stage of DEPLOYED) for (const [, fn] of functionsOf(packaged('routes', stage))) expect(fn.Properties.Environment.Variables.EMF_METRICS).toBe('on');
  });

  it('gives every function 10 s', () => {
    for (const stage of DEPLOYED) for (const [, fn] of functionsOf(packaged('routes', stage))) expect(fn.Properties.Timeout).toBe(10);
  });
});

describe('the local stage (serverless-offline)', () => {
  it('has the functions verify tokens themselves, since offline does not enforce the authorizer', () => {
    for (const [, fn] of functionsOf(packaged('lambdalith', 'local'))) expect(fn.Properties.Environment.Variables.AUTH_CLAIMS).toBe('token');
    expect(readFileSync('serverless.yml', 'utf8')).toMatch(/serverless-offline:\n(?: {4}.*\n)*? {4}noAuth: true/);
  });

  it('leaves CORS to the app and reserves no concurrency', () => {
    const pkg = packaged('lambdalith', 'local');
    expect(ofType(pkg, 'AWS::ApiGatewayV2::Api')[0]!.Properties.CorsConfiguration).toBeUndefined();
    for (const [, fn] of functionsOf(pkg)) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('writes no embedded metrics, which nothing reads locally', () => {
    for (const [, fn] of functionsOf(packaged('lambdalith', 'local'))) expect(fn.Properties.Environment.Variables.EMF_METRICS).toBe('off');
  });

  it('gives functions 60 s, since local instances share the machine\'s cores', () => {
    for (const [, fn] of functionsOf(packaged('lambdalith', 'local'))) expect(fn.Properties.Timeout).toBe(60);
  });
});

describe.each(DEPLOYED.flatMap((stage) => (['routes', 'lambdalith'] as const).map((mode) => [stage, mode] as const)))('the release gate on %s (%s mode)', (stage, mode) => {
  const gate = loadGate();
  const pkg = () => packaged(mode, stage);
  const resource = (id: string) => pkg().template.Resources[id]!;
  const versionOf = (functionId: string) => Object.entries(pkg().template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Version' && r.Properties.FunctionName.Ref === functionId)![0];
  const aliasOf = (functionId: string) => Object.entries(pkg().template.Resources).find(([, r]) => r.Type === 'AWS::Lambda::Alias' && r.Properties.FunctionName.Ref === functionId);

  it('gives every function a live alias at its new version, moved by CodeDeploy through the function\'s deployment group', () => {
    for (const [functionId] of functionsOf(pkg())) {
      const [aliasId, alias] = aliasOf(functionId)!;
      expect(alias.Properties, aliasId).toEqual({ FunctionName: { Ref: functionId }, FunctionVersion: { 'Fn::GetAtt': [versionOf(functionId), 'Version'] }, Name: ALIAS });
      const update = (alias as unknown as { UpdatePolicy: any }).UpdatePolicy.CodeDeployLambdaAliasUpdate;
      const group = resource(update.DeploymentGroupName.Ref);
      expect(group.Type).toBe('AWS::CodeDeploy::DeploymentGroup');
      expect(resource(update.ApplicationName.Ref).Properties).toEqual({ ComputePlatform: 'Lambda', ApplicationName: `duet-${stage}` });
      expect(group.Properties.ApplicationName).toEqual(update.ApplicationName);
    }
    expect(ofType(pkg(), 'AWS::Lambda::Alias')).toHaveLength(functionsOf(pkg()).length);
  });

  it('has API Gateway invoke only the live aliases', () => {
    const aliases = new Set(functionsOf(pkg()).map(([functionId]) => aliasOf(functionId)![0]));
    const integrations = ofType(pkg(), 'AWS::ApiGatewayV2::Integration');
    expect(integrations.length).toBeGreaterThan(0);
    for (const integration of integrations) expect(aliases).toContain(integration.Properties.IntegrationUri.Ref);
    const permissions = ofType(pkg(), 'AWS::Lambda::Permission').filter((permission) => permission.Properties.Principal === 'apigateway.amazonaws.com');
    expect(permissions.map((permission) => permission.Properties.FunctionName.Ref).sort()).toEqual([...aliases].sort());
  });

  it('shifts traffic in the gate\'s steps and pauses, rolling back on an alarm, with the role cdktf publishes', () => {
    const [config] = ofType(pkg(), 'AWS::CodeDeploy::DeploymentConfig');
    expect(config!.Properties.TrafficRoutingConfig).toEqual(codeDeployTrafficRouting(gate));
    expect(codeDeployWeights(gate)).toEqual([...gate.steps.map((step) => step.weight), 100]);
    expect(config!.Properties.TrafficRoutingConfig.TimeBasedLinear.LinearInterval).toBe(gate.steps[0]!.pauseMinutes);
    for (const group of ofType(pkg(), 'AWS::CodeDeploy::DeploymentGroup')) {
      expect(group.Properties).toMatchObject({
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_STOP_ON_ALARM']) },
        ServiceRoleArn: { Ref: CODEDEPLOY_ROLE_PARAMETER },
      });
    }
    expect((pkg().template as unknown as { Parameters: Record<string, any> }).Parameters[CODEDEPLOY_ROLE_PARAMETER]).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: ssmParameterName(stage, 'codedeploy-role-arn') });
  });

  it('watches, per function, the gate\'s alarms on the EMF metrics of the version being deployed', () => {
    for (const [functionId, fn] of functionsOf(pkg())) {
      const group = resource((aliasOf(functionId)![1] as unknown as { UpdatePolicy: any }).UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref);
      const watched = group.Properties.AlarmConfiguration.Alarms.map((alarm: { Name: { Ref: string } }) => resource(alarm.Name.Ref).Properties);
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      const expected = gateAlarms(gate, { name: { Ref: functionId }, version: { 'Fn::GetAtt': [versionOf(functionId), 'Version'] }, alarmPrefix: fn.Properties.FunctionName });
      expect(watched).toEqual(Object.values(expected));
    }
  });
});

describe('the local stage and the release gate', () => {
  it('has no alias or CodeDeploy: serverless-offline invokes the functions', () => {
    const pkg = packaged('lambdalith', 'local');
    expect(ofType(pkg, 'AWS::Lambda::Alias')).toEqual([]);
    expect(ofType(pkg, 'AWS::CodeDeploy::DeploymentGroup')).toEqual([]);
  });
});

describe('the release gate in the chart and in the Lambda template', () => {
  const gate = loadGate();
  const numbers = (text: string, pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((match) => Number(match[1])))];

  it.each(DEPLOYED)('has the spec\'s thresholds, floor, window and steps on both targets (%s)', async (stage) => {
    const objects = await render(stage, ['rollout.enabled=true', 'monitoring.serviceMonitor.enabled=true']);
    const metrics = only(objects, 'AnalysisTemplate').spec.metrics as { name: string; successCondition: string; provider: { prometheus: { query: string } } }[];
    const chart = Object.fromEntries(metrics.map((metric) => [metric.name, metric]));
    for (const mode of ['routes', 'lambdalith'] as const) {
      const alarms = ofType(packaged(mode, stage), 'AWS::CloudWatch::Alarm').map((alarm) => alarm.Properties);
      const lambda = (suffix: string) => alarms.filter((alarm) => alarm.AlarmName.endsWith(suffix));
      const expressions = alarms.flatMap((alarm) => alarm.Metrics.filter((metric: { Expression?: string }) => metric.Expression).map((metric: { Expression: string }) => metric.Expression)).join('\n');
      const periods = alarms.flatMap((alarm) => alarm.Metrics.filter((metric: { MetricStat?: unknown }) => metric.MetricStat).map((metric: { MetricStat: { Period: number } }) => metric.MetricStat.Period));

      expect(numbers(chart['error-rate']!.successCondition, /<= ([0-9.]+)/g)).toEqual([gate.maxErrorRate]);
      expect([...new Set(lambda('-release-error-rate').map((alarm) => alarm.Threshold))]).toEqual([gate.maxErrorRate]);
      expect(numbers(chart['p99-latency']!.successCondition, /<= ([0-9.]+)/g)).toEqual([gate.maxP99Seconds]);
      expect([...new Set(lambda('-release-p99-latency').map((alarm) => alarm.Threshold))]).toEqual([gate.maxP99Seconds]);
      expect(numbers(metrics.map((metric) => metric.provider.prometheus.query).join('\n'), />= ([0-9]+)\)/g)).toEqual([gate.minRequests]);
      expect(numbers(expressions, />= ([0-9]+)/g)).toEqual([gate.minRequests]);
      expect(numbers(metrics.map((metric) => metric.provider.prometheus.query).join('\n'), /\[([0-9]+)m\]/g)).toEqual([gate.windowMinutes]);
      expect([...new Set(periods)]).toEqual([gate.windowMinutes * 60]);

      const steps = only(objects, 'Rollout').spec.strategy.canary.steps as { setWeight?: number; pause?: { duration: string } }[];
      const weights = steps.filter((step) => step.setWeight !== undefined).map((step) => step.setWeight);
      const pauses = [...new Set(steps.filter((step) => step.pause).map((step) => parseInt(step.pause!.duration, 10)))];
      const [config] = ofType(packaged(mode, stage), 'AWS::CodeDeploy::DeploymentConfig');
      const { LinearPercentage, LinearInterval } = config!.Properties.TrafficRoutingConfig.TimeBasedLinear;
      expect(weights).toEqual(gate.steps.map((step) => step.weight));
      expect(weights).toEqual(weights.map((_, index) => LinearPercentage * (index + 1)));
      expect(pauses).toEqual([LinearInterval]);
      expect(pauses).toEqual([...new Set(gate.steps.map((step) => step.pauseMinutes))]);
    }
  }, 60_000);
});
