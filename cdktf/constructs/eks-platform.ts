import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry/index.js';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association/index.js';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster/index.js';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { APP_SERVICE_ACCOUNT, LB_CONTROLLER_SERVICE_ACCOUNT, type AwsContext } from '../names.js';
import { ApiJumpHost } from './api-jump-host.js';
import { appDataAccessStatements } from './app-data-access.js';
import { ClusterAddons } from './cluster-addons.js';
import { ContainerRegistry, type ContainerRegistryOptions } from './container-registry.js';
import { EksNetwork, type EksNetworkOptions } from './eks-network.js';
import { IrsaRole } from './irsa-role.js';
import { lbControllerStatements } from './lb-controller-policy.js';
import { createPolicyDocument } from './policy.js';
import type { DataRef } from './task-data.js';

/**
 * The way in to the cluster's API. The endpoint is always private; a jump host without inbound
 * ports, reached through SSM Session Manager port forwarding, is the way in for every stage. Dev
 * may also open the public endpoint to named CIDRs (`DUET_DEV_API_CIDRS`); prod never does.
 */
export interface ApiAccess {
  jumpHost: boolean;
  publicCidrs: string[];
}

export interface NodeGroupOptions {
  /** Graviton (arm64) instance types: the AMI type below is arm64. */
  instanceTypes: string[];
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export interface EksPlatformOptions {
  aws: AwsContext;
  clusterName: string;
  kubernetesVersion: string;
  network: Omit<EksNetworkOptions, 'name' | 'clusterName'>;
  /** The jump host, and CIDRs allowed to reach the public API endpoint (none keeps it private only). */
  apiAccess: ApiAccess;
  /** IAM principals that get cluster-admin through access entries, beside the identity that ran cdktf. */
  clusterAdminArns: string[];
  nodeGroup: NodeGroupOptions;
  registry: ContainerRegistryOptions;
  logRetentionDays: number;
  table: DataRef;
  bucket: DataRef;
}

const CONTROL_PLANE_LOGS = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** A role an AWS service assumes, with AWS-managed policies: AWS maintains what EKS requires. */
function serviceRole(scope: Construct, id: string, name: string, service: string, managedPolicies: string[], partition: string) {
  const trust = createPolicyDocument(scope, `${id}-trust`, [
    { sid: 'Service', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] },
  ]);
  const role = new IamRole(scope, id, { name, assumeRolePolicy: trust.json });
  const attachments = managedPolicies.map(
    (policy) => new IamRolePolicyAttachment(scope, `${id}-${policy}`, { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` }),
  );
  return { role, attachments };
}

/** Full access to the cluster's Kubernetes API, as EKS defines it. */
const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/**
 * The container target's platform: network, a private EKS cluster with control-plane logs and
 * encrypted secrets, its EKS add-ons, a Graviton node group, the way in to its API (a jump host,
 * access entries), IRSA for the app and the load balancer controller, and the image repository.
 */
export class EksPlatform extends Construct {
  readonly cluster: { name: string; arn: string; endpoint: string };
  readonly irsa: { appRoleArn: string; lbControllerRoleArn: string };
  readonly registry: { url: string; arn: string };
  readonly network: { vpcId: string; loadBalancerSubnetCidrs: string[] };
  readonly jumpHostId?: string;

  constructor(scope: Construct, id: string, options: EksPlatformOptions) {
    super(scope, id);
    const { aws, clusterName } = options;
    const network = new EksNetwork(this, 'network', { ...options.network, name: clusterName, clusterName });

    const logs = new CloudwatchLogGroup(this, 'control-plane-logs', {
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: options.logRetentionDays,
    });
    const secretsKey = new KmsKey(this, 'secrets-key', {
      description: `${clusterName}: envelope encryption of Kubernetes secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const clusterRole = serviceRole(this, 'cluster-role', `${clusterName}-cluster`, 'eks.amazonaws.com', ['AmazonEKSClusterPolicy'], aws.partition);
    const kmsUse = createPolicyDocument(this, 'cluster-kms', [
      { sid: 'SecretsKey', actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], resources: [secretsKey.arn] },
    ]);
    const clusterKms = new IamRolePolicy(this, 'cluster-kms-policy', { name: 'secrets-key', role: clusterRole.role.name, policy: kmsUse.json });

    const cluster = new EksCluster(this, 'cluster', {
      name: clusterName,
      version: options.kubernetesVersion,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        subnetIds: network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: options.apiAccess.publicCidrs.length > 0,
        ...(options.apiAccess.publicCidrs.length > 0 && { publicAccessCidrs: options.apiAccess.publicCidrs }),
      },
      enabledClusterLogTypes: CONTROL_PLANE_LOGS,
      encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ['secrets'] },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [logs, clusterKms, ...clusterRole.attachments],
    });

    for (const [i, principalArn] of options.clusterAdminArns.entries()) {
      const entry = new EksAccessEntry(this, `admin-${i}`, { clusterName: cluster.name, principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `admin-${i}-policy`, {
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${aws.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: 'cluster' },
      });
    }

    const nodeRole = serviceRole(this, 'node-role', `${clusterName}-node`, 'ec2.amazonaws.com',
      ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'], aws.partition);
    const nodeGroup = new EksNodeGroup(this, 'nodes', {
      clusterName: cluster.name,
      nodeGroupName: `${clusterName}-graviton`,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds: network.privateSubnetIds,
      amiType: 'AL2023_ARM_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: options.nodeGroup.instanceTypes,
      scalingConfig: { minSize: options.nodeGroup.minSize, maxSize: options.nodeGroup.maxSize, desiredSize: options.nodeGroup.desiredSize },
      updateConfig: { maxUnavailable: 1 },
      // No cluster autoscaler runs: Terraform owns the size, and desiredSize leaves room for the
      // HPA's maxReplicas and the add-ons (docs/deploy-eks.md, "Capacity").
      dependsOn: nodeRole.attachments,
    });
    new ClusterAddons(this, 'addons', { clusterName: cluster.name, kubernetesVersion: options.kubernetesVersion, nodes: nodeGroup });

    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(this, 'oidc', { url: issuerUrl, clientIdList: ['sts.amazonaws.com'] });
    const oidcIssuer = Fn.replace(issuerUrl, 'https://', '');

    const app = new IrsaRole(this, 'app-role', {
      roleName: `${clusterName}-app`,
      oidcProviderArn: oidc.arn,
      oidcIssuer,
      serviceAccount: APP_SERVICE_ACCOUNT,
      statements: appDataAccessStatements({ tableArn: options.table.arn, bucketArn: options.bucket.arn }),
    });
    const lbController = new IrsaRole(this, 'lb-controller-role', {
      roleName: `${clusterName}-aws-load-balancer-controller`,
      oidcProviderArn: oidc.arn,
      oidcIssuer,
      serviceAccount: LB_CONTROLLER_SERVICE_ACCOUNT,
      statements: lbControllerStatements({ ...aws, clusterName, vpcId: network.vpcId }),
    });
    const registry = new ContainerRegistry(this, 'registry', options.registry);
    if (options.apiAccess.jumpHost) {
      const jumpHost = new ApiJumpHost(this, 'api-jump-host', {
        name: clusterName,
        partition: aws.partition,
        vpcId: network.vpcId,
        subnetId: network.privateSubnetIds[0]!,
        clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
      });
      this.jumpHostId = jumpHost.instanceId;
    }

    this.cluster = { name: cluster.name, arn: cluster.arn, endpoint: cluster.endpoint };
    this.irsa = { appRoleArn: app.role.arn, lbControllerRoleArn: lbController.role.arn };
    this.registry = { url: registry.repository.repositoryUrl, arn: registry.repository.arn };
    this.network = { vpcId: network.vpcId, loadBalancerSubnetCidrs: network.publicSubnetCidrs };
  }
}
