import type { AwsContext } from '../names.js';
import type { PolicyStatement } from './policy.js';

export interface LbControllerPolicyOptions extends AwsContext {
  clusterName: string;
  vpcId: string;
}

/**
 * The AWS Load Balancer Controller's policy: every action of the upstream policy for the pinned
 * controller version (cdktf/upstream, LB_CONTROLLER in cdktf/cluster-addons.ts), each scoped at
 * least as narrowly as upstream. ARNs name this account and region; load balancers, target groups
 * and security groups are changed only when tagged `elbv2.k8s.aws/cluster=<this cluster>` (upstream
 * accepts any cluster's tag), and security groups are created only in this VPC.
 * test/infra/lb-controller-policy.test.ts diffs the actions against the upstream copy.
 */
export function lbControllerStatements({ partition, region, accountId, clusterName, vpcId }: LbControllerPolicyOptions): PolicyStatement[] {
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const requestTag = { test: 'StringEquals', variable: 'aws:RequestTag/elbv2.k8s.aws/cluster', values: [clusterName] };
  const resourceTag = { test: 'StringEquals', variable: 'aws:ResourceTag/elbv2.k8s.aws/cluster', values: [clusterName] };
  const loadBalancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`];
  const targetGroups = [`${elb}:targetgroup/*/*`];
  const listeners = [`${elb}:listener/app/*/*/*`, `${elb}:listener/net/*/*/*`];
  const rules = [`${elb}:listener-rule/app/*/*/*/*`, `${elb}:listener-rule/net/*/*/*/*`];
  return [
    {
      // Describe and List calls do not support resource-level permissions: Resource must be "*".
      sid: 'DescribeOnly',
      actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
        'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetSecurityGroupsForVpc',
        'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeListenerCertificates', 'elasticloadbalancing:DescribeSSLPolicies',
        'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores',
        'elasticloadbalancing:DescribeCapacityReservation',
        'acm:ListCertificates', 'iam:ListServerCertificates', 'shield:GetSubscriptionState',
      ],
      resources: ['*'],
    },
    {
      // What an Ingress's annotations name (certificates, a Cognito client, WAF ACLs, Shield): the
      // controller reads them, and attaches or detaches WAF and Shield on its own load balancers.
      sid: 'IngressFeatures',
      actions: [
        'acm:DescribeCertificate', 'iam:GetServerCertificate', 'cognito-idp:DescribeUserPoolClient',
        'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
        'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
        'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
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
        'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
        'elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags',
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
        'elasticloadbalancing:SetRulePriorities',
      ],
      resources: [...loadBalancers, ...listeners, ...rules],
    },
    {
      // Current controllers tag listeners and rules as they create them (CreateListener/CreateRule with Tags).
      sid: 'TagListenersAndRules',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [...listeners, ...rules],
    },
  ];
}
