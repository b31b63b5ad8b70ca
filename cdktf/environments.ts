import type { NodeGroupOptions } from './constructs/eks-platform.js';
import type { Stage } from './names.js';

/** What differs between dev and prod. Everything else is the same program. */
export interface EnvironmentConfig {
  stage: Stage;
  region: string;
  /** Terraform refuses to touch any other account when set. */
  accountId?: string;
  vpcCidr: string;
  natGateways: 'single' | 'per-az';
  nodeGroup: NodeGroupOptions;
  kubernetesVersion: string;
  publicAccessCidrs: string[];
  tableDeletionProtection: boolean;
  corsAllowedOrigins: string[];
  noncurrentVersionDays: number;
  logRetentionDays: number;
  keepImages: number;
}

/** Settings for every environment, from the deployer's environment (defaults let synth run offline). */
export interface ProgramSettings {
  /** `owner/name` of the GitHub repository allowed to deploy. */
  repository: string;
  stateBucket: string;
  stateRegion: string;
  region: string;
  accountIds: Partial<Record<Stage, string>>;
  /** ARN of an existing GitHub OIDC provider (one per account; set it when dev and prod share one). */
  githubOidcProviderArn?: string;
  prodOrigins: string[];
}

export function loadSettings(env: Record<string, string | undefined> = process.env): ProgramSettings {
  const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []);
  return {
    repository: env.DUET_GITHUB_REPOSITORY || 'your-org/duet',
    stateBucket: env.DUET_STATE_BUCKET || 'duet-terraform-state',
    stateRegion: env.DUET_STATE_REGION || env.DUET_AWS_REGION || 'us-east-1',
    region: env.DUET_AWS_REGION || 'us-east-1',
    accountIds: {
      ...(env.DUET_DEV_ACCOUNT_ID && { dev: env.DUET_DEV_ACCOUNT_ID }),
      ...(env.DUET_PROD_ACCOUNT_ID && { prod: env.DUET_PROD_ACCOUNT_ID }),
    },
    ...(env.DUET_GITHUB_OIDC_PROVIDER_ARN && { githubOidcProviderArn: env.DUET_GITHUB_OIDC_PROVIDER_ARN }),
    prodOrigins: list(env.DUET_PROD_ORIGINS),
  };
}

export function environments(settings: ProgramSettings): EnvironmentConfig[] {
  const common = { region: settings.region, kubernetesVersion: '1.33', publicAccessCidrs: [] };
  return [
    {
      ...common,
      stage: 'dev',
      ...(settings.accountIds.dev && { accountId: settings.accountIds.dev }),
      vpcCidr: '10.20.0.0/16',
      natGateways: 'single',
      nodeGroup: { instanceTypes: ['t4g.medium'], minSize: 1, maxSize: 3, desiredSize: 2 },
      tableDeletionProtection: false,
      corsAllowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      noncurrentVersionDays: 7,
      logRetentionDays: 14,
      keepImages: 30,
    },
    {
      ...common,
      stage: 'prod',
      ...(settings.accountIds.prod && { accountId: settings.accountIds.prod }),
      vpcCidr: '10.30.0.0/16',
      natGateways: 'per-az',
      nodeGroup: { instanceTypes: ['m7g.large', 'm6g.large'], minSize: 3, maxSize: 9, desiredSize: 3 },
      tableDeletionProtection: true,
      corsAllowedOrigins: settings.prodOrigins,
      noncurrentVersionDays: 30,
      logRetentionDays: 90,
      keepImages: 100,
    },
  ];
}
