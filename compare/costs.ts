import type { TargetResult } from './measure.js';
import { crossover, dataMonthly, eksMonthly, lambdaMonthly, SECONDS_PER_MONTH, SHAPES, type ClusterSpec, type DataMeasure, type Shape, type TargetMeasure } from './model.js';
import type { PriceFile } from './prices.js';

/** Monthly volumes the cost chart is drawn at: 100 thousand to 10 billion requests, log-spaced. */
export const CURVE_VOLUMES = Array.from({ length: 41 }, (_, i) => Math.round(1e5 * 10 ** (i / 8)));

export interface ShapeCosts {
  shape: Shape;
  peakToAverage: number;
  description: string;
  /** Each priced target's monthly total at the asked volume, with its parts. */
  at: Record<string, { total: number; perMillion: number; parts: Record<string, number> }>;
  /** [monthly requests, $ a month] per target. */
  curves: Record<string, [number, number][]>;
  /** Where the cheapest Lambda mode and EKS cost the same. */
  breakEven?: { requests: number; requestsPerSecond: number; lambda: string; container: string };
}

export interface Costs {
  monthlyRequests: number;
  freeTier: boolean;
  data?: { perMonth: ReturnType<typeof dataMonthly>; measure: DataMeasure };
  shapes: ShapeCosts[];
  /** Lambda targets whose logs cost more than their compute at the asked volume. */
  logsOverCompute: { target: string; logs: number; compute: number }[];
}

const priced = (results: TargetResult[]) => results.filter((result) => !result.refusal);

/** Prices every target the run could drive, per traffic shape, and finds the break-evens. */
export function priceTargets(results: TargetResult[], prices: PriceFile, cluster: ClusterSpec, monthlyRequests: number, freeTier: boolean, data?: DataMeasure): Costs {
  const targets = priced(results);
  const monthlyOf = (measure: TargetMeasure, peakToAverage: number) => (requests: number) =>
    measure.kind === 'container' ? eksMonthly(measure, requests, peakToAverage, cluster, prices, freeTier).total : lambdaMonthly(measure, requests, prices, freeTier).total;
  const shapes = (Object.keys(SHAPES) as Shape[]).map((shape): ShapeCosts => {
    const { peakToAverage, description } = SHAPES[shape];
    const at: ShapeCosts['at'] = {};
    const curves: ShapeCosts['curves'] = {};
    for (const { measure } of targets) {
      const cost = measure.kind === 'container' ? eksMonthly(measure, monthlyRequests, peakToAverage, cluster, prices, freeTier) : lambdaMonthly(measure, monthlyRequests, prices, freeTier);
      const { total, ...parts } = cost;
      at[measure.name] = { total, perMillion: total / (monthlyRequests / 1e6), parts: Object.fromEntries(Object.entries(parts).filter((entry): entry is [string, number] => typeof entry[1] === 'number')) };
      curves[measure.name] = CURVE_VOLUMES.map((requests) => [requests, monthlyOf(measure, peakToAverage)(requests)]);
    }
    const lambdas = targets.filter(({ measure }) => measure.kind !== 'container');
    const container = targets.find(({ measure }) => measure.kind === 'container');
    let breakEven: ShapeCosts['breakEven'];
    if (lambdas.length && container) {
      const cheapestLambda = (requests: number) => Math.min(...lambdas.map(({ measure }) => monthlyOf(measure, peakToAverage)(requests)));
      const requests = crossover(cheapestLambda, monthlyOf(container.measure, peakToAverage));
      if (requests !== undefined) {
        const lambda = lambdas.reduce((best, candidate) => (monthlyOf(candidate.measure, peakToAverage)(requests) < monthlyOf(best.measure, peakToAverage)(requests) ? candidate : best));
        breakEven = { requests, requestsPerSecond: requests / SECONDS_PER_MONTH, lambda: lambda.name, container: container.name };
      }
    }
    return { shape, peakToAverage, description, at, curves, ...(breakEven && { breakEven }) };
  });
  const logsOverCompute = targets
    .filter(({ measure }) => measure.kind !== 'container')
    .map(({ measure }) => {
      const cost = lambdaMonthly(measure, monthlyRequests, prices, freeTier);
      return { target: measure.name, logs: cost.logs, compute: cost.compute + cost.init };
    })
    .filter((entry) => entry.logs > entry.compute);
  return {
    monthlyRequests,
    freeTier,
    ...(data && { data: { perMonth: dataMonthly(data, monthlyRequests, prices), measure: data } }),
    shapes,
    logsOverCompute,
  };
}

const money = (dollars: number) => (dollars >= 100 ? `$${Math.round(dollars).toLocaleString('en-US')}` : `$${dollars.toFixed(2)}`);
/** Three significant digits without trailing zeros after the point: 100, 4.2, 63.5. */
const short = (value: number) => String(Number(value.toPrecision(3)));
export const volume = (requests: number) =>
  requests >= 1e9 ? `${short(requests / 1e9)} billion` : requests >= 1e6 ? `${short(requests / 1e6)} M` : `${short(requests / 1e3)} thousand`;
const LABEL: Record<TargetResult['kind'], string> = { 'lambda-routes': 'per-route Lambda', lambdalith: 'the lambdalith', container: 'EKS' };

/** The one sentence the report opens with. */
export function verdict(results: TargetResult[], costs: Costs, headline: Shape = 'business hours'): string {
  const shape = costs.shapes.find((item) => item.shape === headline)!;
  const targets = priced(results);
  if (!targets.length) return 'No target could be driven at the asked rate, so nothing is priced: see why under each target.';
  const parts = targets.map((target) => `${LABEL[target.kind]}${targets.filter((other) => other.kind === target.kind).length > 1 ? ` (${target.name})` : ''} costs ${money(shape.at[target.name]!.total)}/month`);
  const cheapest = targets.reduce((best, target) => (shape.at[target.name]!.total < shape.at[best.name]!.total ? target : best));
  let sentence = `At ${volume(costs.monthlyRequests)} requests a month of ${headline} traffic, ${parts.join(', ')}`;
  if (shape.breakEven) {
    const below = cheapest.kind === 'container' ? 'EKS' : 'Lambda';
    sentence += `; they cross at ${volume(shape.breakEven.requests)} requests a month (${shape.breakEven.requestsPerSecond.toFixed(1)} requests/s sustained), so ${below} is the cheaper choice at this volume.`;
  } else sentence += `; ${LABEL[cheapest.kind]} stays the cheaper choice from ${volume(1e4)} to ${volume(1e11)} requests a month.`;
  if (costs.data) sentence += ` DynamoDB and S3 add ${money(costs.data.perMonth.total)} on either.`;
  for (const { target, logs, compute } of costs.logsOverCompute) {
    sentence += ` On ${target}, logs (${money(logs)}) cost more than compute (${money(compute)}): set LOG_LEVEL=warn on the functions to drop the access lines.`;
  }
  return sentence;
}
