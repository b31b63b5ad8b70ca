import { readFileSync } from 'node:fs';
import * as z from 'zod';

const Source = { source: z.url(), read: z.iso.date(), obtained: z.enum(['search', 'known']), note: z.string().optional(), unit: z.string() };
const Tiers = z.array(z.object({ upTo: z.number().positive().nullable(), price: z.number().nonnegative() })).min(1);

const PriceFile = z.object({
  version: z.int().positive(),
  region: z.string(),
  currency: z.literal('USD'),
  compiledOn: z.iso.date(),
  howObtained: z.string(),
  prices: z.object({
    'lambda.requests': z.object({ value: z.number(), ...Source }),
    'lambda.gbSecond.arm64': z.object({ tiers: Tiers, ...Source }),
    'lambda.gbSecond.x86_64': z.object({ tiers: Tiers, ...Source }),
    'lambda.initBilledSince': z.object({ date: z.iso.date(), ...Source }),
    'lambda.freeTier': z.object({ requests: z.number(), gbSeconds: z.number(), ...Source }),
    'apiGateway.http': z.object({ tiers: Tiers, meteringBytes: z.int().positive(), freeTierRequests: z.number(), ...Source }),
    'apiGateway.rest': z.object({ tiers: Tiers, ...Source }),
    'eks.controlPlane': z.object({ standard: z.number(), extended: z.number(), ...Source }),
    'ec2.onDemand': z.object({
      instances: z.record(
        z.string(),
        z.object({ price: z.number(), vcpu: z.number(), memoryGiB: z.number(), maxPods: z.int(), obtained: z.enum(['search', 'known']), source: z.url() }),
      ),
      ...Source,
    }),
    alb: z.object({
      hour: z.number(),
      lcuHour: z.number(),
      lcu: z.object({ newConnectionsPerSecond: z.number(), activeConnectionsPerMinute: z.number(), processedGBPerHour: z.number(), ruleEvaluationsPerSecond: z.number(), freeRules: z.number() }),
      freeTierHours: z.number(),
      ...Source,
    }),
    fargate: z.object({ arm64: z.object({ vcpuHour: z.number(), gbHour: z.number() }), x86_64: z.object({ vcpuHour: z.number(), gbHour: z.number() }), ...Source }),
    'cloudwatchLogs.ingestion': z.object({ standard: z.number(), lambdaTiers: Tiers, freeTierGB: z.number(), ...Source }),
    'dynamodb.onDemand': z.object({ writeRequestUnit: z.number(), readRequestUnit: z.number(), ...Source }),
    's3.requests': z.object({ putCopyPostList: z.number(), getHead: z.number(), ...Source }),
  }),
});
export type PriceFile = z.infer<typeof PriceFile>;
export type Tier = z.infer<typeof Tiers>[number];

export const DEFAULT_PRICES = new URL('./prices/us-east-1.json', import.meta.url).pathname;

export class PriceFileError extends Error {
  override name = 'PriceFileError';
}

/** Reads and checks a price file: every number with its unit, source and the date it was read. */
export function loadPrices(file = DEFAULT_PRICES): PriceFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PriceFileError(`cannot read price file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = PriceFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PriceFileError(`price file ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The cost of `quantity` units priced in monthly tiers (each tier's `upTo` is a cumulative bound). */
export function tiered(quantity: number, tiers: readonly Tier[]): number {
  let cost = 0;
  let floor = 0;
  for (const { upTo, price } of tiers) {
    const ceiling = upTo ?? Infinity;
    if (quantity <= floor) break;
    cost += (Math.min(quantity, ceiling) - floor) * price;
    floor = ceiling;
  }
  return cost;
}
