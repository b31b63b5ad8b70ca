import type { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';

export interface PolicyCondition {
  test: string;
  variable: string;
  values: string[];
}

/** One IAM statement. `sid` is required so tests and reviewers can name each grant. */
export interface PolicyStatement {
  sid: string;
  effect?: 'Allow' | 'Deny';
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  conditions?: PolicyCondition[];
}

/** An `aws_iam_policy_document` data source: rendered by Terraform, readable in the synth JSON. */
export function createPolicyDocument(scope: Construct, id: string, statements: PolicyStatement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: statements.map(({ sid, effect = 'Allow', actions, resources, principals, conditions }) => ({
      sid,
      effect,
      actions,
      ...(resources && { resources }),
      ...(principals && { principals }),
      ...(conditions && { condition: conditions }),
    })),
  });
}
