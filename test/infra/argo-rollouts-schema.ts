// Strict validation of Argo Rollouts objects against the CRDs' OpenAPI schemas, as shipped in
// @kubernetes-models/argo-rollouts (generated from the Argo Rollouts CRDs): every object schema
// that lists its properties is closed (unknown fields rejected, as `kubectl --validate=strict`
// does against the CRD), types and required fields checked by Ajv.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
export const ARGO_KINDS = ['Rollout', 'AnalysisTemplate'] as const;
export type ArgoKind = (typeof ARGO_KINDS)[number];

/** The schema literal the model module registers (`const schema = {…};`), read as JSON. */
function crdSchema(kind: ArgoKind): Record<string, unknown> {
  const text = readFileSync(join(dirname(require.resolve('@kubernetes-models/argo-rollouts/package.json')), 'argoproj.io', 'v1alpha1', `${kind}.js`), 'utf8');
  const start = text.indexOf('const schema = ');
  const end = text.indexOf(';\nclass ');
  if (start < 0 || end < 0) throw new Error(`no schema in the ${kind} model`);
  return JSON.parse(text.slice(start + 'const schema = '.length, end)) as Record<string, unknown>;
}

/** Closes every object schema with listed properties; metadata (a $ref to ObjectMeta) is checked apart. */
export function closeSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeSchema);
  if (!node || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, closeSchema(child)])) : closeSchema(value)]));
  if (typeof schema.$ref === 'string') return { type: 'object' };
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) schema.additionalProperties = false;
  return schema;
}

export interface ArgoValidator {
  /** Problems found, as `path: message`; empty when the object is valid. */
  validate(object: { kind: string }): string[];
}

export function createArgoValidator(): ArgoValidator {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validators = new Map<string, ValidateFunction>(ARGO_KINDS.map((kind) => [kind, ajv.compile(closeSchema(crdSchema(kind)) as object)]));
  return {
    validate(object) {
      const validate = validators.get(object.kind);
      if (!validate) return [`${object.kind}: not an Argo Rollouts kind this validator knows`];
      if (validate(object as unknown)) return [];
      return (validate.errors ?? []).map((error) => `${object.kind}${error.instancePath}: ${error.message}${error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : ''}`);
    },
  };
}
