import { Testing } from 'cdktf';
import { environments, loadSettings, type ProgramSettings } from '../../cdktf/environments.js';
import type { Stage } from '../../cdktf/names.js';
import { createStacks } from '../../cdktf/stacks.js';

/* The synthesised Terraform JSON, as loosely typed as it is. */
export type Body = Record<string, any>;
export interface Synth {
  terraform: Body;
  resource: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  output: Record<string, Body>;
}

export interface Statement {
  sid: string;
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** Fixed settings: the tests never depend on the deployer's environment. */
export function makeSettings(overrides: Partial<ProgramSettings> = {}): ProgramSettings {
  return {
    ...loadSettings({ DUET_GITHUB_REPOSITORY: 'duet-org/duet' }),
    repository: 'duet-org/duet',
    prodOrigins: ['https://duet.example.com'],
    devOrigins: [],
    auth: { prod: { callbackUrls: ['https://duet.example.com/callback'], logoutUrls: ['https://duet.example.com/'] } },
    ...overrides,
  };
}

export function synthStacks(settings: ProgramSettings = makeSettings()): Record<Stage, string> {
  const app = Testing.app();
  const stacks = createStacks(app, settings, environments(settings));
  return Object.fromEntries(stacks.map((stack, i) => [environments(settings)[i]!.stage, Testing.synth(stack)])) as Record<Stage, string>;
}

export function parse(json: string): Synth {
  return JSON.parse(json) as Synth;
}

/** Logical ids end in a hash of the construct path: scrubbed, so a snapshot diff shows what changed. */
export function scrub(json: string): string {
  return json.replace(/_[0-9A-F]{8}\b/g, '_<hash>');
}

export function resourcesOf(synth: Synth, type: string): [string, Body][] {
  return Object.entries(synth.resource[type] ?? {});
}

export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}

/** The one resource of `type` at construct path `path` (logical ids are the path joined by `_`, then a hash). */
export function byPath(synth: Synth, type: string, path: string, kind: 'resource' | 'data' = 'resource'): [string, Body] {
  const id = new RegExp(`^${path.replaceAll('/', '_')}_[0-9A-F]{8}$`);
  const found = Object.entries(synth[kind][type] ?? {}).filter(([key]) => id.test(key));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${path}, found ${found.length}`);
  return found[0]!;
}

export function findResource(synth: Synth, type: string, predicate: (body: Body) => boolean): [string, Body] {
  const found = resourcesOf(synth, type).filter(([, body]) => predicate(body));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0]!;
}

/** Resolves `${data.aws_iam_policy_document.<id>.json}` to the document's statements. */
export function statementsOf(synth: Synth, policyRef: string): Statement[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(policyRef)?.[1];
  const doc = id && synth.data.aws_iam_policy_document?.[id];
  if (!doc) throw new Error(`not a policy document reference: ${policyRef}`);
  return doc.statement as Statement[];
}

export function allStatements(synth: Synth): (Statement & { document: string })[] {
  return Object.entries(synth.data.aws_iam_policy_document ?? {}).flatMap(([document, doc]) =>
    (doc.statement as Statement[]).map((statement) => ({ ...statement, document })),
  );
}

export function roleNamed(synth: Synth, name: string): { id: string; trust: Statement[]; permissions: Statement[] } {
  const [id, role] = findResource(synth, 'aws_iam_role', (body) => body.name === name);
  const permissions = resourcesOf(synth, 'aws_iam_role_policy')
    .filter(([, body]) => body.role === ref('aws_iam_role', id, 'name'))
    .flatMap(([, body]) => statementsOf(synth, body.policy));
  return { id, trust: statementsOf(synth, role.assume_role_policy), permissions };
}

export function condition(statement: Statement, variableSuffix: string) {
  return statement.condition?.filter((c) => c.variable.endsWith(variableSuffix)) ?? [];
}
