// Strict validation of Kubernetes objects against the API's own type definitions, as shipped in
// @kubernetes/client-node (generated from the Kubernetes OpenAPI spec): every field must exist in
// the schema of its type (unknown fields are rejected, as `kubectl --validate=strict` does) and
// carry a value of the declared type.

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}
interface Model {
  getAttributeTypeMap(): Attribute[];
}

const MODELS_MODULE = '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';

async function loadModels(): Promise<Record<string, Model>> {
  try {
    return (await import(MODELS_MODULE)) as Record<string, Model>;
  } catch (error) {
    throw new Error('Kubernetes schemas are missing: install the devDependency @kubernetes/client-node', { cause: error });
  }
}

/** `apps/v1` + `Deployment` → `V1Deployment`; `autoscaling/v2` → `V2…`; `policy/v1beta1` → `V1beta1…`. */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

export interface KubernetesValidator {
  /** Whether the Kubernetes schemas know this apiVersion and kind (CRDs are not known). */
  knows(object: { apiVersion: string; kind: string }): boolean;
  /** Problems found, as `path: message`; empty when the object is valid. */
  validate(object: { apiVersion: string; kind: string }): string[];
}

export async function createKubernetesValidator(): Promise<KubernetesValidator> {
  const models = await loadModels();
  const isModel = (name: string) => typeof models[name]?.getAttributeTypeMap === 'function';

  function check(value: unknown, type: string, format: string, path: string, errors: string[]): void {
    const array = /^Array<(.+)>$/.exec(type);
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (array) {
      if (!Array.isArray(value)) return void errors.push(`${path}: expected an array`);
      value.forEach((item, index) => check(item, array[1]!, format, `${path}[${index}]`, errors));
    } else if (map) {
      if (!isPlainObject(value)) return void errors.push(`${path}: expected a map`);
      for (const [key, item] of Object.entries(value)) check(item, map[1]!, format, `${path}.${key}`, errors);
    } else if (type === 'any') {
      return;
    } else if (type === 'string' || type === 'Date') {
      if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
    } else if (type === 'boolean') {
      if (typeof value !== 'boolean') errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
    } else if (type === 'number') {
      const integer = format.startsWith('int');
      if (typeof value !== 'number' || (integer && !Number.isInteger(value))) errors.push(`${path}: expected ${integer ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
    } else if (type === 'IntOrString') {
      if (typeof value !== 'string' && !Number.isInteger(value)) errors.push(`${path}: expected an integer or a string, got ${JSON.stringify(value)}`);
    } else if (isModel(type)) {
      if (!isPlainObject(value)) return void errors.push(`${path}: expected an object (${type})`);
      const attributes = new Map(models[type]!.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute]));
      for (const [key, item] of Object.entries(value)) {
        const attribute = attributes.get(key);
        if (!attribute) errors.push(`${path}.${key}: unknown field in ${type}`);
        else if (item !== null) check(item, attribute.type, attribute.format, `${path}.${key}`, errors);
      }
    } else {
      errors.push(`${path}: no schema for type ${type}`);
    }
  }

  return {
    knows: ({ apiVersion, kind }) => isModel(modelName(apiVersion, kind)),
    validate(object) {
      const type = modelName(object.apiVersion, object.kind);
      if (!isModel(type)) return [`${object.apiVersion} ${object.kind}: not a Kubernetes type`];
      const errors: string[] = [];
      check(object, type, '', object.kind, errors);
      return errors;
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
