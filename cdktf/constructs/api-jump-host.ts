import { Construct } from 'constructs';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Instance } from '@cdktf/provider-aws/lib/instance/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';
import { createPolicyDocument } from './policy.js';

export interface ApiJumpHostOptions {
  name: string;
  partition: string;
  vpcId: string;
  /** A private subnet: the host has no public address and accepts no inbound connection. */
  subnetId: string;
  /** The cluster security group, which guards the private API endpoint's network interfaces. */
  clusterSecurityGroupId: string;
}

/** The latest Amazon Linux 2023 for Graviton, as AWS publishes it (the SSM agent is preinstalled). */
const AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';

/**
 * The way in to the private EKS API: a small instance in a private subnet, no inbound ports, that
 * SSM Session Manager port forwarding relays through (`AWS-StartPortForwardingSessionToRemoteHost`
 * to the endpoint on 443). Who may open a session is whoever IAM lets call `ssm:StartSession`; who
 * may then use the API is decided by the cluster's access entries, as for any caller.
 */
export class ApiJumpHost extends Construct {
  readonly instanceId: string;

  constructor(scope: Construct, id: string, options: ApiJumpHostOptions) {
    super(scope, id);
    const trust = createPolicyDocument(this, 'trust', [
      { sid: 'Ec2', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] },
    ]);
    const role = new IamRole(this, 'role', { name: `${options.name}-api-jump-host`, assumeRolePolicy: trust.json });
    // AWS maintains what the SSM agent needs; the host itself gets no other permission.
    new IamRolePolicyAttachment(this, 'ssm-core', { role: role.name, policyArn: `arn:${options.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` });
    const profile = new IamInstanceProfile(this, 'profile', { name: `${options.name}-api-jump-host`, role: role.name });

    const group = new SecurityGroup(this, 'security-group', {
      name: `${options.name}-api-jump-host`,
      description: 'API jump host: no inbound; HTTPS out to SSM and the cluster endpoint',
      vpcId: options.vpcId,
      egress: [{ description: 'HTTPS', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: `${options.name}-api-jump-host` },
    });
    new VpcSecurityGroupIngressRule(this, 'to-api', {
      securityGroupId: options.clusterSecurityGroupId,
      referencedSecurityGroupId: group.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'Kubernetes API from the jump host',
    });

    const ami = new DataAwsSsmParameter(this, 'ami', { name: AMI_PARAMETER });
    const instance = new Instance(this, 'instance', {
      ami: ami.insecureValue,
      instanceType: 't4g.nano',
      subnetId: options.subnetId,
      vpcSecurityGroupIds: [group.id],
      iamInstanceProfile: profile.name,
      associatePublicIpAddress: false,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { encrypted: true, volumeType: 'gp3' },
      tags: { Name: `${options.name}-api-jump-host` },
      // A newer AMI must not replace the host under an open session; replace it deliberately (taint).
      lifecycle: { ignoreChanges: ['ami'] },
    });
    this.instanceId = instance.id;
  }
}
