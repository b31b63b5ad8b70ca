/**
 * The rights a token can carry, as OAuth scopes in its `scope` claim. Cognito names a resource
 * server's scopes `<identifier>/<name>`; cdktf creates that resource server, the dev issuer and
 * serverless.yml's route scopes use the same strings.
 */
export const SCOPE_RESOURCE_SERVER = 'duet';
export const SCOPES = {
  read: `${SCOPE_RESOURCE_SERVER}/tasks.read`,
  write: `${SCOPE_RESOURCE_SERVER}/tasks.write`,
} as const;

/** A route needs any one of these: reading is allowed to writers too (as API Gateway's route scopes). */
export const READ_SCOPES = [SCOPES.read, SCOPES.write] as const;
export const WRITE_SCOPES = [SCOPES.write] as const;
