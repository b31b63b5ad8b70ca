import { describe, expect, it } from 'vitest';
import { GSI1, TTL_ATTRIBUTE } from '../../core/adapters/dynamo-table.js';
import { SCOPES } from '../../core/domain/scopes.js';
import { loadSettings, SettingsError } from '../../cdktf/environments.js';
import { SSM_KEYS, type Stage } from '../../cdktf/names.js';
import {
  allStatements, byPath, condition, findResource, makeSettings, parse, ref, resourcesOf, roleNamed, scrub, statementsOf, synthStacks,
  type Body, type Synth,
} from './cdktf-support.js';

const json = synthStacks();
const stacks: Record<Stage, Synth> = { dev: parse(json.dev), prod: parse(json.prod) };
const STAGES: Stage[] = ['dev', 'prod'];

describe('synth snapshot', () => {
  it.each(STAGES)('%s matches the reviewed snapshot (hashes scrubbed)', async (stage) => {
    await expect(scrub(JSON.stringify(JSON.parse(json[stage]), null, 2)) + '\n').toMatchFileSnapshot(`./__snapshots__/duet-${stage}.tf.json`);
  });
});

describe.each(STAGES)('%s: task data', (stage) => {
  const synth = stacks[stage];
  const [, table] = byPath(synth, 'aws_dynamodb_table', 'task-data/table');

  it('is the on-demand single table of docs/design.md with its one GSI', () => {
    expect(table).toMatchObject({ name: `duet-${stage}`, billing_mode: 'PAY_PER_REQUEST', hash_key: 'pk', range_key: 'sk' });
    expect(table.global_secondary_index).toEqual([{ name: GSI1, hash_key: 'gsi1pk', range_key: 'gsi1sk', projection_type: 'ALL' }]);
  });

  it('expires idempotency records through TTL on expiresAt', () => {
    expect(table.ttl).toEqual({ attribute_name: TTL_ATTRIBUTE, enabled: true });
  });

  it('has point-in-time recovery and server-side encryption on', () => {
    expect(table.point_in_time_recovery).toEqual({ enabled: true });
    expect(table.server_side_encryption).toEqual({ enabled: true });
  });

  it(`has deletion protection ${stage === 'prod' ? 'on' : 'off'}`, () => {
    expect(table.deletion_protection_enabled).toBe(stage === 'prod');
  });

  const buckets = resourcesOf(synth, 'aws_s3_bucket');
  const attached = (type: string, bucketId: string) =>
    resourcesOf(synth, type).filter(([, body]) => body.bucket === ref('aws_s3_bucket', bucketId, 'id')).map(([, body]) => body);

  it('has two buckets, attachments and deployments, none force-destroyable', () => {
    expect(buckets.map(([, body]) => body.bucket).sort()).toEqual([
      `duet-${stage}-attachments-\${data.aws_caller_identity.account.account_id}`,
      `duet-${stage}-deployments-\${data.aws_caller_identity.account.account_id}`,
    ]);
    for (const [, body] of buckets) expect(body.force_destroy).toBe(false);
  });

  describe.each(buckets.map(([id, body]) => [body.bucket as string, id]))('bucket %s', (_name, id) => {
    it('blocks every kind of public access', () => {
      expect(attached('aws_s3_bucket_public_access_block', id)).toEqual([
        expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
      ]);
    });

    it('disables ACLs (bucket owner enforced)', () => {
      expect(attached('aws_s3_bucket_ownership_controls', id)).toEqual([expect.objectContaining({ rule: { object_ownership: 'BucketOwnerEnforced' } })]);
    });

    it('encrypts objects at rest by default', () => {
      const [encryption] = attached('aws_s3_bucket_server_side_encryption_configuration', id);
      expect(encryption?.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: expect.stringMatching(/^(AES256|aws:kms)$/) } }]);
    });

    it('keeps versions and expires old versions and abandoned multipart uploads', () => {
      expect(attached('aws_s3_bucket_versioning', id)).toEqual([expect.objectContaining({ versioning_configuration: { status: 'Enabled' } })]);
      const rules = attached('aws_s3_bucket_lifecycle_configuration', id)[0]?.rule ?? [];
      expect(rules.some((rule: { status: string; noncurrent_version_expiration?: { noncurrent_days: number }[] }) =>
        rule.status === 'Enabled' && rule.noncurrent_version_expiration?.[0]?.noncurrent_days)).toBe(true);
      expect(rules.some((rule: { status: string; abort_incomplete_multipart_upload?: { days_after_initiation: number }[] }) =>
        rule.status === 'Enabled' && rule.abort_incomplete_multipart_upload?.[0]?.days_after_initiation)).toBe(true);
    });

    it('denies every request that does not use TLS', () => {
      const [policy] = attached('aws_s3_bucket_policy', id);
      expect(statementsOf(synth, policy?.policy)).toContainEqual(expect.objectContaining({
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [ref('aws_s3_bucket', id, 'arn'), `${ref('aws_s3_bucket', id, 'arn')}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }));
    });
  });

  it('lets browsers PUT and GET attachments through presigned URLs from the configured origins only', () => {
    const [attachmentsId] = byPath(synth, 'aws_s3_bucket', 'task-data/attachments/bucket');
    const [cors] = attached('aws_s3_bucket_cors_configuration', attachmentsId);
    expect(cors?.cors_rule).toEqual([expect.objectContaining({
      allowed_methods: expect.arrayContaining(['PUT', 'GET']),
      allowed_origins: stage === 'prod' ? ['https://duet.example.com'] : ['http://localhost:3000', 'http://127.0.0.1:3000'],
    })]);
    expect(cors?.cors_rule[0].allowed_origins).not.toContain('*');
  });
});

describe('prod without browser origins', () => {
  it('declares no CORS rule rather than an empty or open one', () => {
    const synth = parse(synthStacks(makeSettings({ prodOrigins: [] })).prod);
    expect(resourcesOf(synth, 'aws_s3_bucket_cors_configuration')).toEqual([]);
  });
});

describe.each(STAGES)('%s: Lambda platform', (stage) => {
  const synth = stacks[stage];

  it('publishes the SSM parameters serverless.yml reads: table and bucket names and ARNs, token issuer and audience', () => {
    const [tableId] = byPath(synth, 'aws_dynamodb_table', 'task-data/table');
    const [bucketId] = byPath(synth, 'aws_s3_bucket', 'task-data/attachments/bucket');
    const [deployId] = byPath(synth, 'aws_s3_bucket', 'lambda-platform/deployments/bucket');
    const [poolId] = byPath(synth, 'aws_cognito_user_pool', 'auth/pool');
    const [clientId] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
    const [codeDeployId] = byPath(synth, 'aws_iam_role', 'lambda-platform/codedeploy-role');
    const parameters = Object.fromEntries(resourcesOf(synth, 'aws_ssm_parameter').map(([, body]) => [body.name, [body.type, body.value]]));
    expect(parameters).toEqual({
      [`/duet/${stage}/table-name`]: ['String', ref('aws_dynamodb_table', tableId, 'name')],
      [`/duet/${stage}/table-arn`]: ['String', ref('aws_dynamodb_table', tableId, 'arn')],
      [`/duet/${stage}/bucket-name`]: ['String', ref('aws_s3_bucket', bucketId, 'bucket')],
      [`/duet/${stage}/bucket-arn`]: ['String', ref('aws_s3_bucket', bucketId, 'arn')],
      [`/duet/${stage}/deployment-bucket-name`]: ['String', ref('aws_s3_bucket', deployId, 'bucket')],
      [`/duet/${stage}/auth-issuer`]: ['String', `https://${ref('aws_cognito_user_pool', poolId, 'endpoint')}`],
      [`/duet/${stage}/auth-audience`]: ['String', ref('aws_cognito_user_pool_client', clientId, 'id')],
      [`/duet/${stage}/auth-login-url`]: ['String', synth.output.auth_hosted_ui_url!.value],
      [`/duet/${stage}/codedeploy-role-arn`]: ['String', ref('aws_iam_role', codeDeployId, 'arn')],
    });
  });

  it('declares nothing serverless.yml owns (functions, HTTP API, their roles and log groups)', () => {
    const types = Object.keys(synth.resource);
    expect(types.filter((type) => /^aws_(lambda|apigateway|apigatewayv2)_/.test(type))).toEqual([]);
    expect(resourcesOf(synth, 'aws_cloudwatch_log_group').map(([, body]) => body.name)).not.toContainEqual(expect.stringMatching(/^\/aws\/lambda\//));
    expect(resourcesOf(synth, 'aws_iam_role').map(([, body]) => body.name)).not.toContainEqual(expect.stringMatching(/lambdaRole$/));
  });
});

describe.each(STAGES)('%s: token issuer (Cognito)', (stage) => {
  const synth = stacks[stage];
  const [poolId, pool] = byPath(synth, 'aws_cognito_user_pool', 'auth/pool');
  const [, client] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
  const [, resourceServer] = byPath(synth, 'aws_cognito_resource_server', 'auth/resource-server');
  const [domainId, domain] = byPath(synth, 'aws_cognito_user_pool_domain', 'auth/domain');
  const [clientId] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
  const issuer = `https://${ref('aws_cognito_user_pool', poolId, 'endpoint')}`;

  it('is one user pool, one resource server, one domain and one app client', () => {
    expect(Object.keys(synth.resource).filter((type) => type.startsWith('aws_cognito_')).map((type) => [type, resourcesOf(synth, type).length]).sort()).toEqual([
      ['aws_cognito_resource_server', 1], ['aws_cognito_user_pool', 1], ['aws_cognito_user_pool_client', 1], ['aws_cognito_user_pool_domain', 1],
    ]);
  });

  it(`has deletion protection ${stage === 'prod' ? 'on' : 'off'}`, () => {
    expect(pool.deletion_protection).toBe(stage === 'prod' ? 'ACTIVE' : 'INACTIVE');
  });

  it('signs people in by email, with accounts an administrator creates (no self sign-up)', () => {
    expect(pool).toMatchObject({ name: `duet-${stage}`, username_attributes: ['email'], auto_verified_attributes: ['email'], username_configuration: { case_sensitive: false } });
    expect(pool.admin_create_user_config).toEqual({ allow_admin_create_user_only: true });
    expect(pool.account_recovery_setting.recovery_mechanism).toEqual([{ name: 'verified_email', priority: 1 }]);
    expect(pool.user_attribute_update_settings).toEqual({ attributes_require_verification_before_update: ['email'] });
  });

  it('demands strong passwords and offers MFA with an authenticator app (TOTP), never SMS', () => {
    expect(pool.password_policy).toMatchObject({ require_lowercase: true, require_uppercase: true, require_numbers: true, require_symbols: true });
    expect(pool.password_policy.minimum_length).toBeGreaterThanOrEqual(12);
    expect(pool.password_policy.temporary_password_validity_days).toBeLessThanOrEqual(7);
    expect(pool.mfa_configuration).toBe('OPTIONAL');
    expect(pool.software_token_mfa_configuration).toEqual({ enabled: true });
    expect(pool.sms_configuration).toBeUndefined();
  });

  it('defines the resource server duet with exactly the scopes the routes check', () => {
    expect(resourceServer.user_pool_id).toBe(ref('aws_cognito_user_pool', poolId, 'id'));
    const scopes = resourceServer.scope.map((scope: { scope_name: string }) => `${resourceServer.identifier}/${scope.scope_name}`);
    expect(scopes.sort()).toEqual(Object.values(SCOPES).sort());
  });

  it('has a public app client: no secret, no password or SRP sign-in API, and user-existence errors hidden', () => {
    expect(client.user_pool_id).toBe(ref('aws_cognito_user_pool', poolId, 'id'));
    expect(client.generate_secret).toBe(false);
    expect(client.explicit_auth_flows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.prevent_user_existence_errors).toBe('ENABLED');
    expect(client.supported_identity_providers).toEqual(['COGNITO']);
  });

  it('issues tokens only through the hosted UI\'s authorization code flow, for openid and the duet scopes', () => {
    expect(client.allowed_oauth_flows_user_pool_client).toBe(true);
    expect(client.allowed_oauth_flows).toEqual(['code']);
    expect([...client.allowed_oauth_scopes].sort()).toEqual(['openid', ...Object.values(SCOPES)].sort());
    expect(client.depends_on).toContain(`aws_cognito_resource_server.${byPath(synth, 'aws_cognito_resource_server', 'auth/resource-server')[0]}`);
  });

  it('redirects only to the configured URLs: https, or localhost in dev', () => {
    const expected = stage === 'prod'
      ? { callback_urls: ['https://duet.example.com/callback'], logout_urls: ['https://duet.example.com/'] }
      : { callback_urls: ['http://localhost:3000/'], logout_urls: ['http://localhost:3000/'] };
    expect(client).toMatchObject(expected);
    for (const url of [...client.callback_urls, ...client.logout_urls]) expect(url).toMatch(/^(https:\/\/|http:\/\/localhost[:/])/);
  });

  it('keeps access tokens for an hour and revocable refresh tokens for 30 days', () => {
    expect(client).toMatchObject({ access_token_validity: 1, id_token_validity: 1, refresh_token_validity: 30, enable_token_revocation: true });
    expect(client.token_validity_units).toEqual([{ access_token: 'hours', id_token: 'hours', refresh_token: 'days' }]);
  });

  it('serves the classic hosted UI on a prefix named after the stage and account', () => {
    expect(domain).toEqual({ user_pool_id: ref('aws_cognito_user_pool', poolId, 'id'), domain: `duet-${stage}-\${data.aws_caller_identity.account.account_id}`, managed_login_version: 1 });
    expect(synth.output.auth_hosted_ui_url!.value).toBe(`https://${ref('aws_cognito_user_pool_domain', domainId, 'domain')}.auth.us-east-1.amazoncognito.com`);
    // The web UI's browser signs in there: the app's AUTH_LOGIN_URL, so the page's CSP may connect to it.
    expect(synth.output.auth_login_url!.value).toBe(synth.output.auth_hosted_ui_url!.value);
  });

  it('tells the chart the pool\'s issuer, the client as audience and the pool\'s JWKS URL', () => {
    expect(synth.output.auth_issuer!.value).toBe(issuer);
    expect(synth.output.auth_audience!.value).toBe(ref('aws_cognito_user_pool_client', clientId, 'id'));
    expect(synth.output.auth_jwks_url!.value).toBe(`${issuer}/.well-known/jwks.json`);
    expect(synth.output.auth_user_pool_id!.value).toBe(ref('aws_cognito_user_pool', poolId, 'id'));
  });
});

describe('dev with the origins of its deployed UI', () => {
  it('lets the UI served by the deployed dev API sign in and upload, beside localhost', () => {
    const synth = parse(synthStacks(makeSettings({ auth: {}, devOrigins: ['https://duet-dev.example.com'] })).dev);
    const [, client] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
    const [, cors] = resourcesOf(synth, 'aws_s3_bucket_cors_configuration')[0]!;
    expect(client.callback_urls).toEqual(['http://localhost:3000/', 'https://duet-dev.example.com/']);
    expect(client.logout_urls).toEqual(client.callback_urls);
    expect(cors.cors_rule[0].allowed_origins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000', 'https://duet-dev.example.com']);
  });
});

describe('prod without callback URLs', () => {
  it("sends the web UI back to the root of each of prod's https origins, which serve it", () => {
    const synth = parse(synthStacks(makeSettings({ auth: {}, prodOrigins: ['https://tasks.example.com', 'https://duet.example.org', 'http://localhost:5173'] })).prod);
    const [, client] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
    const [, cors] = resourcesOf(synth, 'aws_s3_bucket_cors_configuration')[0]!;
    expect(client.callback_urls).toEqual(['https://tasks.example.com/', 'https://duet.example.org/']);
    expect(client.logout_urls).toEqual(client.callback_urls);
    expect(client.allowed_oauth_flows).toEqual(['code']);
    // The browser uploads to the bucket from those origins: its CORS rule names them, and no other.
    expect(cors.cors_rule[0].allowed_origins).toEqual(['https://tasks.example.com', 'https://duet.example.org', 'http://localhost:5173']);
    expect(cors.cors_rule[0].allowed_methods).toEqual(['GET', 'PUT', 'HEAD']);
  });

  it('lets the app client issue no tokens rather than redirect anywhere', () => {
    const synth = parse(synthStacks(makeSettings({ auth: {}, prodOrigins: [] })).prod);
    const [, client] = byPath(synth, 'aws_cognito_user_pool_client', 'auth/client');
    for (const key of ['allowed_oauth_flows', 'allowed_oauth_flows_user_pool_client', 'allowed_oauth_scopes', 'callback_urls', 'logout_urls']) {
      expect(client, key).not.toHaveProperty(key);
    }
    expect(client.explicit_auth_flows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });
});

describe.each(STAGES)('%s: an external token issuer', (stage) => {
  const external = { issuer: `https://login.example.com/${stage}/`, audience: `https://api.example.com/${stage}` };
  const synth = parse(synthStacks(makeSettings({ auth: { [stage]: { external } } }))[stage]);
  const parameters = Object.fromEntries(resourcesOf(synth, 'aws_ssm_parameter').map(([, body]) => [body.name, body.value]));

  it('creates no Cognito resource', () => {
    expect(Object.keys(synth.resource).filter((type) => type.startsWith('aws_cognito_'))).toEqual([]);
    expect(synth.output).not.toHaveProperty('auth_hosted_ui_url');
    expect(synth.output).not.toHaveProperty('auth_user_pool_id');
  });

  it('publishes its issuer and audience unchanged, for serverless.yml and the chart', () => {
    expect(parameters[`/duet/${stage}/auth-issuer`]).toBe(external.issuer);
    expect(parameters[`/duet/${stage}/auth-audience`]).toBe(external.audience);
    expect(parameters[`/duet/${stage}/auth-login-url`]).toBe(external.issuer);
    expect(synth.output.auth_issuer!.value).toBe(external.issuer);
    expect(synth.output.auth_audience!.value).toBe(external.audience);
  });

  it('points at <issuer>/.well-known/jwks.json unless given a JWKS URL, as the app does', () => {
    expect(synth.output.auth_jwks_url!.value).toBe(`https://login.example.com/${stage}/.well-known/jwks.json`);
    const jwksUrl = 'https://login.example.com/keys';
    const other = parse(synthStacks(makeSettings({ auth: { [stage]: { external: { ...external, jwksUrl } } } }))[stage]);
    expect(other.output.auth_jwks_url!.value).toBe(jwksUrl);
  });

  it('leaves the other stage on its own Cognito pool', () => {
    const otherStage = STAGES.find((candidate) => candidate !== stage)!;
    const other = parse(synthStacks(makeSettings({ auth: { [stage]: { external } } }))[otherStage]);
    expect(resourcesOf(other, 'aws_cognito_user_pool')).toHaveLength(1);
  });
});

/** loadSettings with the one variable every deploy must set, plus `vars`. */
const settingsFrom = (vars: Record<string, string>) => loadSettings({ DUET_GITHUB_REPOSITORY: 'duet-org/duet', ...vars });

describe('program settings', () => {
  it('refuse to run without DUET_GITHUB_REPOSITORY rather than trust a guessed repository', () => {
    expect(() => loadSettings({})).toThrow(/DUET_GITHUB_REPOSITORY must name the GitHub repository/);
    expect(() => loadSettings({ DUET_GITHUB_REPOSITORY: 'duet' })).toThrow(/owner\/name/);
    expect(loadSettings({ DUET_GITHUB_REPOSITORY: 'acme/duet' }).repository).toBe('acme/duet');
  });

  it('open dev\'s API endpoint only to the named CIDRs, and never prod\'s', () => {
    expect(settingsFrom({ DUET_DEV_API_CIDRS: '203.0.113.0/24, 198.51.100.7/32' }).devApiCidrs).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(() => settingsFrom({ DUET_DEV_API_CIDRS: '0.0.0.0/0' })).toThrow(/wider than a \/16/);
    expect(() => settingsFrom({ DUET_DEV_API_CIDRS: '203.0.113.0' })).toThrow(/not an IPv4 CIDR/);
    expect(() => settingsFrom({ DUET_PROD_API_CIDRS: '203.0.113.0/24' })).toThrow(/prod API endpoint stays private/);
  });

  it('name the team\'s cluster admins per stage, as IAM role or user ARNs', () => {
    const settings = settingsFrom({ DUET_PROD_CLUSTER_ADMIN_ARNS: 'arn:aws:iam::123456789012:role/platform-admins' });
    expect(settings.clusterAdminArns).toEqual({ prod: ['arn:aws:iam::123456789012:role/platform-admins'] });
    expect(() => settingsFrom({ DUET_DEV_CLUSTER_ADMIN_ARNS: 'platform-admins' })).toThrow(/DUET_DEV_CLUSTER_ADMIN_ARNS: platform-admins is not an IAM role or user ARN/);
  });

  it('take a role for state kept in another account', () => {
    expect(settingsFrom({ DUET_STATE_ROLE_ARN: 'arn:aws:iam::210987654321:role/duet-state' }).stateRoleArn).toBe('arn:aws:iam::210987654321:role/duet-state');
    expect(() => settingsFrom({ DUET_STATE_ROLE_ARN: 'duet-state' })).toThrow(/DUET_STATE_ROLE_ARN/);
  });
});

describe('auth settings (DUET_<STAGE>_AUTH_*)', () => {
  it('choose an external issuer per stage', () => {
    const settings = settingsFrom({ DUET_PROD_AUTH_ISSUER: 'https://login.example.com/', DUET_PROD_AUTH_AUDIENCE: 'duet', DUET_PROD_AUTH_JWKS_URL: 'https://login.example.com/keys' });
    expect(settings.auth).toEqual({ prod: { external: { issuer: 'https://login.example.com/', audience: 'duet', jwksUrl: 'https://login.example.com/keys' } } });
  });

  it('shape the Cognito client\'s redirects and hosted UI prefix', () => {
    const settings = settingsFrom({ DUET_DEV_AUTH_CALLBACK_URLS: 'https://a.example.com/cb, http://localhost:5173/cb', DUET_DEV_AUTH_DOMAIN_PREFIX: 'duet-dev-team' });
    expect(settings.auth).toEqual({ dev: { callbackUrls: ['https://a.example.com/cb', 'http://localhost:5173/cb'], domainPrefix: 'duet-dev-team' } });
  });

  it.each([
    ['an issuer without an audience', { DUET_DEV_AUTH_ISSUER: 'https://login.example.com/' }, /DUET_DEV_AUTH_ISSUER and DUET_DEV_AUTH_AUDIENCE/],
    ['an audience without an issuer', { DUET_PROD_AUTH_AUDIENCE: 'duet' }, /DUET_PROD_AUTH_ISSUER and DUET_PROD_AUTH_AUDIENCE/],
    ['an issuer over plain http', { DUET_DEV_AUTH_ISSUER: 'http://login.example.com', DUET_DEV_AUTH_AUDIENCE: 'duet' }, /DUET_DEV_AUTH_ISSUER must be an https URL/],
    ['a JWKS URL without an issuer', { DUET_DEV_AUTH_JWKS_URL: 'https://login.example.com/keys' }, /DUET_DEV_AUTH_JWKS_URL needs/],
    ['a callback over plain http to another host', { DUET_PROD_AUTH_CALLBACK_URLS: 'http://app.example.com/cb' }, /DUET_PROD_AUTH_CALLBACK_URLS/],
    ['a logout URL with a fragment', { DUET_PROD_AUTH_LOGOUT_URLS: 'https://app.example.com/#out' }, /DUET_PROD_AUTH_LOGOUT_URLS/],
    ['a domain prefix Cognito refuses', { DUET_DEV_AUTH_DOMAIN_PREFIX: 'duet-aws' }, /DUET_DEV_AUTH_DOMAIN_PREFIX/],
  ])('refuse %s, naming the variable', (_, env, message) => {
    expect(() => settingsFrom(env)).toThrow(SettingsError);
    expect(() => settingsFrom(env)).toThrow(message);
  });
});

describe('dev with DUET_DEV_API_CIDRS', () => {
  it('opens the public API endpoint to those CIDRs, and only those', () => {
    const open = parse(synthStacks(makeSettings({ devApiCidrs: ['203.0.113.0/24'] })).dev);
    const [, cluster] = byPath(open, 'aws_eks_cluster', 'eks-platform/cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });
});

describe.each(STAGES)('%s: EKS platform', (stage) => {
  const synth = stacks[stage];
  const subnets = resourcesOf(synth, 'aws_subnet').map(([id, body]): Body => ({ ...body, id }));
  const publicSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
  const privateSubnets = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
  const [, cluster] = byPath(synth, 'aws_eks_cluster', 'eks-platform/cluster');
  const [, nodes] = byPath(synth, 'aws_eks_node_group', 'eks-platform/nodes');

  it('spreads public and private subnets over 3 availability zones', () => {
    expect(new Set(publicSubnets.map((s) => s.availability_zone)).size).toBe(3);
    expect(new Set(privateSubnets.map((s) => s.availability_zone)).size).toBe(3);
    expect(subnets).toHaveLength(6);
    for (const subnet of publicSubnets) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it(`routes private egress through ${stage === 'prod' ? 'one NAT gateway per AZ' : 'one NAT gateway'}`, () => {
    const nats = resourcesOf(synth, 'aws_nat_gateway');
    expect(nats).toHaveLength(stage === 'prod' ? 3 : 1);
    const natSubnets = nats.map(([, body]) => body.subnet_id);
    for (const subnetRef of natSubnets) expect(publicSubnets.map((s) => ref('aws_subnet', s.id, 'id'))).toContain(subnetRef);
    const natRoutes = resourcesOf(synth, 'aws_route_table').flatMap(([, body]) => body.route).filter((route) => route.nat_gateway_id);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((route) => route.nat_gateway_id)).size).toBe(stage === 'prod' ? 3 : 1);
  });

  it('runs the cluster in the private subnets with a private API endpoint only', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.subnet_ids.sort()).toEqual(privateSubnets.map((s) => ref('aws_subnet', s.id, 'id')).sort());
  });

  it('ships every control-plane log type to a log group with retention', () => {
    expect([...cluster.enabled_cluster_log_types].sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const [, logs] = byPath(synth, 'aws_cloudwatch_log_group', 'eks-platform/control-plane-logs');
    expect(logs).toMatchObject({ name: `/aws/eks/duet-${stage}/cluster`, retention_in_days: expect.any(Number) });
  });

  it('encrypts Kubernetes secrets with a rotating KMS key', () => {
    const [keyId, key] = byPath(synth, 'aws_kms_key', 'eks-platform/secrets-key');
    expect(key.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ provider: { key_arn: ref('aws_kms_key', keyId, 'arn') }, resources: ['secrets'] });
  });

  it('runs a Graviton managed node group in the private subnets with per-environment bounds', () => {
    expect(nodes.ami_type).toMatch(/ARM_64/);
    for (const type of nodes.instance_types) expect(type).toMatch(/^[a-z]+\d+g[a-z]*\./);
    expect(nodes.scaling_config).toEqual(stage === 'prod' ? { min_size: 3, max_size: 9, desired_size: 3 } : { min_size: 1, max_size: 3, desired_size: 2 });
    expect(nodes.subnet_ids.sort()).toEqual(privateSubnets.map((s) => ref('aws_subnet', s.id, 'id')).sort());
  });

  it('lets Terraform own the node count: no cluster autoscaler runs to take it over', () => {
    expect(nodes.lifecycle?.ignore_changes ?? []).toEqual([]);
  });

  it('reaches the private API through a jump host with no inbound port, forwarded by SSM Session Manager', () => {
    const [, instance] = byPath(synth, 'aws_instance', 'eks-platform/api-jump-host/instance');
    const [groupId, group] = byPath(synth, 'aws_security_group', 'eks-platform/api-jump-host/security-group');
    const [, toApi] = byPath(synth, 'aws_vpc_security_group_ingress_rule', 'eks-platform/api-jump-host/to-api');
    const [clusterId] = byPath(synth, 'aws_eks_cluster', 'eks-platform/cluster');
    expect(privateSubnets.map((s) => ref('aws_subnet', s.id, 'id'))).toContain(instance.subnet_id);
    expect(instance).toMatchObject({ associate_public_ip_address: false, metadata_options: { http_tokens: 'required' }, root_block_device: { encrypted: true } });
    expect(group.ingress ?? []).toEqual([]);
    expect(group.egress).toEqual([expect.objectContaining({ protocol: 'tcp', from_port: 443, to_port: 443 })]);
    expect(toApi).toMatchObject({
      security_group_id: `\${aws_eks_cluster.${clusterId}.vpc_config[0].cluster_security_group_id}`,
      referenced_security_group_id: ref('aws_security_group', groupId, 'id'),
      from_port: 443,
      to_port: 443,
    });
    expect(synth.output.api_jump_host_id!.value).toBe(`\${aws_instance.${byPath(synth, 'aws_instance', 'eks-platform/api-jump-host/instance')[0]}.id}`);
  });

  it('gives the team\'s admins cluster-admin through access entries, beside the identity that ran cdktf', () => {
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true });
    expect(resourcesOf(synth, 'aws_eks_access_entry')).toEqual([]);
    const admin = 'arn:aws:iam::123456789012:role/platform-admins';
    const withTeam = parse(synthStacks(makeSettings({ clusterAdminArns: { [stage]: [admin] } }))[stage]);
    const [entryId, entry] = byPath(withTeam, 'aws_eks_access_entry', 'eks-platform/admin-0');
    expect(entry).toMatchObject({ principal_arn: admin, type: 'STANDARD' });
    const [, association] = byPath(withTeam, 'aws_eks_access_policy_association', 'eks-platform/admin-0-policy');
    expect(association).toMatchObject({
      principal_arn: ref('aws_eks_access_entry', entryId, 'principal_arn'),
      policy_arn: 'arn:${data.aws_partition.partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  it('tells the chart the public subnets\' CIDRs, where the ALB reaches pods from', () => {
    expect(synth.output.load_balancer_subnet_cidrs!.value).toEqual(publicSubnets.map((s) => s.cidr_block));
    const vpc = resourcesOf(synth, 'aws_vpc')[0]![1].cidr_block as string;
    for (const cidr of synth.output.load_balancer_subnet_cidrs!.value) expect(cidr.startsWith(vpc.split('.').slice(0, 2).join('.') + '.')).toBe(true);
  });

  it('registers the cluster issuer as an OIDC provider for STS', () => {
    const [clusterId] = byPath(synth, 'aws_eks_cluster', 'eks-platform/cluster');
    const [, oidc] = byPath(synth, 'aws_iam_openid_connect_provider', 'eks-platform/oidc');
    expect(oidc).toMatchObject({ url: `\${aws_eks_cluster.${clusterId}.identity[0].oidc[0].issuer}`, client_id_list: ['sts.amazonaws.com'] });
  });

  it.each([
    [`duet-${stage}-app`, 'system:serviceaccount:duet:duet'],
    [`duet-${stage}-aws-load-balancer-controller`, 'system:serviceaccount:kube-system:aws-load-balancer-controller'],
  ])('lets only its ServiceAccount assume %s (%s)', (roleName, subject) => {
    const [oidcId] = byPath(synth, 'aws_iam_openid_connect_provider', 'eks-platform/oidc');
    const { trust } = roleNamed(synth, roleName);
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRoleWithWebIdentity'] });
    expect(trust[0]!.principals).toEqual([{ type: 'Federated', identifiers: [ref('aws_iam_openid_connect_provider', oidcId, 'arn')] }]);
    expect(condition(trust[0]!, ':sub')).toEqual([{ test: 'StringEquals', variable: expect.stringMatching(/:sub$/), values: [subject] }]);
    expect(condition(trust[0]!, ':aud')).toEqual([{ test: 'StringEquals', variable: expect.stringMatching(/:aud$/), values: ['sts.amazonaws.com'] }]);
  });

  it('gives the app role exactly the table, index and bucket actions the app uses', () => {
    const [tableId] = byPath(synth, 'aws_dynamodb_table', 'task-data/table');
    const [bucketId] = byPath(synth, 'aws_s3_bucket', 'task-data/attachments/bucket');
    const table = ref('aws_dynamodb_table', tableId, 'arn');
    const bucket = ref('aws_s3_bucket', bucketId, 'arn');
    expect(roleNamed(synth, `duet-${stage}-app`).permissions).toEqual([
      { sid: 'TaskTable', effect: 'Allow', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resources: [table, `${table}/index/gsi1`] },
      { sid: 'AttachmentObjects', effect: 'Allow', actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], resources: [`${bucket}/tenants/*`] },
      { sid: 'AttachmentBucket', effect: 'Allow', actions: ['s3:ListBucket'], resources: [bucket] },
    ]);
  });

  it('limits the load balancer controller to load balancers tagged with this cluster', () => {
    const { permissions } = roleNamed(synth, `duet-${stage}-aws-load-balancer-controller`);
    const mutating = permissions.filter((s) => s.sid === 'ManageOwnLoadBalancers' || s.sid === 'CreateTaggedLoadBalancers');
    expect(mutating).toHaveLength(2);
    for (const statement of mutating) {
      expect(statement.condition).toContainEqual({ test: 'StringEquals', variable: expect.stringMatching(/Tag\/elbv2\.k8s\.aws\/cluster$/), values: [`duet-${stage}`] });
    }
  });

  it('keeps images in an ECR repository with immutable tags, scan on push, encryption and a lifecycle', () => {
    const [repoId, repo] = byPath(synth, 'aws_ecr_repository', 'eks-platform/registry/repository');
    expect(repo).toMatchObject({ name: `duet-${stage}`, image_tag_mutability: 'IMMUTABLE', image_scanning_configuration: { scan_on_push: true } });
    expect(repo.encryption_configuration).toEqual([{ encryption_type: expect.stringMatching(/^(AES256|KMS)$/) }]);
    const [, lifecycle] = findResource(synth, 'aws_ecr_lifecycle_policy', (body) => body.repository === ref('aws_ecr_repository', repoId, 'name'));
    const rules = JSON.parse(lifecycle.policy).rules as { selection: { tagStatus: string } }[];
    expect(rules.map((rule) => rule.selection.tagStatus)).toEqual(['untagged', 'any']);
  });

  it('attaches only the AWS-managed policies EKS requires to its service roles (and the plan role its read-only one)', () => {
    const attachments = resourcesOf(synth, 'aws_iam_role_policy_attachment').map(([, body]) => body.policy_arn.replace(/^arn:[^:]+:/, ''));
    expect(attachments.sort()).toEqual([
      'iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', 'iam::aws:policy/AmazonEKSClusterPolicy',
      'iam::aws:policy/AmazonEKSWorkerNodePolicy', 'iam::aws:policy/AmazonEKS_CNI_Policy',
      // The API jump host: the SSM agent only.
      'iam::aws:policy/AmazonSSMManagedInstanceCore',
      // CI's plan role (pull requests), with the data denied: see the CI identity below.
      'iam::aws:policy/ReadOnlyAccess',
    ]);
  });
});

describe.each(STAGES)('%s: CI identity', (stage) => {
  const synth = stacks[stage];

  it('trusts GitHub Actions only for this repository: main\'s release jobs for dev, the production environment for prod', () => {
    const [providerId, provider] = byPath(synth, 'aws_iam_openid_connect_provider', 'ci-identity/github');
    expect(provider).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    const { trust } = roleNamed(synth, `duet-${stage}-github-deploy`);
    expect(trust).toHaveLength(1);
    expect(trust[0]!.principals).toEqual([{ type: 'Federated', identifiers: [ref('aws_iam_openid_connect_provider', providerId, 'arn')] }]);
    expect(trust[0]!.condition).toEqual([
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
      {
        test: 'StringEquals',
        variable: 'token.actions.githubusercontent.com:sub',
        values: [stage === 'prod' ? 'repo:duet-org/duet:environment:production' : 'repo:duet-org/duet:ref:refs/heads/main'],
      },
    ]);
  });

  it('lets pull requests plan with a read-only role that cannot read the data', () => {
    const { id, trust, permissions } = roleNamed(synth, `duet-${stage}-github-plan`);
    expect(trust.flatMap((statement) => condition(statement, ':sub'))).toEqual([
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:duet-org/duet:pull_request'] },
    ]);
    const managed = resourcesOf(synth, 'aws_iam_role_policy_attachment').filter(([, body]) => body.role === ref('aws_iam_role', id, 'name'));
    expect(managed.map(([, body]) => body.policy_arn)).toEqual(['arn:${data.aws_partition.partition.partition}:iam::aws:policy/ReadOnlyAccess']);
    expect(permissions.every((statement) => statement.effect === 'Deny')).toBe(true);
    expect(permissions.flatMap((statement) => statement.actions)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 's3:GetObject', 'secretsmanager:GetSecretValue']));
  });

  it('reuses an existing GitHub provider instead of declaring a second one in the account', () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const other = parse(synthStacks(makeSettings({ githubOidcProviderArn: arn }))[stage]);
    expect(() => byPath(other, 'aws_iam_openid_connect_provider', 'ci-identity/github')).toThrow(/found 0/);
    expect(roleNamed(other, `duet-${stage}-github-deploy`).trust[0]!.principals).toEqual([{ type: 'Federated', identifiers: [arn] }]);
  });

  it('can read exactly the SSM parameters cdktf publishes for serverless.yml, the token issuer\'s included', () => {
    const arns = resourcesOf(synth, 'aws_ssm_parameter').map(([id]) => ref('aws_ssm_parameter', id, 'arn'));
    const [read] = roleNamed(synth, `duet-${stage}-github-deploy`).permissions.filter((s) => s.sid === 'StackParameters');
    expect(read).toMatchObject({ effect: 'Allow', actions: ['ssm:GetParameters', 'ssm:GetParameter'] });
    expect(read!.resources!.sort()).toEqual(arns.sort());
    expect(arns).toHaveLength(SSM_KEYS.length);
  });

  const boundary = () => {
    const [id, policy] = byPath(synth, 'aws_iam_policy', 'lambda-platform/role-boundary');
    return { arn: ref('aws_iam_policy', id, 'arn'), policy };
  };
  const lambdaRoles = `arn:\${data.aws_partition.partition.partition}:iam::\${data.aws_caller_identity.account.account_id}:role/duet/${stage}/lambda/*`;

  it('can create or change only the stage\'s Lambda roles, and only with the permissions boundary', () => {
    const { permissions } = roleNamed(synth, `duet-${stage}-github-deploy`);
    const iamWrites = permissions.filter((s) => s.actions.some((action) => /^iam:(Create|Put|Delete|Attach|Detach|Update)/.test(action) && action !== 'iam:DeleteRole'));
    expect(iamWrites).toEqual([expect.objectContaining({
      sid: 'BoundedLambdaRoles',
      actions: ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary'],
      resources: [lambdaRoles],
      condition: [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [boundary().arn] }],
    })]);
    expect(permissions.flatMap((s) => s.actions)).not.toContain('iam:DeleteRolePermissionsBoundary');
  });

  it('can pass exactly the stage\'s Lambda roles, and only to Lambda, and the release gate\'s role, only to CodeDeploy', () => {
    const passRole = roleNamed(synth, `duet-${stage}-github-deploy`).permissions.filter((s) => s.actions.includes('iam:PassRole'));
    const [codeDeployId] = byPath(synth, 'aws_iam_role', 'lambda-platform/codedeploy-role');
    expect(passRole).toEqual([
      expect.objectContaining({
        actions: ['iam:PassRole'],
        resources: [lambdaRoles],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['lambda.amazonaws.com'] }],
      }),
      expect.objectContaining({
        actions: ['iam:PassRole'],
        resources: [ref('aws_iam_role', codeDeployId, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['codedeploy.amazonaws.com'] }],
      })
    ]);
  });

  it('lets CodeDeploy move only the stage\'s aliases and read only the stage\'s alarms', () => {
    const role = roleNamed(synth, `duet-${stage}-codedeploy`);
    expect(role.trust[0]!.principals).toEqual([{ type: 'Service', identifiers: ['codedeploy.amazonaws.com'] }]);
    expect(role.permissions.map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ['ShiftAliases', ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'], [expect.stringMatching(new RegExp(`:function:duet-${stage}-\\*$`))]],
      ['WatchAlarms', ['cloudwatch:DescribeAlarms'], [expect.stringMatching(new RegExp(`:alarm:duet-${stage}-\\*$`))]],
    ]);
  });

  it('bounds every Lambda role by the app\'s data access and the stage\'s function logs', () => {
    const { policy } = boundary();
    expect(policy.name).toBe(`duet-${stage}-lambda-boundary`);
    const statements = statementsOf(synth, policy.policy);
    expect(statements.map((s) => s.sid)).toEqual(['TaskTable', 'AttachmentObjects', 'AttachmentBucket', 'FunctionLogs']);
    expect(statements.at(-1)).toMatchObject({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [expect.stringMatching(new RegExp(`:log-group:/aws/lambda/duet-${stage}-\\*$`))] });
    const app = roleNamed(synth, `duet-${stage}-app`).permissions;
    expect(statements.slice(0, 3)).toEqual(app);
  });

  it('has what CloudFormation\'s Lambda handlers and API Gateway\'s access logging call with its rights', () => {
    const actions = roleNamed(synth, `duet-${stage}-github-deploy`).permissions.flatMap((s) => s.actions);
    expect(actions).toEqual(expect.arrayContaining([
      'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionRecursionConfig', 'lambda:GetRuntimeManagementConfig',
      'lambda:PutRuntimeManagementConfig', 'lambda:PutFunctionConcurrency', 'logs:CreateLogDelivery', 'logs:PutResourcePolicy',
    ]));
    const [describe] = roleNamed(synth, `duet-${stage}-github-deploy`).permissions.filter((s) => s.actions.includes('logs:DescribeLogGroups'));
    expect(describe!.resources).toEqual([`arn:\${data.aws_partition.partition.partition}:logs:us-east-1:\${data.aws_caller_identity.account.account_id}:log-group:*`]);
  });
});

/**
 * Statements allowed a `*` in a resource, and why. "*" alone: the action has no resource type.
 * A trailing `*`: the name or id is generated, the prefix names this account, region and stage.
 */
const RESOURCE_WILDCARDS: Record<string, string> = {
  DescribeOnly: 'Describe/List calls accept only "*"',
  IngressFeatures: 'certificates, Cognito clients, WAF ACLs and Shield protections an Ingress names, in any form the controller accepts',
  ApiAccessLogDelivery: 'CloudWatch Logs log delivery actions accept only "*"',
  ValidateTemplate: 'cloudformation:ValidateTemplate accepts only "*"',
  RegistryLogin: 'ecr:GetAuthorizationToken accepts only "*"',
  AttachmentObjects: 'object keys under tenants/',
  DeploymentArtifacts: 'object keys of the deployment bucket',
  ServerlessStack: 'the stack id after the stack name',
  StageFunctions: 'function names after duet-<stage>-',
  StageLogGroups: 'log groups after /aws/lambda/duet-<stage>-, and the access log group\'s streams',
  DescribeLogGroups: 'logs:DescribeLogGroups is authorised against log-group:*',
  FunctionLogs: 'log groups after /aws/lambda/duet-<stage>-',
  BoundedLambdaRoles: 'role names under the stage\'s Lambda role path',
  LambdaRoles: 'role names under the stage\'s Lambda role path',
  PassLambdaRoles: 'role names under the stage\'s Lambda role path',
  ShiftAliases: 'function names and aliases after duet-<stage>-',
  WatchAlarms: 'alarm names after duet-<stage>-',
  ReleaseGateCodeDeploy: 'deployment groups of the stage\'s CodeDeploy application',
  ReleaseGateDeploymentConfig: 'deployment configs CloudFormation names after the stack',
  ReleaseGateAlarms: 'alarm names after duet-<stage>-',
  TagListenersAndRules: 'generated listener and rule ids',
  HttpApi: 'generated HTTP API ids',
  CreateSecurityGroupInClusterVpc: 'generated security group ids',
  TagNewSecurityGroup: 'generated security group ids',
  ManageOwnSecurityGroups: 'generated security group ids',
  IngressRulesInClusterVpc: 'generated security group ids',
  CreateTaggedLoadBalancers: 'generated load balancer and target group ids',
  ManageOwnLoadBalancers: 'generated load balancer and target group ids',
  ListenersAndRules: 'generated listener and rule ids',
};
const ANY_RESOURCE = new Set(['DescribeOnly', 'IngressFeatures', 'ApiAccessLogDelivery', 'ValidateTemplate', 'RegistryLogin']);

describe.each(STAGES)('%s: IAM', (stage) => {
  const statements = allStatements(stacks[stage]);
  const allows = statements.filter((s) => s.effect === 'Allow');

  it('grants no wildcard action', () => {
    expect(allows.flatMap((s) => s.actions).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('grants "*" as a resource only where the action has no resource type', () => {
    const offenders = allows.filter((s) => s.resources?.includes('*') && !ANY_RESOURCE.has(s.sid)).map((s) => `${s.document}#${s.sid}`);
    expect(offenders).toEqual([]);
  });

  it('uses a wildcard inside a resource ARN only in the statements listed with a reason', () => {
    const offenders = allows
      .filter((s) => s.resources?.some((resource) => resource !== '*' && resource.includes('*')) && !(s.sid in RESOURCE_WILDCARDS))
      .map((s) => `${s.document}#${s.sid}`);
    expect(offenders).toEqual([]);
  });

  it('never wildcards the service, region or account part of an ARN', () => {
    const arns = allows.flatMap((s) => s.resources ?? []).filter((resource) => resource.startsWith('arn:'));
    for (const arn of arns) expect(arn.split(':').slice(0, 5).join(':'), arn).not.toContain('*');
  });

  it('uses Deny statements only for the TLS-only bucket policies and to keep the plan role off the data', () => {
    const denies = statements.filter((s) => s.effect === 'Deny');
    expect(new Set(denies.map((s) => s.sid))).toEqual(new Set(['DenyInsecureTransport', 'NoTableItems', 'NoAttachments', 'NoSecrets']));
  });

  it('binds every federated trust to an exact subject and audience', () => {
    const federated = allows.filter((s) => s.principals?.some((p) => p.type === 'Federated'));
    expect(federated).toHaveLength(4);
    for (const trust of federated) {
      expect(condition(trust, ':sub').map((c) => c.test), trust.document).toEqual(['StringEquals']);
      expect(condition(trust, ':aud').map((c) => c.test), trust.document).toEqual(['StringEquals']);
      for (const value of condition(trust, ':sub')[0]!.values) expect(value).not.toMatch(/[*?]/);
    }
  });

  it('creates no IAM users or access keys, and one customer-managed policy: the Lambda roles\' boundary', () => {
    expect(Object.keys(stacks[stage].resource).filter((type) => /^aws_iam_(user|access_key)\b/.test(type))).toEqual([]);
    expect(resourcesOf(stacks[stage], 'aws_iam_policy').map(([, body]) => body.name)).toEqual([`duet-${stage}-lambda-boundary`]);
    expect(Object.keys(stacks[stage].resource).filter((type) => /^aws_iam_(policy_attachment|user_policy|group_policy)/.test(type))).toEqual([]);
  });
});

describe.each(STAGES)('%s: state and outputs', (stage) => {
  const synth = stacks[stage];

  it('keeps state in S3, encrypted, locked, one key per stage', () => {
    expect(synth.terraform.backend.s3).toMatchObject({ key: `duet/${stage}/terraform.tfstate`, encrypt: true, use_lockfile: true });
  });

  it('refuses a Terraform older than 1.10, which would ignore use_lockfile', () => {
    expect(synth.terraform.required_version).toBe('>= 1.10.0');
  });

  it('reaches state in another account through the role the deployer names', () => {
    const other = parse(synthStacks(makeSettings({ stateRoleArn: 'arn:aws:iam::210987654321:role/duet-state' }))[stage]);
    expect(other.terraform.backend.s3.assume_role).toEqual({ role_arn: 'arn:aws:iam::210987654321:role/duet-state' });
    expect(synth.terraform.backend.s3).not.toHaveProperty('assume_role');
  });

  it('tells a team where both endpoints are and what to configure', () => {
    expect(Object.keys(synth.output).sort()).toEqual([
      'api_jump_host_id', 'app_role_arn', 'auth_audience', 'auth_hosted_ui_url', 'auth_issuer', 'auth_jwks_url', 'auth_login_url', 'auth_user_pool_id', 'bucket_name',
      'ci_deploy_role_arn', 'ci_plan_role_arn', 'cluster_arn', 'cluster_endpoint', 'cluster_name', 'deployment_bucket', 'eks_endpoint', 'image_repository', 'lambda_endpoint',
      'lb_controller_role_arn', 'load_balancer_subnet_cidrs', 'table_name', 'vpc_id',
    ]);
    expect(synth.output.lambda_endpoint!.value).toContain(`--stage ${stage}`);
    expect(synth.output.eks_endpoint!.value).toContain(`cluster duet-${stage}`);
  });
});
