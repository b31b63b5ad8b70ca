// The release gate on Lambda: each function's `live` alias, shifted by CodeDeploy in the gate's
// steps and rolled back by its CloudWatch alarms, added to the template `sls package` compiles
// (serverless/release-gate.cjs calls applyReleaseGate on deployed stages, in both modes).
import { NAMESPACE, RELEASE_SETS } from '../handlers/emf-metrics.js';
import { METRIC_NAMES } from '../core/ports/metrics.js';
import { codeDeployTrafficRouting, type Gate } from './gate.js';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string | string[]; UpdatePolicy?: Record<string, unknown> };
export interface Template {
  Resources: Record<string, Resource>;
  Parameters?: Record<string, unknown>;
}

export const ALIAS = 'live';
/** cdktf publishes the role CodeDeploy acts with (one owner per resource); serverless.yml reads it from SSM like the other names. */
export const CODEDEPLOY_ROLE_PARAMETER = 'CodeDeployRoleArnParameter';

const [VERSION_SET, CLASS_SET] = RELEASE_SETS;

/** A CloudWatch metric of the function version being deployed, summed or at a percentile over the window. */
function versionMetric(id: string, name: string, stat: string, gate: Gate, fn: { name: unknown; version: unknown }, statusClass?: string) {
  const values: Record<string, unknown> = { function: fn.name, functionVersion: fn.version, ...(statusClass ? { statusClass } : {}) };
  const set = statusClass ? CLASS_SET : VERSION_SET;
  return {
    Id: id,
    ReturnData: false,
    MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: set.map((dimension) => ({ Name: dimension, Value: values[dimension] })) }, Period: gate.windowMinutes * 60, Stat: stat },
  };
}

/**
 * The gate's two rules as alarms on the version's EMF metrics: each is 0 below minRequests in
 * the window (no verdict), like the chart's queries. Evaluated every minute over one window.
 */
export function gateAlarms(gate: Gate, fn: { name: unknown; version: unknown; alarmPrefix: string }): Record<string, Resource['Properties']> {
  const enough = `FILL(requests, 0) >= ${gate.minRequests}`;
  const common = { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' };
  return {
    errorRate: {
      AlarmName: `${fn.alarmPrefix}-release-error-rate`,
      AlarmDescription: `Release gate (release/gate.yaml): more than ${gate.maxErrorRate * 100}% of the new version's responses are 5xx over ${gate.windowMinutes} minutes; CodeDeploy rolls the alias back.`,
      Metrics: [
        versionMetric('requests', METRIC_NAMES.requests, 'Sum', gate, fn),
        versionMetric('errors', METRIC_NAMES.requests, 'Sum', gate, fn, '5xx'),
        { Id: 'errorRate', Label: 'share of 5xx responses', ReturnData: true, Expression: `IF(${enough}, FILL(errors, 0) / requests, 0)` },
      ],
      Threshold: gate.maxErrorRate,
      ...common,
    },
    p99Latency: {
      AlarmName: `${fn.alarmPrefix}-release-p99-latency`,
      AlarmDescription: `Release gate (release/gate.yaml): the new version's p99 latency is above ${gate.maxP99Seconds} s over ${gate.windowMinutes} minutes; CodeDeploy rolls the alias back.`,
      Metrics: [
        versionMetric('requests', METRIC_NAMES.requests, 'Sum', gate, fn),
        versionMetric('p99', METRIC_NAMES.requestDuration, 'p99', gate, fn),
        { Id: 'p99Latency', Label: 'p99 latency (s)', ReturnData: true, Expression: `IF(${enough}, p99, 0)` },
      ],
      Threshold: gate.maxP99Seconds,
      ...common,
    },
  };
}

const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value) === JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** Adds the aliases, CodeDeploy and the alarms to a compiled template; API Gateway then invokes `live`. */
export function applyReleaseGate(template: Template, options: { gate: Gate; service: string; stage: string }): Template {
  const resources = template.Resources;
  const functions = Object.keys(resources).filter((id) => resources[id]!.Type === 'AWS::Lambda::Function');
  if (!functions.length) throw new Error('release gate: the template has no function');
  resources.ReleaseGateApplication = { Type: 'AWS::CodeDeploy::Application', Properties: { ComputePlatform: 'Lambda', ApplicationName: `${options.service}-${options.stage}` } };
  resources.ReleaseGateDeploymentConfig = { Type: 'AWS::CodeDeploy::DeploymentConfig', Properties: { ComputePlatform: 'Lambda', TrafficRoutingConfig: codeDeployTrafficRouting(options.gate) } };
  if (!template.Parameters?.[CODEDEPLOY_ROLE_PARAMETER]) throw new Error(`release gate: serverless.yml declares no ${CODEDEPLOY_ROLE_PARAMETER}`);

  for (const functionId of functions) {
    const base = functionId.replace(/LambdaFunction$/, '');
    const versionId = Object.keys(resources).find((id) => resources[id]!.Type === 'AWS::Lambda::Version' && resources[id]!.Properties.FunctionName?.Ref === functionId);
    if (!versionId) throw new Error(`release gate: ${functionId} has no published version (provider.versionFunctions must stay on)`);
    const alarms = gateAlarms(options.gate, { name: { Ref: functionId }, version: { 'Fn::GetAtt': [versionId, 'Version'] }, alarmPrefix: resources[functionId]!.Properties.FunctionName });
    const alarmIds = Object.entries(alarms).map(([rule, properties]) => {
      const id = `${base}ReleaseGate${rule[0]!.toUpperCase()}${rule.slice(1)}Alarm`;
      resources[id] = { Type: 'AWS::CloudWatch::Alarm', Properties: properties };
      return id;
    });
    const groupId = `${base}DeploymentGroup`;
    resources[groupId] = {
      Type: 'AWS::CodeDeploy::DeploymentGroup',
      Properties: {
        ApplicationName: { Ref: 'ReleaseGateApplication' },
        DeploymentConfigName: { Ref: 'ReleaseGateDeploymentConfig' },
        ServiceRoleArn: { Ref: CODEDEPLOY_ROLE_PARAMETER },
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
        AlarmConfiguration: { Enabled: true, Alarms: alarmIds.map((id) => ({ Name: { Ref: id } })) },
        AutoRollbackConfiguration: { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      },
    };
    const aliasId = `${base}LiveAlias`;
    resources[aliasId] = {
      Type: 'AWS::Lambda::Alias',
      Properties: { FunctionName: { Ref: functionId }, FunctionVersion: { 'Fn::GetAtt': [versionId, 'Version'] }, Name: ALIAS },
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: 'ReleaseGateApplication' }, DeploymentGroupName: { Ref: groupId } } },
    };
    let routed = 0;
    for (const resource of Object.values(resources)) {
      if (resource.Type === 'AWS::ApiGatewayV2::Integration' && refersTo(resource.Properties.IntegrationUri, functionId)) {
        resource.Properties.IntegrationUri = { Ref: aliasId };
        routed++;
      }
      if (resource.Type === 'AWS::Lambda::Permission' && resource.Properties.Principal === 'apigateway.amazonaws.com' && refersTo(resource.Properties.FunctionName, functionId)) {
        resource.Properties.FunctionName = { Ref: aliasId };
      }
    }
    if (!routed) throw new Error(`release gate: no HTTP API integration invokes ${functionId}`);
  }
  return template;
}
