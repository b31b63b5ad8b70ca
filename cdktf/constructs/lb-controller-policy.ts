import type { AwsContext } from '../names.js';
import type { PolicyStatement } from './policy.js';

export interface LbControllerPolicyOptions extends AwsContext {
  clusterName: string;
  vpcId: string;
}

/**
 * The AWS Load Balancer Controller (v2, Ingress → ALB), narrower than its upstream sample: only
 * resources tagged `elbv2.k8s.aws/cluster=<this cluster>` can be changed, security groups only
 * in this VPC, no WAF/Shield/Cognito. Load balancers, target groups and security groups get
 * generated ids, so their ARNs end in `*` (scoped to this account and region).
 */
export function lbControllerStatements({ partition, region, accountId, clusterName, vpcId }: LbControllerPolicyOptions): PolicyStatement[] {
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const requestTag = { test: 'StringEquals', variable: 'aws:RequestTag/elbv2.k8s.aws/cluster', values: [clusterName] };
  const resourceTag = { test: 'StringEquals', variable: 'aws:ResourceTag/elbv2.k8s.aws/cluster', values: [clusterName] };
  const loadBalancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`];
  const targetGroups = [`${elb}:targetgroup/*/*`];
  return [
    {
      // Describe and List calls do not support resource-level permissions: Resource must be "*".
      sid: 'DescribeOnly',
      actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetSecurityGroupsForVpc',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores',
        'acm:ListCertificates', 'acm:DescribeCertificate',
      ],
      resources: ['*'],
    },
    {
      sid: 'ElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [`arn:${partition}:iam::${accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`],
      conditions: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['elasticloadbalancing.amazonaws.com'] }],
    },
    {
      sid: 'CreateSecurityGroupInClusterVpc',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [`${ec2}:vpc/${vpcId}`, `${ec2}:security-group/*`],
    },
    {
      sid: 'TagNewSecurityGroup',
      actions: ['ec2:CreateTags'],
      resources: [`${ec2}:security-group/*`],
      conditions: [{ test: 'StringEquals', variable: 'ec2:CreateAction', values: ['CreateSecurityGroup'] }, requestTag],
    },
    {
      sid: 'ManageOwnSecurityGroups',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DeleteSecurityGroup'],
      resources: [`${ec2}:security-group/*`],
      conditions: [resourceTag],
    },
    {
      // The controller also opens the node security group to its load balancers.
      sid: 'IngressRulesInClusterVpc',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [`${ec2}:security-group/*`],
      conditions: [{ test: 'ArnEquals', variable: 'ec2:Vpc', values: [`${ec2}:vpc/${vpcId}`] }],
    },
    {
      sid: 'CreateTaggedLoadBalancers',
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:AddTags'],
      resources: [...loadBalancers, ...targetGroups],
      conditions: [requestTag],
    },
    {
      sid: 'ManageOwnLoadBalancers',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType',
        'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
        'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:RegisterTargets',
        'elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags',
      ],
      resources: [...loadBalancers, ...targetGroups],
      conditions: [resourceTag],
    },
    {
      // Listeners and rules are children of this account's load balancers; their ids are generated.
      sid: 'ListenersAndRules',
      actions: [
        'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:ModifyListenerAttributes',
        'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule',
      ],
      resources: [...loadBalancers, `${elb}:listener/app/*/*/*`, `${elb}:listener-rule/app/*/*/*/*`],
    },
  ];
}
