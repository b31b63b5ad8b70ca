import type { OperationCapacity } from '../capacity.js';
import type { Costs } from '../costs.js';
import type { TargetResult } from '../measure.js';
import type { ClusterSpec } from '../model.js';
import type { PriceFile } from '../prices.js';
import type { OperationKind, Workload } from '../workload.js';

/** Everything a run found, as report.json holds it and report.html shows it. */
export interface CompareReport {
  version: 1;
  generatedAt: string;
  verdict: string;
  inputs: {
    mode: 'local' | 'deployed';
    rate: number;
    durationS: number;
    monthlyRequests: number;
    freeTier: boolean;
    workload: Workload;
    pricesFile: string;
    cluster: ClusterSpec;
    machine: { cpus: number; cpuModel: string; node: string };
  };
  targets: TargetResult[];
  capacity?: Record<OperationKind, OperationCapacity>;
  costs: Costs;
  prices: PriceFile;
  /** What the numbers leave out, said plainly. */
  notes: string[];
}

/** The formulas the report prices with, printed under its charts. */
export const FORMULAS = [
  'Lambda duration (GB-s) = requests × mean(ceil(Server-Timing app;dur) ms) / 1000 × memory (GB) from the packaged template; INIT (GB-s) = requests × cold-start share × ceil(mean INIT ms) / 1000 × memory; both at the architecture’s monthly GB-s tiers (INIT billed since 2025-08-01).',
  'Lambda requests = requests × price per million; HTTP API = requests × ceil(max(request, response bytes) / 512 KB) at its monthly tiers.',
  'Lambda logs (GB) = requests × (the function’s log bytes + START/END/REPORT bytes) / 2^30, at CloudWatch’s tiers for Lambda logs.',
  'EKS pods = max(HPA minReplicas, ceil(peak req/s × CPU s per request / (pod CPU request × HPA CPU target))); peak = average × the shape’s peak-to-average; CPU per request from the container process’s CPU time (deployed: app;dur, an upper bound).',
  'EKS nodes = max(node group minimum, ceil(pods / pods per node)); pods per node = min((vCPU − reserved) / pod CPU, (memory − reserved) / pod memory, max pods − 2); nodes held for the peak all month.',
  'EKS = nodes × on-demand hour × 730 + control plane hour × 730 + ALB hour × 730 + LCU-hours × LCU price (LCU-hours = max(processed GB, new connections / (25 × 3600))) + container log GB × ingestion price.',
  'DynamoDB = requests × (read units × RRU price + write units × WRU price) / 1e6, units per operation as DynamoDB bills them (measured on DynamoDB Local, transactions recounted by compare/dynamo-units.ts); S3 = requests × S3 requests per operation × price per 1,000.',
  'Break-even: the monthly volume where the cheaper Lambda mode and EKS cost the same (log-scale search, then bisection); requests/s sustained = that volume / (730 × 3600).',
];
