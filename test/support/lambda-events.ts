import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';

const REQUEST_TIME_EPOCH = Date.UTC(2026, 0, 1);

/** What a test may change in an HTTP API event; `stage` lands in `requestContext.stage`. */
export type HttpApiEventOverrides = Partial<Omit<APIGatewayProxyEventV2, 'requestContext'>> & { stage?: string; claims?: Record<string, string> };

/** What a test may change in a REST API event. */
export type RestApiEventOverrides = Partial<Omit<APIGatewayProxyEvent, 'httpMethod' | 'path'>>;

/** API Gateway's single-value view of a raw query string: repeated names joined with commas. */
function singleValueQuery(rawQueryString: string): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) query[name] = name in query ? `${query[name]},${value}` : value;
  return Object.keys(query).length ? query : undefined;
}

/**
 * An HTTP API (payload 2.0) event on the `$default` stage. `path` is the raw path as API Gateway
 * passes it: percent-encoding intact and, on a named stage, starting with `/{stage}`.
 */
export function makeHttpApiEvent(method: string, path: string, overrides: HttpApiEventOverrides = {}): APIGatewayProxyEventV2 {
  const { stage = '$default', claims, ...fields } = overrides;
  const rawQueryString = fields.rawQueryString ?? '';
  const queryStringParameters = singleValueQuery(rawQueryString);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'user-agent': 'vitest' },
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'http-api-request-id',
      routeKey: '$default',
      stage,
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: REQUEST_TIME_EPOCH,
      ...(claims && { authorizer: { jwt: { claims, scopes: null } } }),
    },
    isBase64Encoded: false,
    ...fields,
  };
}

/** A REST API (payload 1.0) event on the `prod` stage, with no body, query or headers unless given. */
export function makeRestApiEvent(method: string, path: string, overrides: RestApiEventOverrides = {}): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    body: null,
    isBase64Encoded: false,
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'def456',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '192.0.2.1',
        user: null,
        userAgent: 'vitest',
        userArn: null,
      },
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'rest-api-request-id',
      requestTimeEpoch: REQUEST_TIME_EPOCH,
      resourceId: 'res123',
      resourcePath: '/{proxy+}',
    },
    ...overrides,
  };
}

/** The one fake Lambda context every test shares; frozen so no code under test can change it. */
export const lambdaContext: Context = Object.freeze({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'duet-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:duet-test',
  memoryLimitInMB: '1024',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/duet-test',
  logStreamName: '2026/01/01/[$LATEST]00000000000000000000000000000000',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The parts of a request both payload versions carry the same way. */
export interface EventParts {
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** What API Gateway's authorizer verified, in the request context as each payload version carries it. */
  claims?: Record<string, string>;
}

export interface PayloadVersion {
  version: '2.0' | '1.0';
  api: 'HTTP API' | 'REST API';
  makeEvent(method: string, path: string, parts?: EventParts): APIGatewayProxyEventV2 | APIGatewayProxyEvent;
}

/**
 * One entry per payload version, for `describe.each`: the same behaviour, both transports. The
 * REST API event carries each header in `headers` and in `multiValueHeaders`, as API Gateway sends it.
 */
export const PAYLOAD_VERSIONS: PayloadVersion[] = [
  { version: '2.0', api: 'HTTP API', makeEvent: (method, path, parts = {}) => makeHttpApiEvent(method, path, parts) },
  {
    version: '1.0',
    api: 'REST API',
    makeEvent: (method, path, { headers = {}, claims, ...parts } = {}) => {
      const event = makeRestApiEvent(method, path, {
        headers,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
        ...parts,
      });
      if (claims) event.requestContext.authorizer = { claims };
      return event;
    },
  },
];
