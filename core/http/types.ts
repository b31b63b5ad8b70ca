import type { ZodType } from 'zod';

/** A request as every transport hands it to the core: header names lower-case, body raw. */
export interface HttpRequest {
  method: string;
  /** The path as received, percent-encoding intact, without the query string. */
  path: string;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | undefined>;
  body?: Uint8Array | string;
  /** Claims API Gateway's JWT authorizer verified, when one ran (Lambda only). */
  authorizerClaims?: Record<string, unknown>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/**
 * What a route's handler receives: the request, its decoded path parameters and who is calling.
 * `Tenant` is `string` for operations with scopes and `null` for public ones (specs.ts derives it).
 */
export interface RouteContext<Tenant extends string | null = string | null> {
  request: HttpRequest;
  params: Record<string, string>;
  requestId: string;
  /** The verified caller's subject; null on public operations (those without scopes). */
  tenant: Tenant;
}

export interface RouteDoc {
  summary: string;
  query?: ZodType;
  body?: ZodType;
  bodyContentType?: string;
  headers?: ZodType;
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
}

/** One entry of the route table (core/http/specs.ts). */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  path: string;
  operationId: string;
  /** Absent: public. Otherwise a bearer token with any one of these scopes is required. */
  scopes?: readonly string[];
  doc: RouteDoc;
}

/** Answers one operation of the route table (core/http/specs.ts). */
export type RouteHandle<Tenant extends string | null = string | null> = (context: RouteContext<Tenant>) => Promise<HttpResponse>;
