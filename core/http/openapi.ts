import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { problemResponses } from './problem-docs.js';
import { ROUTE_SPECS, type RouteSpec } from './specs.js';

/** What every response of every operation carries, whichever target serves it (core/http/handler.ts stamps them). */
const RESPONSE_HEADERS = {
  'x-request-id': { description: 'The request id: the caller’s, when valid, or a new one', schema: { type: 'string' as const } },
  'server-timing': {
    description: 'Time the service spent on the request, `app;dur=<ms>`; a Lambda function’s first invocation in a sandbox adds `init;dur=<ms>`',
    schema: { type: 'string' as const },
  },
};

/** Builds the OpenAPI 3.1 document from the route table and its zod schemas. */
export function buildOpenApi(info: { version: string }) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTE_SPECS as readonly RouteSpec[]) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const responses = route.scopes ? { ...route.doc.responses, ...problemResponses(401, 403) } : route.doc.responses;
    const operation: ZodOpenApiOperationObject = {
      operationId: route.operationId,
      ...(route.scopes && { security: [{ bearer: [...route.scopes] }] }),
      summary: route.doc.summary,
      requestParams: {
        ...(names.length && { path: z.object(Object.fromEntries(names.map((name) => [name, z.string()]))) }),
        ...(route.doc.query && { query: route.doc.query as z.ZodObject }),
        ...(route.doc.headers && { header: route.doc.headers as z.ZodObject }),
      },
      ...(route.doc.body && {
        requestBody: { required: true, content: { [route.doc.bodyContentType ?? 'application/json']: { schema: route.doc.body } } },
      }),
      responses: Object.fromEntries(
        Object.entries(responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            headers: RESPONSE_HEADERS,
            ...(response.schema && { content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }),
          },
        ]),
      ),
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'duet',
      version: info.version,
      description: 'One task service, two runtimes. Errors are RFC 9457 problem documents; every response carries x-request-id.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "A JWT from the configured issuer; its subject is the caller's tenant. Operations list the scopes they accept (any one suffices).",
        },
      },
    },
  });
}
