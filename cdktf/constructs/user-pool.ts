import { Construct } from 'constructs';
import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server/index.js';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client/index.js';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js';
import { SCOPE_RESOURCE_SERVER, SCOPES } from '../../core/domain/scopes.js';

export interface UserPoolOptions {
  /** Pool and client name, e.g. `duet-prod`. */
  name: string;
  region: string;
  /** Hosted UI domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`), unique per region. */
  domainPrefix: string;
  /** Where the hosted UI may send the authorization code. Empty: the client issues no tokens yet. */
  callbackUrls: string[];
  logoutUrls: string[];
  /** Prod: the pool, and with it every user, cannot be deleted until this is switched off. */
  deletionProtection: boolean;
}

/** What the app needs to verify the tokens: the same shape for Cognito and an external issuer. */
export interface TokenIssuerRef {
  /** The tokens' `iss` (AUTH_ISSUER). */
  issuer: string;
  /** The app client id: Cognito access tokens carry it as `client_id`, with no `aud` (AUTH_AUDIENCE). */
  audience: string;
  jwksUrl: string;
  /** Where the web UI's sign-in and token endpoints are (AUTH_LOGIN_URL): Cognito's hosted domain, or the issuer itself. */
  loginUrl: string;
}

/** Token lifetimes: short access tokens, a month of refresh (revocable), a short hosted-UI session. */
export const TOKEN_VALIDITY = { accessTokenHours: 1, idTokenHours: 1, refreshTokenDays: 30, authSessionMinutes: 3 } as const;

/**
 * The production issuer when the deployer brings none: a Cognito user pool in which people sign in
 * with their email address, accounts are created by an administrator only (a tenant is a user, so
 * nobody gets one unasked), MFA by authenticator app is offered, and the pool does not reveal which
 * addresses have accounts. The resource server `duet` defines the two scopes the routes check; one
 * public client (no secret: it runs in a browser or on a laptop) gets tokens through the hosted UI
 * with the authorization code flow (and PKCE, which the client sends), and no other way.
 */
export class UserPool extends Construct {
  readonly tokens: TokenIssuerRef;
  readonly userPoolId: string;
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, options: UserPoolOptions) {
    super(scope, id);
    const pool = new CognitoUserPool(this, 'pool', {
      name: options.name,
      deletionProtection: options.deletionProtection ? 'ACTIVE' : 'INACTIVE',
      // The username is an opaque generated id (the token's `sub`, hence the tenant); people sign in with email.
      usernameAttributes: ['email'],
      usernameConfiguration: { caseSensitive: false },
      autoVerifiedAttributes: ['email'],
      // A changed address takes effect only once verified; until then the old one stays.
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ['email'] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
      },
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
    });

    const resourceServer = new CognitoResourceServer(this, 'resource-server', {
      userPoolId: pool.id,
      identifier: SCOPE_RESOURCE_SERVER,
      name: SCOPE_RESOURCE_SERVER,
      scope: [
        { scopeName: scopeName(SCOPES.read), scopeDescription: 'Read tasks and attachments' },
        { scopeName: scopeName(SCOPES.write), scopeDescription: 'Create, change and delete tasks and attachments' },
      ],
    });

    // Version 1 is the classic hosted UI, which needs no branding resource to show a sign-in page.
    const domain = new CognitoUserPoolDomain(this, 'domain', { userPoolId: pool.id, domain: options.domainPrefix, managedLoginVersion: 1 });

    const signIn = options.callbackUrls.length > 0;
    const client = new CognitoUserPoolClient(this, 'client', {
      name: options.name,
      userPoolId: pool.id,
      generateSecret: false,
      // No direct sign-in API (InitiateAuth with a password or SRP): only the hosted UI, then refresh.
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      accessTokenValidity: TOKEN_VALIDITY.accessTokenHours,
      idTokenValidity: TOKEN_VALIDITY.idTokenHours,
      refreshTokenValidity: TOKEN_VALIDITY.refreshTokenDays,
      tokenValidityUnits: [{ accessToken: 'hours', idToken: 'hours', refreshToken: 'days' }],
      authSessionValidity: TOKEN_VALIDITY.authSessionMinutes,
      supportedIdentityProviders: ['COGNITO'],
      // The code flow only, never implicit. Cognito accepts PKCE but cannot be told to demand it: without a
      // secret, exact redirect URLs and the client's own code_challenge (S256) are what protect the code.
      ...(signIn && {
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ['code'],
        allowedOauthScopes: ['openid', SCOPES.read, SCOPES.write],
        callbackUrls: options.callbackUrls,
        logoutUrls: options.logoutUrls,
      }),
      // The scopes must exist before a client may be allowed them.
      dependsOn: [resourceServer],
    });

    const issuer = `https://${pool.endpoint}`;
    this.userPoolId = pool.id;
    this.hostedUiUrl = `https://${domain.domain}.auth.${options.region}.amazoncognito.com`;
    this.tokens = { issuer, audience: client.id, jwksUrl: `${issuer}/.well-known/jwks.json`, loginUrl: this.hostedUiUrl };
  }
}

/** `duet/tasks.read` → `tasks.read`: Cognito prefixes a scope with its resource server's identifier. */
function scopeName(scope: string): string {
  return scope.slice(SCOPE_RESOURCE_SERVER.length + 1);
}
