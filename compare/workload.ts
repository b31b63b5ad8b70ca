import { readFileSync } from 'node:fs';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';

/** The operations a workload can mix: the task API's everyday calls. */
export const OPERATION_KINDS = ['getTask', 'listTasks', 'createTask', 'patchTask', 'getStats'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

const Workload = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Two runs with the same seed send the same sequence of operations and parameters. */
  seed: z.int().nonnegative().default(1),
  /** Tasks created in the run's fresh tenant before the clock starts. */
  seedTasks: z.int().min(1).max(1000).default(40),
  operations: z
    .array(z.strictObject({ name: z.string().min(1), kind: z.enum(OPERATION_KINDS), weight: z.number().positive() }))
    .min(1)
    .refine((operations) => new Set(operations.map((operation) => operation.name)).size === operations.length, 'operation names must be unique'),
});
export type Workload = z.infer<typeof Workload>;

export const DEFAULT_WORKLOAD_FILE = new URL('./workloads/default.json', import.meta.url).pathname;

export class WorkloadError extends Error {
  override name = 'WorkloadError';
}

/** Reads a workload from JSON or YAML; a bad file is one line naming what is wrong. */
export function loadWorkload(file = DEFAULT_WORKLOAD_FILE): Workload {
  let raw: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new WorkloadError(`cannot read workload ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = Workload.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WorkloadError(`workload ${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A seeded source of the run's choices: the same seed gives the same sequence. */
export function createChooser(seed: number) {
  const rng = mersenne(seed);
  return {
    /** An integer in [0, n). */
    index: (n: number) => uniformInt(rng, 0, n - 1),
    /** Picks an operation by weight. */
    operation<T extends { weight: number }>(operations: readonly T[]): T {
      const total = operations.reduce((sum, operation) => sum + operation.weight, 0);
      // Millionths of the total, so fractional weights work too.
      let point = (uniformInt(rng, 0, 999_999) / 1_000_000) * total;
      for (const operation of operations) {
        point -= operation.weight;
        if (point < 0) return operation;
      }
      return operations.at(-1)!;
    },
  };
}
export type Chooser = ReturnType<typeof createChooser>;
