import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import type { ServiceAccountRef } from '../names.js';
import { createPolicyDocument, type PolicyStatement } from './policy.js';

export interface IrsaRoleOptions {
  roleName: string;
  oidcProviderArn: string;
  /** The cluster's issuer without `https://`, the prefix of the token's claim keys. */
  oidcIssuer: string;
  serviceAccount: ServiceAccountRef;
  statements: PolicyStatement[];
}

/** An IAM role only one Kubernetes ServiceAccount of one cluster can assume (IRSA). */
export class IrsaRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, options: IrsaRoleOptions) {
    super(scope, id);
    const { namespace, name } = options.serviceAccount;
    const trust = createPolicyDocument(this, 'trust', [
      {
        sid: 'ServiceAccount',
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [options.oidcProviderArn] }],
        conditions: [
          { test: 'StringEquals', variable: `${options.oidcIssuer}:sub`, values: [`system:serviceaccount:${namespace}:${name}`] },
          { test: 'StringEquals', variable: `${options.oidcIssuer}:aud`, values: ['sts.amazonaws.com'] },
        ],
      },
    ]);
    this.role = new IamRole(this, 'role', { name: options.roleName, assumeRolePolicy: trust.json });
    const permissions = createPolicyDocument(this, 'permissions', options.statements);
    new IamRolePolicy(this, 'policy', { name: 'access', role: this.role.name, policy: permissions.json });
  }
}
