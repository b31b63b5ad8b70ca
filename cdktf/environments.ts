import type { ApiAccess, NodeGroupOptions } from './constructs/eks-platform.js';
import type { Stage } from './names.js';

/** A token issuer the deployer runs elsewhere (Auth0, Okta, Entra ID, another account's Cognito). */
export interface ExternalIssuer {
  /** The tokens' `iss`, an https URL that serves `/.well-known/openid-configuration` (API Gateway reads it). */
  issuer: string;
  /** The tokens' `aud` (or `client_id` when they carry no `aud`). */
  audience: string;
  /** Default: `<issuer>/.well-known/jwks.json`, as the app assumes. */
  jwksUrl?: string;
}

/** The Cognito user pool cdktf creates when a stage names no external issuer. */
export interface CognitoSettings {
  /** Where the hosted UI may send the authorization code (https, or http://localhost). Empty: no sign-in yet. */
  callbackUrls: string[];
  logoutUrls: string[];
  /** Hosted UI domain prefix, unique per region. Default `duet-<stage>-<account id>`. */
  domainPrefix?: string;
}

/** Who issues a stage's tokens: an external issuer, or a Cognito user pool cdktf creates. */
export type AuthSettings = ({ kind: 'external' } & ExternalIssuer) | ({ kind: 'cognito' } & CognitoSettings);

/** A stage's auth settings as the deployer gave them; whatever is unset takes the stage's default. */
export interface StageAuthSettings {
  external?: ExternalIssuer;
  callbackUrls?: string[];
  logoutUrls?: string[];
  domainPrefix?: string;
}

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
  /** How operators reach the private EKS API: see {@link ApiAccess}. */
  apiAccess: ApiAccess;
  /** IAM roles or users that get cluster-admin through an EKS access entry (the team, beside whoever ran cdktf). */
  clusterAdminArns: string[];
  /** The table and the Cognito user pool cannot be deleted until this is switched off. */
  deletionProtection: boolean;
  corsAllowedOrigins: string[];
  noncurrentVersionDays: number;
  logRetentionDays: number;
  keepImages: number;
  auth: AuthSettings;
}

/** Settings for every environment, from the deployer's environment (defaults let synth run offline). */
export interface ProgramSettings {
  /** `owner/name` of the GitHub repository allowed to deploy. */
  repository: string;
  stateBucket: string;
  stateRegion: string;
  /** A role in the state bucket's account that Terraform assumes for the state (cross-account state, e.g. for prod). */
  stateRoleArn?: string;
  region: string;
  accountIds: Partial<Record<Stage, string>>;
  /** ARN of an existing GitHub OIDC provider (one per account; set it when dev and prod share one). */
  githubOidcProviderArn?: string;
  prodOrigins: string[];
  /** Browser origins beside localhost that serve or call dev (`DUET_DEV_ORIGINS`): the deployed UI's own. */
  devOrigins: string[];
  /** Per stage, from `DUET_<STAGE>_AUTH_*`. */
  auth: Partial<Record<Stage, StageAuthSettings>>;
  /** CIDRs that may reach dev's public API endpoint (`DUET_DEV_API_CIDRS`); none keeps it private. */
  devApiCidrs: string[];
  /** Per stage, from `DUET_<STAGE>_CLUSTER_ADMIN_ARNS`. */
  clusterAdminArns: Partial<Record<Stage, string[]>>;
}

const STAGES: Stage[] = ['dev', 'prod'];

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function loadSettings(env: Record<string, string | undefined> = process.env): ProgramSettings {
  const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []);
  const repository = env.DUET_GITHUB_REPOSITORY?.trim();
  // The deploy role trusts this repository's workflows: a guessed default would trust someone else's.
  if (!repository) throw new SettingsError('DUET_GITHUB_REPOSITORY must name the GitHub repository (owner/name) whose workflows may deploy');
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repository)) throw new SettingsError(`DUET_GITHUB_REPOSITORY must be owner/name, got ${repository}`);
  if (env.DUET_PROD_API_CIDRS?.trim()) throw new SettingsError('DUET_PROD_API_CIDRS: the prod API endpoint stays private; use the jump host (docs/deploy-eks.md)');
  const stateRoleArn = env.DUET_STATE_ROLE_ARN?.trim();
  if (stateRoleArn && !IAM_ROLE_ARN.test(stateRoleArn)) throw new SettingsError(`DUET_STATE_ROLE_ARN must be an IAM role ARN, got ${stateRoleArn}`);
  return {
    repository,
    stateBucket: env.DUET_STATE_BUCKET || 'duet-terraform-state',
    stateRegion: env.DUET_STATE_REGION || env.DUET_AWS_REGION || 'us-east-1',
    ...(stateRoleArn && { stateRoleArn }),
    region: env.DUET_AWS_REGION || 'us-east-1',
    accountIds: {
      ...(env.DUET_DEV_ACCOUNT_ID && { dev: env.DUET_DEV_ACCOUNT_ID }),
      ...(env.DUET_PROD_ACCOUNT_ID && { prod: env.DUET_PROD_ACCOUNT_ID }),
    },
    ...(env.DUET_GITHUB_OIDC_PROVIDER_ARN && { githubOidcProviderArn: env.DUET_GITHUB_OIDC_PROVIDER_ARN }),
    prodOrigins: list(env.DUET_PROD_ORIGINS),
    devOrigins: list(env.DUET_DEV_ORIGINS),
    auth: Object.fromEntries(STAGES.map((stage) => [stage, stageAuthSettings(env, stage)]).filter(([, auth]) => Object.keys(auth!).length > 0)),
    devApiCidrs: list(env.DUET_DEV_API_CIDRS).map((cidr) => apiCidr('DUET_DEV_API_CIDRS', cidr)),
    clusterAdminArns: Object.fromEntries(
      STAGES.map((stage) => {
        const key = `DUET_${stage.toUpperCase()}_CLUSTER_ADMIN_ARNS`;
        return [stage, list(env[key]).map((arn) => principalArn(key, arn))];
      }).filter(([, arns]) => arns!.length > 0),
    ),
  };
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** An IPv4 CIDR no wider than a /16: an office or VPN range, never the whole internet. */
function apiCidr(key: string, cidr: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const valid = match && match.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(match[5]) <= 32;
  if (!valid) throw new SettingsError(`${key}: ${cidr} is not an IPv4 CIDR`);
  if (Number(match[5]) < 16) throw new SettingsError(`${key}: ${cidr} is wider than a /16; name the operators' own ranges`);
  return cidr;
}

/** An IAM role or user that an EKS access entry can name. */
function principalArn(key: string, arn: string): string {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]+$/.test(arn)) throw new SettingsError(`${key}: ${arn} is not an IAM role or user ARN`);
  return arn;
}

/**
 * `DUET_<STAGE>_AUTH_ISSUER` and `…_AUDIENCE` (both or neither, optional `…_JWKS_URL`) choose an
 * external issuer; otherwise `…_CALLBACK_URLS`, `…_LOGOUT_URLS` and `…_DOMAIN_PREFIX` shape the
 * Cognito user pool cdktf creates. Fails fast, naming the variable, on anything half-set or not https.
 */
function stageAuthSettings(env: Record<string, string | undefined>, stage: Stage): StageAuthSettings {
  const prefix = `DUET_${stage.toUpperCase()}_AUTH_`;
  const value = (key: string) => env[prefix + key]?.trim() || undefined;
  const urls = (key: string) => value(key)?.split(',').map((url) => url.trim()).filter(Boolean);
  const https = (key: string, url: string | undefined) => {
    if (url !== undefined && !(URL.canParse(url) && new URL(url).protocol === 'https:')) throw new SettingsError(`${prefix}${key} must be an https URL, got ${url}`);
    return url;
  };
  const issuer = https('ISSUER', value('ISSUER'));
  const audience = value('AUDIENCE');
  const jwksUrl = https('JWKS_URL', value('JWKS_URL'));
  if (Boolean(issuer) !== Boolean(audience)) throw new SettingsError(`${prefix}ISSUER and ${prefix}AUDIENCE are set together or not at all`);
  if (jwksUrl && !issuer) throw new SettingsError(`${prefix}JWKS_URL needs ${prefix}ISSUER and ${prefix}AUDIENCE`);
  const redirect = (key: string) => {
    const list = urls(key);
    for (const url of list ?? []) {
      const parsed = URL.canParse(url) ? new URL(url) : undefined;
      const allowed = parsed && !parsed.hash && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && parsed.hostname === 'localhost'));
      if (!allowed) throw new SettingsError(`${prefix}${key}: ${url} is not an https URL (or http://localhost) without a fragment, as Cognito requires`);
    }
    return list;
  };
  const callbackUrls = redirect('CALLBACK_URLS');
  const logoutUrls = redirect('LOGOUT_URLS');
  const domainPrefix = value('DOMAIN_PREFIX');
  if (domainPrefix && (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix))) {
    throw new SettingsError(`${prefix}DOMAIN_PREFIX must be lowercase letters, digits and inner hyphens, without aws, amazon or cognito`);
  }
  return {
    ...(issuer && audience && { external: { issuer, audience, ...(jwksUrl && { jwksUrl }) } }),
    ...(callbackUrls && { callbackUrls }),
    ...(logoutUrls && { logoutUrls }),
    ...(domainPrefix && { domainPrefix }),
  };
}

/** The stage's issuer: the external one when given, else Cognito with the deployer's URLs or the stage's defaults. */
function authFor(settings: StageAuthSettings | undefined, defaults: { callbackUrls: string[]; logoutUrls: string[] }): AuthSettings {
  if (settings?.external) return { kind: 'external', ...settings.external };
  return {
    kind: 'cognito',
    callbackUrls: settings?.callbackUrls ?? defaults.callbackUrls,
    logoutUrls: settings?.logoutUrls ?? defaults.logoutUrls,
    ...(settings?.domainPrefix && { domainPrefix: settings.domainPrefix }),
  };
}

/** The web UI's sign-in and sign-out URLs at each origin that serves it: the origin's root, https only. */
export function uiRedirects(origins: string[]): { callbackUrls: string[]; logoutUrls: string[] } {
  const urls = origins.filter((origin) => origin.startsWith('https://')).map((origin) => `${origin.replace(/\/$/, '')}/`);
  return { callbackUrls: urls, logoutUrls: urls };
}

/** Node groups per stage; they need no settings, so the compare tool prices prod's without any. */
export const NODE_GROUPS: Record<Stage, NodeGroupOptions> = {
  dev: { instanceTypes: ['t4g.medium'], minSize: 1, maxSize: 3, desiredSize: 2 },
  prod: { instanceTypes: ['m7g.large', 'm6g.large'], minSize: 3, maxSize: 9, desiredSize: 3 },
};

export function environments(settings: ProgramSettings): EnvironmentConfig[] {
  const common = { region: settings.region, kubernetesVersion: '1.33' };
  return [
    {
      ...common,
      stage: 'dev',
      ...(settings.accountIds.dev && { accountId: settings.accountIds.dev }),
      vpcCidr: '10.20.0.0/16',
      natGateways: 'single',
      nodeGroup: NODE_GROUPS.dev,
      apiAccess: { jumpHost: true, publicCidrs: settings.devApiCidrs },
      clusterAdminArns: settings.clusterAdminArns.dev ?? [],
      deletionProtection: false,
      corsAllowedOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000', ...settings.devOrigins],
      noncurrentVersionDays: 7,
      logRetentionDays: 14,
      keepImages: 30,
      // The web UI run locally against dev (http://localhost only: Cognito refuses other plain-http hosts)
      // signs in through the hosted UI; the UI's redirect and sign-out URL is its own origin's root.
      auth: authFor(settings.auth.dev, {
        callbackUrls: ['http://localhost:3000/', ...uiRedirects(settings.devOrigins).callbackUrls],
        logoutUrls: ['http://localhost:3000/', ...uiRedirects(settings.devOrigins).logoutUrls],
      }),
    },
    {
      ...common,
      stage: 'prod',
      ...(settings.accountIds.prod && { accountId: settings.accountIds.prod }),
      vpcCidr: '10.30.0.0/16',
      natGateways: 'per-az',
      nodeGroup: NODE_GROUPS.prod,
      apiAccess: { jumpHost: true, publicCidrs: [] },
      clusterAdminArns: settings.clusterAdminArns.prod ?? [],
      deletionProtection: true,
      corsAllowedOrigins: settings.prodOrigins,
      noncurrentVersionDays: 30,
      logRetentionDays: 90,
      keepImages: 100,
      // The web UI is served at each of prod's https origins and redirects to its root; with none named,
      // the hosted UI issues no tokens.
      auth: authFor(settings.auth.prod, uiRedirects(settings.prodOrigins)),
    },
  ];
}
